import { createHash } from "crypto";
import type { FakeService } from "./fakeService";
import type { SimResource } from "./resourceStore";
import { ACCOUNT, DR_OUTPUTS } from "./fixtures";
import { escapeXml, isoTime, xml } from "./wireFormats";

/** An Auto Scaling group of the fake, e.g. the dr stack's application servers. */
export interface FakeAutoScalingGroup {
  readonly region: string;
  readonly name: string;
  /**
   * Its desired capacity: a number ({@link AutoScalingGroups.setDesiredCapacity} changes it), or a
   * function the fake asks at every request (e.g. reading the dr stack's config, which `pulumi up`
   * changes). Instances follow a change after {@link launchMs} or {@link drainMs}.
   */
  readonly desiredCapacity: number | (() => number);
  /** Clock ms from a scale-in to the instances gone (connection draining, termination). Default 2 minutes. */
  readonly drainMs?: number;
  /** Clock ms from a scale-out to the new instances InService. Default 3 minutes. */
  readonly launchMs?: number;
  readonly tags?: Readonly<Record<string, string>>;
  /** The VPC its instances run in (EC2 DescribeInstances' `vpc-id`). Default the fixtures' DR VPC. */
  readonly vpcId?: string;
  /** Its subnets (`VPCZoneIdentifier`). Default one subnet named for the group. */
  readonly subnetIds?: readonly string[];
  /**
   * The launch template version its instances launch with: a number, or a function asked at every
   * request (e.g. one more for each change of the stack's config that `pulumi up` applies). Default 1.
   */
  readonly launchTemplateVersion?: number | (() => number);
  /**
   * The stack's `instanceRefresh` block: a new launch template version starts a Rolling instance refresh
   * (terraform-provider-aws starts it on the update and does not wait for it). Without it a new version
   * reaches only the instances launched afterwards.
   */
  readonly instanceRefresh?: FakeRefreshPreferences;
  /**
   * What one of its servers writes to, by the launch template version it was launched with (the data
   * its user data names). Default: the application's `writesTo`.
   */
  readonly writesTo?: (resource: SimResource, launchTemplateVersion: number) => boolean;
}

/** An instance refresh's preferences (StartInstanceRefresh `Preferences`). */
export interface FakeRefreshPreferences {
  /** Share of the desired capacity kept in service, rounded up. Default 90, as AWS's. */
  readonly minHealthyPercentage?: number;
  /** Clock ms a new instance warms up after InService before the next batch. Default 5 minutes (the stacks' health check grace period). */
  readonly instanceWarmupMs?: number;
}

/** One instance refresh of a group, as DescribeInstanceRefreshes reports it. */
export interface FakeInstanceRefresh {
  readonly id: string;
  readonly startedAt: number;
  readonly toVersion: number;
  /** Slots replaced per batch. */
  readonly batchSize: number;
  /** Slots to replace (the desired capacity when it started). */
  readonly slots: number;
  /** Clock ms of one batch: launch, then warm-up. */
  readonly batchMs: number;
  cancelledAt?: number;
}

/** An instance of a group as EC2 DescribeInstances shows it. */
export interface GroupInstance {
  readonly id: string;
  /** EC2's state: running (InService), pending, shutting-down (Terminating, draining), terminated. */
  readonly state: "pending" | "running" | "shutting-down" | "terminated";
  readonly vpcId: string;
  /** The group's tags and `aws:autoscaling:groupName`, as Auto Scaling tags its instances. */
  readonly tags: Readonly<Record<string, string>>;
  /** The launch template version it was launched with (Auto Scaling's instances). */
  readonly launchTemplateVersion?: number;
}

/** A server of a group that takes requests at a moment: InService and not being replaced. */
export interface ServingSlot {
  readonly index: number;
  readonly launchTemplateVersion: number;
}

interface Change {
  readonly at: number;
  readonly desired: number;
}

interface VersionChange {
  readonly at: number;
  readonly version: number;
}

/** One instance slot of a group at a moment: the version it runs, and whether a refresh is replacing it. */
interface Slot {
  readonly version: number;
  readonly replacing: boolean;
  /** The refresh that last replaced it, for its instance id. */
  readonly refreshId?: string;
}

const DEFAULT_LAUNCH_MS = 180_000;
const DEFAULT_DRAIN_MS = 120_000;

