// Auto Scaling's model (groups, their instances over time, instance refreshes, scaling activities) and its query-protocol service.
import { createHash } from "crypto";
import { FakeApiError } from "./backupJobs";
import type { FakeService } from "./fakeService";
import type { SimResource } from "./resourceStore";
import { ACCOUNT, DR_OUTPUTS } from "./fixtures";
import { escapeXml, isoTime, queryError, xml } from "./wireFormats";

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
  /**
   * The id of an instance of the group: `index` its slot, `serial` its place among every instance the
   * group launched (1-based: the first three of a group of three are 1-3, a later scale-out's 4 on),
   * `refresh` the ordinal (1-based, in the group) of the instance refresh that last replaced it (0:
   * none). Default a hash of slot, launch and refresh, `i-` and 17 hex digits, as EC2's.
   */
  readonly instanceId?: (instance: { index: number; serial: number; refresh: number }) => string;
  /** The id of the group's `n`-th (1-based) instance refresh. Default a hash of the group's name and n. */
  readonly refreshId?: (n: number) => string;
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
  /** Its ordinal among the group's refreshes, 1-based. */
  readonly n: number;
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
  readonly refresh?: FakeInstanceRefresh;
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

  private record(group: FakeAutoScalingGroup, desired: number, at = this.now()): void {
    const changes = this.history.get(group) as Change[];
    if (changes[changes.length - 1].desired !== desired) {
      changes.push({ at, desired });
    }
  }

  private recordVersion(group: FakeAutoScalingGroup, version: number, at = this.now()): void {
    const changes = this.versions.get(group) as VersionChange[];
    if (changes[changes.length - 1].version === version) {
      return;
    }
    changes.push({ at, version });
    // The stack's instanceRefresh block: terraform-provider-aws calls StartInstanceRefresh when the
    // launch template changes and returns without waiting (internal/service/autoscaling/group.go,
    // startInstanceRefresh; the aws_autoscaling_group docs: "This resource does not wait for the
    // instance refresh to complete").
    if (group.instanceRefresh) {
      this.startRefresh(group, group.instanceRefresh, at);
    }
  }

  /**
   * Records the desired capacities and launch template versions the groups' functions give now, all at
   * one instant: one `pulumi up` that scales a group out and gives it a new launch template version
   * launches the new servers on the new version (Auto Scaling launches from the template version current
   * at launch), never on the old one a moment before.
   */
  observe(): void {
    const at = this.now();
    for (const group of this.groups) {
      if (typeof group.desiredCapacity === "function") {
        this.record(group, group.desiredCapacity(), at);
      }
      if (typeof group.launchTemplateVersion === "function") {
        this.recordVersion(group, group.launchTemplateVersion(), at);
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
   * The id of slot `index`'s instance at `at`: one per launch of the slot (`serial`: its place among
   * every instance the group launched, 1-based) and per refresh that replaced it.
   */
  private instanceId(
    group: FakeAutoScalingGroup,
    index: number,
    at: number,
    refresh?: FakeInstanceRefresh,
  ): string {
    let serial = 0;
    let launch = -1;
    let launched = 0;
    let previous = 0;
    for (const change of this.history.get(group) as Change[]) {
      if (change.at > at) {
        break;
      }
      if (previous <= index && index < change.desired) {
        serial = launched + (index - previous) + 1;
        launch++;
      }
      launched += Math.max(0, change.desired - previous);
      previous = change.desired;
    }
    if (group.instanceId) {
      return group.instanceId({ index, serial, refresh: refresh?.n ?? 0 });
    }
    const seed = `${group.region}/${group.name}-${index}${launch > 0 ? `#${launch}` : ""}${refresh ? `@${refresh.id}` : ""}`;
    return `i-${createHash("sha256").update(seed).digest("hex").slice(0, 17)}`;
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
  startRefresh(
    group: FakeAutoScalingGroup,
    preferences: FakeRefreshPreferences,
    now = this.now(),
  ): FakeInstanceRefresh {
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
    const n = list.length + 1;
    const serial = this.nextRefresh++;
    const refresh: FakeInstanceRefresh = {
      id:
        group.refreshId?.(n) ??
        `${createHash("sha256").update(`${group.name}-${serial}`).digest("hex").slice(0, 8)}-refresh`,
      n,
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
            ? { version: refresh.toVersion, replacing: true, refresh }
            : { version: refresh.toVersion, replacing: false, refresh };
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
            id: this.instanceId(group, i, now, slot.refresh),
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
   * DescribeAutoScalingGroups: the groups of `region` named (all when none), matching every tag filter
   * (`tag:<key>`, `tag-key`, `tag-value`), in pages of `maxRecords` (default 50) after `nextToken`.
   */
  describeGroups(
    region: string,
    query: {
      readonly names?: readonly string[];
      readonly filters?: ReadonlyArray<{ readonly name: string; readonly values: readonly string[] }>;
      readonly maxRecords?: number;
      readonly nextToken?: string;
    } = {},
  ): { groups: GroupDescription[]; nextToken?: string } {
    this.observe();
    const names = query.names ?? [];
    const matching = this.groups.filter(
      (g) =>
        g.region === region &&
        (names.length === 0 || names.includes(g.name)) &&
        (query.filters ?? []).every(({ name, values }) => {
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
    const size = query.maxRecords ?? 50;
    const offset = Number(query.nextToken ?? 0);
    return {
      groups: matching.slice(offset, offset + size).map((g) => this.describeGroup(g)),
      nextToken: offset + size < matching.length ? String(offset + size) : undefined,
    };
  }

  private groupNamed(region: string, name: string): FakeAutoScalingGroup {
    const group = this.groups.find((g) => g.region === region && g.name === name);
    if (!group) {
      throw new FakeApiError(400, "ValidationError", `AutoScalingGroup name not found - ${name}`);
    }
    return group;
  }

  /**
   * StartInstanceRefresh (Rolling only): refused while one is in progress, as AWS refuses with
   * InstanceRefreshInProgress ("An instance refresh is already in progress", Auto Scaling API,
   * StartInstanceRefresh Errors). Preferences not given are the group's `instanceRefresh` ones.
   */
  startInstanceRefresh(
    region: string,
    name: string,
    preferences: { readonly minHealthyPercentage?: number; readonly instanceWarmupSeconds?: number } = {},
  ): FakeInstanceRefresh {
    this.observe();
    const group = this.groupNamed(region, name);
    const now = this.now();
    if (
      (this.refreshes.get(group) as FakeInstanceRefresh[]).some(
        (r) => this.refreshStatus(r, now) === "InProgress",
      )
    ) {
      throw new FakeApiError(
        400,
        "InstanceRefreshInProgress",
        "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.",
      );
    }
    return this.startRefresh(group, {
      ...(preferences.minHealthyPercentage !== undefined
        ? { minHealthyPercentage: preferences.minHealthyPercentage }
        : {}),
      instanceWarmupMs:
        preferences.instanceWarmupSeconds !== undefined
          ? preferences.instanceWarmupSeconds * 1000
          : (group.instanceRefresh?.instanceWarmupMs ?? 300_000),
    });
  }

  /**
   * DescribeInstanceRefreshes: the group's refreshes, newest first (those of `ids` when given), each with
   * its status, PercentageComplete (instances replaced and warmed up) and InstancesToUpdate.
   */
  describeInstanceRefreshes(region: string, name: string, ids: readonly string[] = []): RefreshDescription[] {
    this.observe();
    const group = this.groupNamed(region, name);
    const now = this.now();
    return this.refreshesOf(group.region, group.name)
      .filter((r) => ids.length === 0 || ids.includes(r.id))
      .map((r) => {
        const status = this.refreshStatus(r, now);
        const batches = Math.ceil(r.slots / r.batchSize);
        const done = Math.min(batches, Math.max(0, Math.floor((now - r.startedAt) / r.batchMs)));
        const replaced = Math.min(r.slots, done * r.batchSize);
        const endTime =
          status === "Successful"
            ? this.refreshEnd(r)
            : status === "Cancelled"
              ? (r.cancelledAt as number)
              : undefined;
        return {
          id: r.id,
          groupName: group.name,
          status,
          startTime: r.startedAt,
          endTime,
          percentageComplete: r.slots === 0 ? 100 : Math.floor((100 * replaced) / r.slots),
          instancesToUpdate: r.slots - replaced,
        };
      });
  }

  /**
   * DescribeScalingActivities of one group: a launch activity ("Launching a new EC2 instance: i-...")
   * for each server a raise of the desired capacity added, newest first, those of the last six weeks only
   * (Auto Scaling API reference, DescribeScalingActivities: "Only activities started within the last six
   * weeks can be returned"; the Description wording: Auto Scaling user guide, "Verify a scaling activity
   * for an Auto Scaling group"). Terminations and refreshes are not listed (unsourced simplification).
   * An unknown group has none.
   */
  scalingActivities(region: string, name: string): ScalingActivity[] {
    this.observe();
    const group = this.groups.find((g) => g.region === region && g.name === name);
    if (!group) {
      return [];
    }
    const now = this.now();
    const sixWeeks = 42 * 24 * 3_600_000;
    const activities: ScalingActivity[] = [];
    const changes = this.history.get(group) as Change[];
    changes.forEach((change, n) => {
      const before = n > 0 ? changes[n - 1].desired : 0;
      if (n === 0 || change.at < now - sixWeeks || change.desired <= before) {
        return;
      }
      for (let i = before; i < change.desired; i++) {
        activities.unshift({
          id: `${name}-${n}-${i}`,
          groupName: name,
          description: `Launching a new EC2 instance: ${this.instanceId(group, i, change.at)}`,
          cause: "a user request update of AutoScalingGroup constraints",
          startTime: change.at,
          statusCode: "Successful",
          progress: 100,
        });
      }
    });
    return activities;
  }

  /** A group as DescribeAutoScalingGroups describes it now. */
  private describeGroup(group: FakeAutoScalingGroup): GroupDescription {
    const now = this.now();
    const desired = (this.history.get(group) as Change[]).slice(-1)[0].desired;
    const serving = this.inService(group, now);
    const hash = createHash("sha256").update(group.name).digest("hex");
    const instances = Array.from({ length: Math.max(serving, desired) }, (_, i) => {
      const state: GroupDescription["instances"][number]["lifecycleState"] =
        i < Math.min(serving, desired) ? "InService" : serving > desired ? "Terminating" : "Pending";
      const slot = this.slot(group, i, now);
      return {
        id: this.instanceId(group, i, now, slot.refresh),
        lifecycleState: slot.replacing && state === "InService" ? "Pending" : state,
        launchTemplateVersion: slot.version,
      };
    });
    return {
      name: group.name,
      arn: `arn:aws:autoscaling:${group.region}:${ACCOUNT}:autoScalingGroup:${hash.slice(0, 8)}-${hash.slice(8, 12)}-${hash.slice(12, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 32)}:autoScalingGroupName/${group.name}`,
      availabilityZone: `${group.region}a`,
      launchTemplateId: `lt-${hash.slice(0, 17)}`,
      launchTemplateName: `${group.name}-launch-template`,
      launchTemplateVersion: this.latestVersion(group),
      desiredCapacity: desired,
      maxSize: Math.max(desired, serving, 1),
      vpcZoneIdentifier: (group.subnetIds ?? [`subnet-${group.name}`]).join(","),
      tags: { ...(group.tags ?? {}) },
      instances,
    };
  }

  /**
   * DescribeAutoScalingGroups (by names or tag filters, in pages), StartInstanceRefresh,
   * DescribeInstanceRefreshes and DescribeScalingActivities over the query protocol.
   */
  service(): FakeService {
    return ({ body, region }) => {
      const params = new URLSearchParams(body);
      const action = params.get("Action") ?? "unknown";
      try {
        return xml(
          200,
          action,
          `<${action}Response ${NS}><${action}Result>${this.answer(action, params, region)}</${action}Result><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></${action}Response>`,
        );
      } catch (err) {
        if (!(err instanceof FakeApiError)) {
          throw err;
        }
        return queryError(err.status, action, NS, err.type, err.message);
      }
    };
  }

  /** The XML of one query-protocol action's result. */
  private answer(action: string, params: URLSearchParams, region: string): string {
    const members = (prefix: string) =>
      [...params.entries()]
        .filter(([k]) => new RegExp(`^${prefix}\\.member\\.\\d+$`).test(k))
        .map(([, v]) => v);
    const name = params.get("AutoScalingGroupName") ?? "";
    const time = (ms: number | undefined) => (ms === undefined ? "" : isoTime(ms));
    switch (action) {
      case "DescribeAutoScalingGroups": {
        const page = this.describeGroups(region, {
          names: members("AutoScalingGroupNames"),
          filters: [...params.entries()]
            .filter(([k]) => /^Filters\.member\.\d+\.Name$/.test(k))
            .map(([k, filter]) => ({ name: filter, values: members(k.replace(/\.Name$/, ".Values")) })),
          maxRecords: params.has("MaxRecords") ? Number(params.get("MaxRecords")) : undefined,
          nextToken: params.get("NextToken") ?? undefined,
        });
        const next = page.nextToken !== undefined ? `<NextToken>${page.nextToken}</NextToken>` : "";
        return `<AutoScalingGroups>${page.groups.map(groupXml).join("")}</AutoScalingGroups>${next}`;
      }
      case "StartInstanceRefresh": {
        const percent = params.get("Preferences.MinHealthyPercentage");
        const warmup = params.get("Preferences.InstanceWarmup");
        const refresh = this.startInstanceRefresh(region, name, {
          ...(percent !== null ? { minHealthyPercentage: Number(percent) } : {}),
          ...(warmup !== null ? { instanceWarmupSeconds: Number(warmup) } : {}),
        });
        return `<InstanceRefreshId>${refresh.id}</InstanceRefreshId>`;
      }
      case "DescribeInstanceRefreshes": {
        const refreshes = this.describeInstanceRefreshes(region, name, members("InstanceRefreshIds"));
        return `<InstanceRefreshes>${refreshes
          .map(
            (r) =>
              `<member><InstanceRefreshId>${r.id}</InstanceRefreshId><AutoScalingGroupName>${escapeXml(r.groupName)}</AutoScalingGroupName><Status>${r.status}</Status><StartTime>${isoTime(r.startTime)}</StartTime>${r.endTime !== undefined ? `<EndTime>${time(r.endTime)}</EndTime>` : ""}<PercentageComplete>${r.percentageComplete}</PercentageComplete><InstancesToUpdate>${r.instancesToUpdate}</InstancesToUpdate></member>`,
          )
          .join("")}</InstanceRefreshes>`;
      }
      case "DescribeScalingActivities":
        return `<Activities>${this.scalingActivities(region, name)
          .map(
            (a) =>
              `<member><ActivityId>${escapeXml(a.id)}</ActivityId><AutoScalingGroupName>${escapeXml(a.groupName)}</AutoScalingGroupName><Description>${escapeXml(a.description)}</Description><Cause>${escapeXml(a.cause)}</Cause><StartTime>${isoTime(a.startTime)}</StartTime><StatusCode>${a.statusCode}</StatusCode><Progress>${a.progress}</Progress></member>`,
          )
          .join("")}</Activities>`;
      default:
        throw new FakeApiError(400, "InvalidAction", `the simulation does not serve ${action}`);
    }
  }
}

const NS = `xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"`;

/** A group as DescribeAutoScalingGroups answers it (the fields the CLI and the tests read). */
export interface GroupDescription {
  readonly name: string;
  readonly arn: string;
  readonly availabilityZone: string;
  readonly launchTemplateId: string;
  readonly launchTemplateName: string;
  /** The group's launch template version now. */
  readonly launchTemplateVersion: number;
  readonly desiredCapacity: number;
  readonly maxSize: number;
  readonly vpcZoneIdentifier: string;
  readonly tags: Readonly<Record<string, string>>;
  /** InService, Pending or Terminating, each with the launch template version it launched with. */
  readonly instances: ReadonlyArray<{
    readonly id: string;
    readonly lifecycleState: "InService" | "Pending" | "Terminating";
    readonly launchTemplateVersion: number;
  }>;
}

/** An instance refresh as DescribeInstanceRefreshes answers it. */
export interface RefreshDescription {
  readonly id: string;
  readonly groupName: string;
  readonly status: string;
  readonly startTime: number;
  readonly endTime?: number;
  readonly percentageComplete: number;
  readonly instancesToUpdate: number;
}

/** A scaling activity as DescribeScalingActivities answers it. */
export interface ScalingActivity {
  readonly id: string;
  readonly groupName: string;
  readonly description: string;
  readonly cause: string;
  readonly startTime: number;
  readonly statusCode: string;
  readonly progress: number;
}

function groupXml(g: GroupDescription): string {
  const template = `<LaunchTemplateId>${g.launchTemplateId}</LaunchTemplateId><LaunchTemplateName>${escapeXml(g.launchTemplateName)}</LaunchTemplateName>`;
  const instances = g.instances
    .map(
      (i) =>
        `<member><InstanceId>${i.id}</InstanceId><AvailabilityZone>${g.availabilityZone}</AvailabilityZone><LifecycleState>${i.lifecycleState}</LifecycleState><HealthStatus>Healthy</HealthStatus><LaunchTemplate>${template}<Version>${i.launchTemplateVersion}</Version></LaunchTemplate><ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>`,
    )
    .join("");
  const tags = Object.entries(g.tags)
    .map(
      ([k, v]) =>
        `<member><ResourceId>${escapeXml(g.name)}</ResourceId><ResourceType>auto-scaling-group</ResourceType><Key>${escapeXml(k)}</Key><Value>${escapeXml(v)}</Value><PropagateAtLaunch>true</PropagateAtLaunch></member>`,
    )
    .join("");
  return `<member><AutoScalingGroupName>${escapeXml(g.name)}</AutoScalingGroupName><AutoScalingGroupARN>${escapeXml(g.arn)}</AutoScalingGroupARN><LaunchTemplate>${template}<Version>${g.launchTemplateVersion}</Version></LaunchTemplate><MinSize>0</MinSize><MaxSize>${g.maxSize}</MaxSize><DesiredCapacity>${g.desiredCapacity}</DesiredCapacity><DefaultCooldown>300</DefaultCooldown><AvailabilityZones><member>${g.availabilityZone}</member></AvailabilityZones><VPCZoneIdentifier>${escapeXml(g.vpcZoneIdentifier)}</VPCZoneIdentifier><HealthCheckType>ELB</HealthCheckType><CreatedTime>${isoTime(0)}</CreatedTime><Instances>${instances}</Instances><Tags>${tags}</Tags></member>`;
}
