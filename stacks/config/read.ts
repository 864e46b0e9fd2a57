/** `readSettings`: a stack's whole config read and validated into plain settings, every problem at once. */
import { validation } from "@restorekit/backup-restore-dr";
import { readDr } from "./dr";
import { readEnvironment } from "./environment";
import { readPrimary } from "./primary";
import { ConfigReader, StackConfigError } from "./reader";
import { CONFIG_NAMESPACE, DR_MODES } from "./schema";
import { CommonSettings, StackSettings } from "./settings";
import { ConfigSource, StackIdentity } from "./source";

/**
 * Reads and validates the stack's config. Problems are collected and thrown together as a
 * `StackConfigError`, so one preview shows all of them. Pure: it reads only `source` and `identity` and
 * returns plain data (no Outputs), so the program (which takes both from the Pulumi runtime, stacks/program.ts),
 * the offline tools (scripts/deployment) and tests derive the same settings from the same config.
 */
export function readSettings(source: ConfigSource, identity: StackIdentity): StackSettings {
  const reader = new ConfigReader(source);
  const role = reader.oneOf("role", ["primary", "dr"] as const);
  const primaryRegion = reader.string("primaryRegion");
  const drRegion = reader.string("drRegion");
  for (const [key, value] of [
    ["primaryRegion", primaryRegion],
    ["drRegion", drRegion],
  ] as const) {
    if (!validation.KNOWN_REGIONS.has(value)) {
      reader.problem(key, value, "is not an AWS region name such as us-east-1");
    }
  }
  if (primaryRegion === drRegion) {
    reader.problem(
      "drRegion",
      drRegion,
      "must differ from dr-app:primaryRegion: a DR copy in the same region is lost with it",
    );
  }
  const expectedRegion = role === "primary" ? primaryRegion : drRegion;
  const region = source.get("aws:region");
  if (region === undefined) {
    // Pulumi's ConfigMissingError wording.
    reader.problems.push(
      "Missing required configuration variable 'aws:region'\n\tplease set a value using the command `pulumi config set aws:region <value>`",
    );
  } else if (region !== expectedRegion) {
    reader.problem(
      "aws:region",
      region,
      `must equal ${CONFIG_NAMESPACE}:${role === "primary" ? "primaryRegion" : "drRegion"} (${expectedRegion}) on a stack with role ${role}`,
    );
  }
  const stackRegion = region ?? expectedRegion;
  const mode = reader.string("mode");
  if (role === "primary") {
    if (mode === DR_MODES.active) {
      reader.problem(
        "mode",
        mode,
        "applies to a dr stack only; a primary stack always runs at its configured capacity",
      );
    }
  }
  const common: CommonSettings = {
    project: identity.project,
    stack: identity.stack,
    region: stackRegion,
    primaryRegion,
    drRegion,
    environment: readEnvironment(reader, stackRegion, role),
    retainData: reader.boolean("retainData"),
    objectives: { rpoMinutes: reader.integer("rpoMinutes", 1), rtoMinutes: reader.integer("rtoMinutes", 1) },
    warnings: reader.warnings,
  };
  const settings = role === "primary" ? readPrimary(reader, common) : readDr(reader, common);
  if (common.environment.compute === "ecs") {
    // ECS gives a task only an EBS volume it creates itself at launch (empty or from a snapshot), one per
    // task, never an existing volume: a restored or prod's own volume cannot reach the tasks (ECS developer
    // guide, "Use Amazon EBS volumes with Amazon ECS").
    for (const entry of settings.data.filter((candidate) => candidate.kind === "ebs")) {
      reader.problem(
        `data[${entry.name}].kind`,
        entry.kind,
        "cannot be served with compute ecs: an ECS task gets only a new EBS volume ECS creates at its launch, never an existing one such as prod's or a restored volume; use an efs entry, or compute autoscaling",
      );
    }
  }
  if (reader.problems.length > 0) {
    throw new StackConfigError(reader.problems);
  }
  return settings;
}