/**
 * The groups' capacity over time: every change of the desired capacity is recorded when it is seen,
 * and the instances in service follow it after the launch or drain delay, so whether the application
 * could write at a given moment is known after the fact too. Each instance runs the launch template
 * version current when it launched, until an instance refresh replaces it.
 */
export class AutoScalingGroups {
  private readonly history = new Map<FakeAutoScalingGroup, Change[]>();
  private readonly versions = new Map<FakeAutoScalingGroup, VersionChange[]>();
  private readonly refreshes = new Map<FakeAutoScalingGroup, FakeInstanceRefresh[]>();
  private nextRefresh = 1;

  constructor(
    private readonly groups: readonly FakeAutoScalingGroup[],
    private readonly now: () => number,
  ) {
    for (const group of groups) {
      this.history.set(group, [{ at: Number.NEGATIVE_INFINITY, desired: this.asked(group) }]);
      this.versions.set(group, [{ at: Number.NEGATIVE_INFINITY, version: this.askedVersion(group) }]);
      this.refreshes.set(group, []);
    }
  }

  private asked(group: FakeAutoScalingGroup): number {
    return typeof group.desiredCapacity === "function" ? group.desiredCapacity() : group.desiredCapacity;
  }

  private askedVersion(group: FakeAutoScalingGroup): number {
    const version = group.launchTemplateVersion ?? 1;
    return typeof version === "function" ? version() : version;
  }

  /** The group `name` of `region`. */
  group(region: string, name: string): FakeAutoScalingGroup {
    const group = this.groups.find((g) => g.region === region && g.name === name);
    if (!group) {
      throw new Error(`the fake has no Auto Scaling group ${name} in ${region}`);
    }
    return group;
  }

  private record(group: FakeAutoScalingGroup, desired: number): void {
    const changes = this.history.get(group) as Change[];
    if (changes[changes.length - 1].desired !== desired) {
      changes.push({ at: this.now(), desired });
    }
  }

  private recordVersion(group: FakeAutoScalingGroup, version: number): void {
    const changes = this.versions.get(group) as VersionChange[];
    if (changes[changes.length - 1].version === version) {
      return;
    }
    changes.push({ at: this.now(), version });
    // The stack's instanceRefresh block: terraform-provider-aws calls StartInstanceRefresh when the
    // launch template changes and returns without waiting (internal/service/autoscaling/group.go,
    // startInstanceRefresh; the aws_autoscaling_group docs: "This resource does not wait for the
    // instance refresh to complete").
    if (group.instanceRefresh) {
      this.startRefresh(group, group.instanceRefresh);
    }
  }

  /** Records the desired capacities and launch template versions the groups' functions give now. */
  observe(): void {
    for (const group of this.groups) {
      if (typeof group.desiredCapacity === "function") {
        this.record(group, group.desiredCapacity());
      }
      if (typeof group.launchTemplateVersion === "function") {
        this.recordVersion(group, group.launchTemplateVersion());
      }
    }
  }

  /** Sets a group's desired capacity now (a group whose capacity is a number). */
  setDesiredCapacity(region: string, name: string, desired: number): void {
    this.record(this.group(region, name), desired);
  }

  private desiredAt(group: FakeAutoScalingGroup, at: number): number {
    return (this.history.get(group) as Change[]).filter((c) => c.at <= at).pop()?.desired ?? 0;
  }

  private versionAt(group: FakeAutoScalingGroup, at: number): number {
    const changes = this.versions.get(group) as VersionChange[];
    return (changes.filter((c) => c.at <= at).pop() ?? changes[0]).version;
  }

  /** The group's launch template version now (DescribeAutoScalingGroups' `LaunchTemplate.Version`). */
  latestVersion(group: FakeAutoScalingGroup): number {
    return this.versionAt(group, this.now());
  }

  /** When slot `index` was last launched by a scale-out at or before `at` (-Infinity: from the start). */
  private launchedAt(group: FakeAutoScalingGroup, index: number, at: number): number {
    let launched = Number.NEGATIVE_INFINITY;
    let previous = 0;
    for (const change of this.history.get(group) as Change[]) {
      if (change.at > at) {
        break;
      }
      if (previous <= index && index < change.desired) {
        launched = change.at;
      }
      previous = change.desired;
    }
    return launched;
  }

