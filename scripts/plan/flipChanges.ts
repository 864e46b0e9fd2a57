// What a flip from standby to active changes, what it may change, and the control planes it calls.
import { DR_MODES } from "../../stacks/config";

/** A registered resource as both the plan engine and the tests' mock engine record it. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

/** One resource whose inputs differ between standby and active, or that exists in only one of them. */
export interface FlipChange {
  readonly type: string;
  readonly name: string;
  /** `changed`: both have it, `keys` differ; `added`/`removed`: only active/standby has it. */
  readonly kind: "changed" | "added" | "removed";
  /** Input keys that differ (all of the resource's keys when added or removed), sorted. */
  readonly keys: string[];
  /** The resource's `region` input, or `global` for a global service. */
  readonly region: string;
}

/**
 * What a flip may change (issue: the flip touches only the DR region's data planes): the Auto Scaling
 * group's capacity and the launch template's user data, which carries the restored identifiers; on ECS
 * (`compute: ecs`) the service's desired count and task definition, and the task definition's container
 * definitions and volumes (a new revision: the same variables, and a restored file system's EFS volume), all in
 * the ECS control plane of the DR region.
 */
export const FLIP_SCOPE: Readonly<Record<string, readonly string[]>> = {
  "aws:autoscaling/group:Group": ["desiredCapacity", "maxSize", "minSize"],
  "aws:ec2/launchTemplate:LaunchTemplate": ["userData"],
  "aws:ecs/service:Service": ["desiredCount", "taskDefinition"],
  "aws:ecs/taskDefinition:TaskDefinition": ["containerDefinitions", "volumes"],
};

/** Services whose control plane is global, hosted in us-east-1, and what AWS calls them. */
const GLOBAL_SERVICES: Readonly<Record<string, string>> = {
  iam: "IAM",
  route53: "Route 53",
  cloudfront: "CloudFront",
  organizations: "Organizations",
};

const SERVICE_NAMES: Readonly<Record<string, string>> = {
  autoscaling: "Auto Scaling",
  ecs: "ECS",
  ec2: "EC2",
  lb: "Elastic Load Balancing",
  alb: "Elastic Load Balancing",
  cloudwatch: "CloudWatch",
  ssm: "Systems Manager",
  rds: "RDS",
  s3: "S3",
  kms: "KMS",
};

/** `aws:autoscaling/group:Group` -> `autoscaling`; `awsx:ec2:Vpc` -> `ec2`. */
function serviceOf(type: string): string {
  return (type.split(":")[1] ?? type).split("/")[0];
}

const key = (r: RegisteredResource) => `${r.type} ${r.name}`;

function regionOf(resource: RegisteredResource, stackRegion: string): string {
  if (serviceOf(resource.type) in GLOBAL_SERVICES) return "global";
  return typeof resource.inputs.region === "string" ? resource.inputs.region : stackRegion;
}

/** Every difference between the resources of a standby and an active evaluation, sorted by type and name. */
export function diffFlip(
  standby: readonly RegisteredResource[],
  active: readonly RegisteredResource[],
  stackRegion: string,
): FlipChange[] {
  const before = new Map(standby.map((r) => [key(r), r]));
  const after = new Map(active.map((r) => [key(r), r]));
  const changes: FlipChange[] = [];
  for (const id of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const old = before.get(id);
    const updated = after.get(id);
    const resource = (updated ?? old) as RegisteredResource;
    const region = regionOf(resource, stackRegion);
    if (old === undefined || updated === undefined) {
      changes.push({
        type: resource.type,
        name: resource.name,
        kind: old === undefined ? "added" : "removed",
        keys: Object.keys(resource.inputs).sort(),
        region,
      });
      continue;
    }
    const keys = [...new Set([...Object.keys(old.inputs), ...Object.keys(updated.inputs)])]
      .filter((input) => JSON.stringify(old.inputs[input]) !== JSON.stringify(updated.inputs[input]))
      .sort();
    if (keys.length > 0) {
      changes.push({ type: resource.type, name: resource.name, kind: "changed", keys, region });
    }
  }
  return changes;
}

/** The changes {@link FLIP_SCOPE} does not allow, one sentence each naming the resource and its input keys. */
export function outsideFlipScope(changes: readonly FlipChange[]): string[] {
  return changes.flatMap((change) => {
    const allowed = FLIP_SCOPE[change.type] ?? [];
    if (change.kind !== "changed") {
      return [
        `${change.type} ${change.name} exists only in ${change.kind === "added" ? DR_MODES.active : DR_MODES.standby}`,
      ];
    }
    const extra = change.keys.filter((input) => !allowed.includes(input));
    return extra.length > 0 ? [`${change.type} ${change.name} changes ${extra.join(", ")}`] : [];
  });
}

/** A control plane a change calls: `Auto Scaling (us-west-2)`, `IAM (global, us-east-1)`. */
export function controlPlaneOf(change: FlipChange): string {
  const service = serviceOf(change.type);
  const global = GLOBAL_SERVICES[service];
  if (global !== undefined) return `${global} (global, us-east-1)`;
  return `${SERVICE_NAMES[service] ?? service} (${change.region})`;
}

/** The control planes the changes call: those in `region`, and those outside it. */
export function controlPlanes(
  changes: readonly FlipChange[],
  region: string,
): { inRegion: string[]; outside: string[] } {
  const planes = (inside: boolean) => [
    ...new Set(
      changes
        .filter((change) => (change.region === region) === inside)
        .map((change) => controlPlaneOf(change)),
    ),
  ];
  return { inRegion: planes(true).sort(), outside: planes(false).sort() };
}
