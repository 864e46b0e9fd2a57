// The dr stack's compute as the in-process tests simulate it: a new version per restored-data config, and its Auto Scaling group following the stack's config.
import { RESTORED_KEYS } from "../../stacks/config";
import { FakeAutoScalingGroup } from "../../scripts/simulation/autoScaling";
import { DR_OUTPUTS } from "../../scripts/simulation/fixtures";

/** dr's Auto Scaling group (tagged role=dr, in dr's private subnets and VPC). */
export const DR_GROUP = "dr-app-asg";

/**
 * A version number (1-based) per distinct set of restored identifiers in a stack's config, as `pulumi up`
 * makes a new launch template version (its user data) or task definition revision (its containers'
 * variables) whenever what the servers are pointed at changes; an earlier set seen again keeps its number.
 */
export function restoredVersions(): (config: Readonly<Record<string, string>>) => number {
  const seen: string[] = [];
  return (config) => {
    const key = [...RESTORED_KEYS, "restoredData"].map((k) => config[`dr-app:${k}`] ?? "").join("|");
    if (!seen.includes(key)) seen.push(key);
    return seen.indexOf(key) + 1;
  };
}

/**
 * The dr stack's Auto Scaling group {@link DR_GROUP} following the stack's config as its last `up` left it
 * (stacks/dr.ts): the active desired capacity (default 3) while active, else 0; a new launch template
 * version when the restored identifiers change, which the group's `instanceRefresh` block rolls out
 * (terraform-provider-aws starts the refresh and does not wait). `overrides` set its timings (launch,
 * drain, refresh warm-up), e.g. zero for a test about something else.
 */
export function drGroupFollowing(
  config: () => Readonly<Record<string, string>>,
  overrides: Partial<FakeAutoScalingGroup> = {},
): FakeAutoScalingGroup {
  const version = restoredVersions();
  return {
    region: DR_OUTPUTS.region,
    name: DR_GROUP,
    tags: { role: "dr" },
    vpcId: DR_OUTPUTS.vpcId,
    subnetIds: DR_OUTPUTS.privateSubnetIds,
    desiredCapacity: () => {
      const now = config();
      return now["dr-app:mode"] === "active" ? Number(now["dr-app:drActiveDesiredCapacity"] ?? 3) : 0;
    },
    launchTemplateVersion: () => version(config()),
    instanceRefresh: { minHealthyPercentage: 50, instanceWarmupMs: 300_000 },
    ...overrides,
  };
}