  /**
   * Starts a Rolling instance refresh to the group's version now, cancelling one in progress (the
   * provider cancels it before starting its own). Every instance that exists is replaced, in batches of
   * the desired capacity less its minimum healthy share rounded up (at least one): "the minimum
   * percentage of the group to keep in service ... expressed as a percentage of the desired capacity"
   * (Auto Scaling API, RefreshPreferences MinHealthyPercentage; default 90). Below 100 % healthy, a batch
   * terminates its old instances first, then launches the new ones; the next batch starts once they are
   * InService and their warm-up (InstanceWarmup, default the health check grace period) has passed
   * (Auto Scaling user guide, "Use an instance refresh to update instances in an Auto Scaling group").
   */
  startRefresh(group: FakeAutoScalingGroup, preferences: FakeRefreshPreferences): FakeInstanceRefresh {
    const now = this.now();
    const list = this.refreshes.get(group) as FakeInstanceRefresh[];
    for (const running of list) {
      if (this.refreshStatus(running, now) === "InProgress") {
        running.cancelledAt = now;
      }
    }
    const desired = this.desiredAt(group, now);
    const slots = Array.from({ length: desired }, (_, i) => i).filter(
      (i) => this.launchedAt(group, i, now) < now,
    ).length;
    const keep = Math.ceil((desired * (preferences.minHealthyPercentage ?? 90)) / 100);
    const refresh: FakeInstanceRefresh = {
      id: `${createHash("sha256").update(`${group.name}-${this.nextRefresh++}`).digest("hex").slice(0, 8)}-refresh`,
      startedAt: now,
      toVersion: this.versionAt(group, now),
      batchSize: Math.max(1, desired - keep),
      slots,
      batchMs: (group.launchMs ?? DEFAULT_LAUNCH_MS) + (preferences.instanceWarmupMs ?? 300_000),
    };
    list.push(refresh);
    return refresh;
  }

  private refreshEnd(refresh: FakeInstanceRefresh): number {
    return refresh.startedAt + Math.ceil(refresh.slots / refresh.batchSize) * refresh.batchMs;
  }

  /** Pending, InProgress, Successful or Cancelled at `at` (Auto Scaling API, InstanceRefresh Status). */
  refreshStatus(refresh: FakeInstanceRefresh, at: number): string {
    if (refresh.cancelledAt !== undefined && refresh.cancelledAt <= at) {
      return "Cancelled";
    }
    return at >= this.refreshEnd(refresh) ? "Successful" : "InProgress";
  }

  /** The refreshes of a group, newest first. */
  refreshesOf(region: string, name: string): FakeInstanceRefresh[] {
    return [...(this.refreshes.get(this.group(region, name)) as FakeInstanceRefresh[])].reverse();
  }

  /** Slot `index` of a group at `at`: its version after the refreshes so far, and whether one is replacing it. */
  private slot(group: FakeAutoScalingGroup, index: number, at: number): Slot {
    const launched = this.launchedAt(group, index, at);
    let slot: Slot = { version: this.versionAt(group, launched), replacing: false };
    for (const refresh of this.refreshes.get(group) as FakeInstanceRefresh[]) {
      if (refresh.startedAt > at || launched >= refresh.startedAt || index >= refresh.slots) {
        continue;
      }
      const batchStart = refresh.startedAt + Math.floor(index / refresh.batchSize) * refresh.batchMs;
      // A cancelled refresh finishes the batch it is in and starts no other (unsourced guess).
      if (refresh.cancelledAt !== undefined && batchStart >= refresh.cancelledAt) {
        continue;
      }
      slot =
        at < batchStart
          ? slot
          : at < batchStart + refresh.batchMs
            ? { version: refresh.toVersion, replacing: true, refreshId: refresh.id }
            : { version: refresh.toVersion, replacing: false, refreshId: refresh.id };
    }
    return slot;
  }

  /** Instances InService at `at`: each change takes effect after the launch or drain delay. */
  inService(group: FakeAutoScalingGroup, at: number): number {
    let count = 0;
    for (const change of this.history.get(group) as Change[]) {
      const delay =
        change.desired < count ? (group.drainMs ?? DEFAULT_DRAIN_MS) : (group.launchMs ?? DEFAULT_LAUNCH_MS);
      if (change.at === Number.NEGATIVE_INFINITY || change.at + delay <= at) {
        count = change.desired;
      }
    }
    return count;
  }

