// EC2's instances model: the instances of a region (restored ones and the Auto Scaling groups') and DescribeInstances' filters and pages.
import type { GroupInstance } from "./autoScaling";
import { FakeApiError } from "./backupJobs";
import { ResourceStore, metaValue } from "./resourceStore";

/** A DescribeInstances filter (`Filter.N`): vpc-id, instance-state-name, tag-key or tag:<key>. */
export interface InstanceFilter {
  readonly name: string;
  readonly values: readonly string[];
}

/** What DescribeInstances asks: ids (InstanceId.N), filters, MaxResults (default 1000), NextToken. */
export interface InstanceQuery {
  readonly ids?: readonly string[];
  readonly filters?: readonly InstanceFilter[];
  readonly maxResults?: number;
  readonly nextToken?: string;
}

/**
 * The instances of `region`: those restore jobs created (in the store, running, in the VPC of their
 * restore metadata) and those of the Auto Scaling groups (`groupInstances`, autoScaling.ts).
 */
export function regionInstances(
  store: ResourceStore,
  region: string,
  groupInstances: (region: string) => GroupInstance[],
): GroupInstance[] {
  return [
    ...store
      .list(region)
      .filter((r) => r.type === "EC2")
      .map((r) => ({
        id: r.id,
        state: "running" as const,
        vpcId: metaValue(r.metadata, "vpcId") ?? "",
        tags: {},
      })),
    ...groupInstances(region),
  ];
}

/**
 * EC2 DescribeInstances over `all`: by ids (InvalidInstanceID.NotFound when one is unknown) and by
 * filters (vpc-id, instance-state-name, tag-key, tag:<key>; an unknown filter matches nothing), in pages
 * of `maxResults` with a next token.
 */
export function describeInstances(
  all: readonly GroupInstance[],
  query: InstanceQuery = {},
): { instances: GroupInstance[]; nextToken?: string } {
  const ids = query.ids ?? [];
  const unknown = ids.find((id) => !all.some((i) => i.id === id));
  if (unknown !== undefined) {
    throw new FakeApiError(400, "InvalidInstanceID.NotFound", `The instance ID '${unknown}' does not exist`);
  }
  const matches = (i: GroupInstance, { name, values }: InstanceFilter) => {
    if (name === "vpc-id") return values.includes(i.vpcId);
    if (name === "instance-state-name") return values.includes(i.state);
    if (name === "tag-key") return values.some((v) => v in i.tags);
    if (name.startsWith("tag:")) return values.includes(i.tags[name.slice(4)]);
    return false;
  };
  const matching = all.filter(
    (i) => (ids.length === 0 || ids.includes(i.id)) && (query.filters ?? []).every((f) => matches(i, f)),
  );
  const size = query.maxResults ?? 1000;
  const offset = Number(query.nextToken ?? 0);
  return {
    instances: matching.slice(offset, offset + size),
    nextToken: offset + size < matching.length ? String(offset + size) : undefined,
  };
}

/** EC2's state codes (InstanceState Code). */
export const STATE_CODES = { pending: 0, running: 16, "shutting-down": 32, terminated: 48 } as const;
