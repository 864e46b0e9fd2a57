import { createHash } from "crypto";
import type { FakeService } from "./fakeService";
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
}

/** An instance of a group as EC2 DescribeInstances shows it. */
export interface GroupInstance {
  readonly id: string;
  /** EC2's state: running (InService), pending, shutting-down (Terminating, draining), terminated. */
  readonly state: "pending" | "running" | "shutting-down" | "terminated";
  readonly vpcId: string;
  /** The group's tags and `aws:autoscaling:groupName`, as Auto Scaling tags its instances. */
  readonly tags: Readonly<Record<string, string>>;
}

interface Change {
  readonly at: number;
  readonly desired: number;
}

/**
 * The groups' capacity over time: every change of the desired capacity is recorded when it is seen,
 * and the instances in service follow it after the launch or drain delay, so whether the application
 * could write at a given moment is known after the fact too.
 */
export class AutoScalingGroups {
  private readonly history = new Map<FakeAutoScalingGroup, Change[]>();

  constructor(
    private readonly groups: readonly FakeAutoScalingGroup[],
    private readonly now: () => number,
  ) {
    for (const group of groups) {
      this.history.set(group, [{ at: Number.NEGATIVE_INFINITY, desired: this.asked(group) }]);
    }
  }

  private asked(group: FakeAutoScalingGroup): number {
    return typeof group.desiredCapacity === "function" ? group.desiredCapacity() : group.desiredCapacity;
  }

  private group(region: string, name: string): FakeAutoScalingGroup {
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

  /** Records the desired capacities the groups' functions give now. */
  observe(): void {
    for (const group of this.groups) {
      if (typeof group.desiredCapacity === "function") {
        this.record(group, group.desiredCapacity());
      }
    }
  }

  /** Sets a group's desired capacity now (a group whose capacity is a number). */
  setDesiredCapacity(region: string, name: string, desired: number): void {
    this.record(this.group(region, name), desired);
  }

  /** Instances InService at `at`: each change takes effect after the launch or drain delay. */
  inService(group: FakeAutoScalingGroup, at: number): number {
    let count = 0;
    for (const change of this.history.get(group) as Change[]) {
      const delay = change.desired < count ? (group.drainMs ?? 120_000) : (group.launchMs ?? 180_000);
      if (change.at === Number.NEGATIVE_INFINITY || change.at + delay <= at) {
        count = change.desired;
      }
    }
    return count;
  }

  /**
   * The instances of every group of `region` now: the first `min(serving, desired)` InService
   * (running), the others pending or shutting down, and those of earlier scale-ins terminated (EC2
   * lists terminated instances for a while after).
   */
  instances(region: string): GroupInstance[] {
    return this.groups
      .filter((g) => g.region === region)
      .flatMap((group) => {
        const changes = this.history.get(group) as Change[];
        const desired = changes[changes.length - 1].desired;
        const serving = this.inService(group, this.now());
        const ever = Math.max(...changes.map((c) => c.desired));
        return Array.from({ length: ever }, (_, i) => ({
          id: instanceId(group, i),
          state:
            i < Math.min(serving, desired)
              ? ("running" as const)
              : i < desired
                ? ("pending" as const)
                : i < serving
                  ? ("shutting-down" as const)
                  : ("terminated" as const),
          vpcId: group.vpcId ?? DR_OUTPUTS.vpcId,
          tags: { ...group.tags, "aws:autoscaling:groupName": group.name },
        }));
      });
  }

  /** Whether any instance of the group `name` in `region` is in service at `at`. */
  serving(region: string, name: string, at: number): boolean {
    return this.inService(this.group(region, name), at) > 0;
  }

  /** DescribeAutoScalingGroups over the query protocol: by names or tag filters, in pages. */
  service(): FakeService {
    return ({ body, region }) => {
      const params = new URLSearchParams(body);
      const action = params.get("Action") ?? "unknown";
      const ns = `xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/"`;
      if (action !== "DescribeAutoScalingGroups") {
        return xml(
          400,
          action,
          `<ErrorResponse ${ns}><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>the simulation does not serve ${escapeXml(action)}</Message></Error></ErrorResponse>`,
        );
      }
      this.observe();
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

  private groupXml(group: FakeAutoScalingGroup): string {
    const now = this.now();
    const desired = (this.history.get(group) as Change[]).slice(-1)[0].desired;
    const serving = this.inService(group, now);
    const instance = (i: number, state: string) =>
      `<member><InstanceId>${instanceId(group, i)}</InstanceId><AvailabilityZone>${group.region}a</AvailabilityZone><LifecycleState>${state}</LifecycleState><HealthStatus>Healthy</HealthStatus><ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>`;
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
    const id = createHash("sha256").update(group.name).digest("hex");
    return `<member><AutoScalingGroupName>${escapeXml(group.name)}</AutoScalingGroupName><AutoScalingGroupARN>arn:aws:autoscaling:${group.region}:${ACCOUNT}:autoScalingGroup:${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20, 32)}:autoScalingGroupName/${escapeXml(group.name)}</AutoScalingGroupARN><MinSize>0</MinSize><MaxSize>${Math.max(desired, serving, 1)}</MaxSize><DesiredCapacity>${desired}</DesiredCapacity><DefaultCooldown>300</DefaultCooldown><AvailabilityZones><member>${group.region}a</member></AvailabilityZones><HealthCheckType>ELB</HealthCheckType><CreatedTime>${isoTime(0)}</CreatedTime><Instances>${instances}</Instances><Tags>${tags}</Tags></member>`;
  }
}

function instanceId(group: FakeAutoScalingGroup, index: number): string {
  return `i-${createHash("sha256").update(`${group.region}/${group.name}-${index}`).digest("hex").slice(0, 17)}`;
}