  /**
   * The servers of a group that take requests at `at`: InService (or still draining) and not being
   * replaced by a refresh. Old servers serve until their batch comes.
   */
  servingSlots(region: string, name: string, at: number): ServingSlot[] {
    const group = this.group(region, name);
    return Array.from({ length: this.inService(group, at) }, (_, index) => ({
      index,
      slot: this.slot(group, index, at),
    }))
      .filter(({ slot }) => !slot.replacing)
      .map(({ index, slot }) => ({ index, launchTemplateVersion: slot.version }));
  }

  /**
   * The instances of every group of `region` now: the first `min(serving, desired)` InService
   * (running) unless a refresh is replacing them (pending), the others pending or shutting down, and
   * those of earlier scale-ins terminated (EC2 lists terminated instances for a while after).
   */
  instances(region: string): GroupInstance[] {
    const now = this.now();
    return this.groups
      .filter((g) => g.region === region)
      .flatMap((group) => {
        const changes = this.history.get(group) as Change[];
        const desired = changes[changes.length - 1].desired;
        const serving = this.inService(group, now);
        const ever = Math.max(...changes.map((c) => c.desired));
        return Array.from({ length: ever }, (_, i) => {
          const slot = this.slot(group, i, now);
          return {
            id: instanceId(group, i, slot.refreshId),
            state:
              i < Math.min(serving, desired)
                ? slot.replacing
                  ? ("pending" as const)
                  : ("running" as const)
                : i < desired
                  ? ("pending" as const)
                  : i < serving
                    ? ("shutting-down" as const)
                    : ("terminated" as const),
            vpcId: group.vpcId ?? DR_OUTPUTS.vpcId,
            tags: { ...group.tags, "aws:autoscaling:groupName": group.name },
            launchTemplateVersion: slot.version,
          };
        });
      });
  }

  /** Whether any instance of the group `name` in `region` is in service at `at`. */
  serving(region: string, name: string, at: number): boolean {
    return this.servingSlots(region, name, at).length > 0;
  }

  /**
   * DescribeAutoScalingGroups (by names or tag filters, in pages), StartInstanceRefresh,
   * DescribeInstanceRefreshes and DescribeScalingActivities over the query protocol.
   */
  service(): FakeService {
    return ({ body, region }) => {
      const params = new URLSearchParams(body);
      const action = params.get("Action") ?? "unknown";
      const ns = `xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"`;
      const error = (status: number, code: string, message: string) =>
        xml(
          status,
          action,
          `<ErrorResponse ${ns}><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error></ErrorResponse>`,
        );
      this.observe();
      if (action === "StartInstanceRefresh" || action === "DescribeInstanceRefreshes") {
        const name = params.get("AutoScalingGroupName") ?? "";
        const group = this.groups.find((g) => g.region === region && g.name === name);
        if (!group) {
          return error(400, "ValidationError", `AutoScalingGroup name not found - ${name}`);
        }
        return action === "StartInstanceRefresh"
          ? this.startRefreshAnswer(group, params, action, ns)
          : this.describeRefreshesAnswer(group, params, action, ns);
      }
      if (action === "DescribeScalingActivities") {
        return this.scalingActivitiesAnswer(params.get("AutoScalingGroupName") ?? "", region, action, ns);
      }
      if (action !== "DescribeAutoScalingGroups") {
        return error(400, "InvalidAction", `the simulation does not serve ${action}`);
      }
      const members = (prefix: string) =>
        [...params.entries()]
          .filter(([k]) => new RegExp(`^${prefix}\\.member\\.\\d+$`).test(k))
          .map(([, v]) => v);
      const names = members("AutoScalingGroupNames");
      const filters = [...params.entries()]
        .filter(([k]) => /^Filters\.member\.\d+\.Name$/.test(k))
        .map(([k, name]) => ({ name, values: members(k.replace(/\.Name$/, ".Values")) }));
      const matching = this.groups.filter(
        (g) =>
          g.region === region &&
          (names.length === 0 || names.includes(g.name)) &&
          filters.every(({ name, values }) => {
            const tags = g.tags ?? {};
            if (name.startsWith("tag:")) {
              return values.includes(tags[name.slice(4)]);
            }
            if (name === "tag-key") {
              return values.some((v) => v in tags);
            }
            return name === "tag-value" ? Object.values(tags).some((v) => values.includes(v)) : false;
          }),
      );
      const size = Number(params.get("MaxRecords") ?? 50);
      const offset = Number(params.get("NextToken") ?? 0);
      const next = offset + size < matching.length ? `<NextToken>${offset + size}</NextToken>` : "";
      const groupXml = matching
        .slice(offset, offset + size)
        .map((g) => this.groupXml(g))
        .join("");
      return xml(
        200,
        action,
        `<DescribeAutoScalingGroupsResponse ${ns}><DescribeAutoScalingGroupsResult><AutoScalingGroups>${groupXml}</AutoScalingGroups>${next}</DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>`,
      );
    };
  }

  /**
   * DescribeScalingActivities of one group: a launch activity ("Launching a new EC2 instance: i-...")
   * for each server a raise of the desired capacity added, newest first, those of the last six weeks only
   * (Auto Scaling API reference, DescribeScalingActivities: "Only activities started within the last six
   * weeks can be returned"; the Description wording: Auto Scaling user guide, "Verify a scaling activity
   * for an Auto Scaling group"). Terminations and refreshes are not listed (unsourced simplification).
   */
  private scalingActivitiesAnswer(name: string, region: string, action: string, ns: string) {
    const group = this.groups.find((g) => g.region === region && g.name === name);
    const now = this.now();
    const sixWeeks = 42 * 24 * 3_600_000;
    const activities: string[] = [];
    const changes = group ? (this.history.get(group) as Change[]) : [];
    changes.forEach((change, n) => {
      const before = n > 0 ? changes[n - 1].desired : 0;
      if (n === 0 || change.at < now - sixWeeks || change.desired <= before) {
        return;
      }
      for (let i = before; i < change.desired; i++) {
        activities.unshift(
          `<member><ActivityId>${escapeXml(`${name}-${n}-${i}`)}</ActivityId><AutoScalingGroupName>${escapeXml(name)}</AutoScalingGroupName><Description>Launching a new EC2 instance: ${instanceId(group as FakeAutoScalingGroup, i)}</Description><Cause>a user request update of AutoScalingGroup constraints</Cause><StartTime>${isoTime(change.at)}</StartTime><StatusCode>Successful</StatusCode><Progress>100</Progress></member>`,
        );
      }
    });
    return xml(
      200,
      action,
      `<DescribeScalingActivitiesResponse ${ns}><DescribeScalingActivitiesResult><Activities>${activities.join("")}</Activities></DescribeScalingActivitiesResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeScalingActivitiesResponse>`,
    );
  }

  /**
   * StartInstanceRefresh (Rolling only): refused while one is in progress, as AWS refuses with
   * InstanceRefreshInProgress ("An instance refresh is already in progress", Auto Scaling API,
   * StartInstanceRefresh Errors).
   */
  private startRefreshAnswer(
    group: FakeAutoScalingGroup,
    params: URLSearchParams,
    action: string,
    ns: string,
  ) {
    const now = this.now();
    if (
      (this.refreshes.get(group) as FakeInstanceRefresh[]).some(
        (r) => this.refreshStatus(r, now) === "InProgress",
      )
    ) {
      return xml(
        400,
        action,
        `<ErrorResponse ${ns}><Error><Type>Sender</Type><Code>InstanceRefreshInProgress</Code><Message>An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.</Message></Error></ErrorResponse>`,
      );
    }
    const percent = params.get("Preferences.MinHealthyPercentage");
    const warmup = params.get("Preferences.InstanceWarmup");
    const refresh = this.startRefresh(group, {
      ...(percent !== null ? { minHealthyPercentage: Number(percent) } : {}),
      instanceWarmupMs:
        warmup !== null ? Number(warmup) * 1000 : (group.instanceRefresh?.instanceWarmupMs ?? 300_000),
    });
    return xml(
      200,
      action,
      `<StartInstanceRefreshResponse ${ns}><StartInstanceRefreshResult><InstanceRefreshId>${refresh.id}</InstanceRefreshId></StartInstanceRefreshResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></StartInstanceRefreshResponse>`,
    );
  }

  /**
   * DescribeInstanceRefreshes: the group's refreshes, newest first (by `InstanceRefreshIds` when given),
   * each with its status, PercentageComplete (instances replaced and warmed up) and InstancesToUpdate.
   */
  private describeRefreshesAnswer(
    group: FakeAutoScalingGroup,
    params: URLSearchParams,
    action: string,
    ns: string,
  ) {
    const now = this.now();
    const ids = [...params.entries()]
      .filter(([k]) => /^InstanceRefreshIds\.member\.\d+$/.test(k))
      .map(([, v]) => v);
    const members = this.refreshesOf(group.region, group.name)
      .filter((r) => ids.length === 0 || ids.includes(r.id))
      .map((r) => {
        const status = this.refreshStatus(r, now);
        const batches = Math.ceil(r.slots / r.batchSize);
        const done = Math.min(batches, Math.max(0, Math.floor((now - r.startedAt) / r.batchMs)));
        const replaced = Math.min(r.slots, done * r.batchSize);
        const end =
          status === "Successful"
            ? `<EndTime>${isoTime(this.refreshEnd(r))}</EndTime>`
            : status === "Cancelled"
              ? `<EndTime>${isoTime(r.cancelledAt as number)}</EndTime>`
              : "";
        return `<member><InstanceRefreshId>${r.id}</InstanceRefreshId><AutoScalingGroupName>${escapeXml(group.name)}</AutoScalingGroupName><Status>${status}</Status><StartTime>${isoTime(r.startedAt)}</StartTime>${end}<PercentageComplete>${r.slots === 0 ? 100 : Math.floor((100 * replaced) / r.slots)}</PercentageComplete><InstancesToUpdate>${r.slots - replaced}</InstancesToUpdate></member>`;
      })
      .join("");
    return xml(
      200,
      action,
      `<DescribeInstanceRefreshesResponse ${ns}><DescribeInstanceRefreshesResult><InstanceRefreshes>${members}</InstanceRefreshes></DescribeInstanceRefreshesResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeInstanceRefreshesResponse>`,
    );
  }

  private groupXml(group: FakeAutoScalingGroup): string {
    const now = this.now();
    const desired = (this.history.get(group) as Change[]).slice(-1)[0].desired;
    const serving = this.inService(group, now);
    const id = createHash("sha256").update(group.name).digest("hex");
    const template = `<LaunchTemplateId>lt-${id.slice(0, 17)}</LaunchTemplateId><LaunchTemplateName>${escapeXml(group.name)}-launch-template</LaunchTemplateName>`;
    const instance = (i: number, state: string) => {
      const slot = this.slot(group, i, now);
      return `<member><InstanceId>${instanceId(group, i, slot.refreshId)}</InstanceId><AvailabilityZone>${group.region}a</AvailabilityZone><LifecycleState>${slot.replacing && state === "InService" ? "Pending" : state}</LifecycleState><HealthStatus>Healthy</HealthStatus><LaunchTemplate>${template}<Version>${slot.version}</Version></LaunchTemplate><ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>`;
    };
    const instances = Array.from({ length: Math.max(serving, desired) }, (_, i) =>
      instance(
        i,
        i < Math.min(serving, desired) ? "InService" : serving > desired ? "Terminating" : "Pending",
      ),
    ).join("");
    const tags = Object.entries(group.tags ?? {})
      .map(
        ([k, v]) =>
          `<member><ResourceId>${escapeXml(group.name)}</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>${escapeXml(k)}</Key><Value>${escapeXml(v)}</Value><PropagateAtLaunch>true</PropagateAtLaunch></member>`,
      )
      .join("");
    const subnets = (group.subnetIds ?? [`subnet-${group.name}`]).join(",");
    return `<member><AutoScalingGroupName>${escapeXml(group.name)}</AutoScalingGroupName><AutoScalingGroupARN>arn:aws:autoscaling:${group.region}:${ACCOUNT}:autoScalingGroup:${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}:autoScalingGroupName/${escapeXml(group.name)}</AutoScalingGroupARN><LaunchTemplate>${template}<Version>${this.latestVersion(group)}</Version></LaunchTemplate><MinSize>0</MinSize><MaxSize>${Math.max(desired, serving, 1)}</MaxSize><DesiredCapacity>${desired}</DesiredCapacity><DefaultCooldown>300</DefaultCooldown><AvailabilityZones><member>${group.region}a</member></AvailabilityZones><VPCZoneIdentifier>${escapeXml(subnets)}</VPCZoneIdentifier><HealthCheckType>ELB</HealthCheckType><CreatedTime>${isoTime(0)}</CreatedTime><Instances>${instances}</Instances><Tags>${tags}</Tags></member>`;
  }
}

function instanceId(group: FakeAutoScalingGroup, index: number, refreshId?: string): string {
  const seed = `${group.region}/${group.name}-${index}${refreshId ? `@${refreshId}` : ""}`;
  return `i-${createHash("sha256").update(seed).digest("hex").slice(0, 17)}`;
}
