// Rehearsal scenarios: how restores, recovery points and failback backups end; built in or read from a file.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { DrError, errorMessage } from "../errors";
import { FAILURE_CAUSES, FailureCause } from "./failureCauses";

/** How one protected resource's restore ends in a scenario. */
export interface RestoreRule {
  /** Logical name in the program (`app-db`) or AWS Backup resource type (`RDS`). */
  readonly resource: string;
  /** Final state of its restore job. Default COMPLETED. */
  readonly outcome?: "COMPLETED" | "FAILED" | "ABORTED";
  /**
   * Why it fails (the outcome is then FAILED unless given): AWS's message for it, and what gets past it in
   * the simulation, `kms` and `quota` nothing (a key policy or a quota is outside AWS Backup),
   * `name-conflict` and `capacity` a retry with other `--metadata`, `transient` a retry. Default: none.
   */
  readonly cause?: FailureCause;
  /** StatusMessage of a FAILED or ABORTED job. Default: the cause's, else "Restore failed". */
  readonly message?: string;
  /** Simulated minutes the restore takes. Default: the estimate from the resource's type and size. */
  readonly minutes?: number;
}

/** A newest recovery point that is not usable. */
export interface NewestPointRule {
  /** Logical name in the program or AWS Backup resource type. */
  readonly resource: string;
  /** Status AWS Backup gives it. Default PARTIAL. */
  readonly status?: "PARTIAL" | "EXPIRED" | "DELETING" | "CREATING";
  /** Its StatusMessage. Default: none. */
  readonly message?: string;
}

/** What happens during a rehearsal: built in, or read from a JSON or YAML file. */
export interface Scenario {
  /** Lower-case letters, digits and hyphens. */
  readonly name: string;
  /** One sentence for the trainee, printed at the start. */
  readonly description: string;
  /**
   * `down` (default): the primary region's AWS Backup API does not answer, as in a regional outage.
   * `answers`: it does, and the recovery refuses to fail over until the operator overrides it.
   */
  readonly primary?: "down" | "answers";
  /** Answer every n-th restore job status call (ListRestoreJobs, DescribeRestoreJob) with a ThrottlingException (n >= 2). Default: no throttling. */
  readonly throttleEvery?: number;
  /**
   * The operator presses Ctrl-C when this fraction (0 < x < 1) of the longest restore has passed, then
   * runs the same command again to resume. Default: no interruption.
   */
  readonly interruptAt?: number;
  /** Restores that end otherwise or take another time. Default: all complete, at their estimate. */
  readonly restores?: readonly RestoreRule[];
  /** Resources whose newest recovery point is not usable. Default none. */
  readonly newestPoints?: readonly NewestPointRule[];
  /**
   * `dr rehearse failback` only: resources whose backups in the DR region (the failback's pre-copy and
   * final backups) end FAILED or ABORTED. Default none.
   */
  readonly failbackBackups?: readonly FailbackBackupRule[];
  /**
   * An attacker holding the deployer's role deletes every recovery point of the DR vault before the run
   * (DeleteRecoveryPoint), and tries the isolated vault's, which its compliance lock refuses: the run must
   * recover from the isolated (logically air-gapped) vault. Default false.
   */
  readonly drVaultWiped?: boolean;
}

/** How the failback's backups of one resource end in a scenario. */
export interface FailbackBackupRule {
  /** Logical name in the program or AWS Backup resource type. */
  readonly resource: string;
  /** Final state of its backup jobs. Default FAILED. */
  readonly outcome?: "FAILED" | "ABORTED";
  /** StatusMessage of the jobs. Default: a message naming the resource. */
  readonly message?: string;
}

/** The scenarios `--scenario <name>` knows, in the order `dr rehearse --help` lists them. */
export const BUILT_IN_SCENARIOS: readonly Scenario[] = [
  {
    name: "all-fine",
    description: "The primary region is down; every restore completes; the dr stack flips and answers.",
  },
  {
    name: "restore-fails",
    description:
      "The DynamoDB table's restore is denied the KMS key (kms:CreateGrant): the others complete, the run ends PARTIAL and advises the key policy fix, which a retry alone does not make.",
    restores: [{ resource: "DynamoDB", cause: "kms" }],
  },
  {
    name: "restore-name-conflict",
    description:
      "The DynamoDB table's restore finds its name taken: the advice is another name; practise it with -- --retry-failed --metadata dynamodb.targetTableName=dr-<new name>.",
    restores: [{ resource: "DynamoDB", cause: "name-conflict" }],
  },
  {
    name: "restore-capacity",
    description:
      "The database's restore finds no capacity for its instance class: the advice is another class or zone; practise it with -- --retry-failed --metadata rds.DBInstanceClass=<class>.",
    restores: [{ resource: "RDS", cause: "capacity" }],
  },
  {
    name: "restore-quota",
    description:
      "The database's restore exceeds the account's DB instance quota: the advice is the quota request; a retry fails the same way.",
    restores: [{ resource: "RDS", cause: "quota" }],
  },
  {
    name: "restore-transient",
    description:
      "The DynamoDB table's restore is throttled (Rate exceeded): the advice is --retry-failed, which completes it; practise it with -- --retry-failed.",
    restores: [{ resource: "DynamoDB", cause: "transient" }],
  },
  {
    name: "partial-point",
    description:
      "The newest S3 recovery point is PARTIAL: it is passed over for the one before, and the RPO shows the older data.",
    newestPoints: [
      {
        resource: "S3",
        status: "PARTIAL",
        message: "Backup completed with 3 objects that could not be read",
      },
    ],
  },
  {
    name: "throttling",
    description:
      "AWS Backup throttles every third status call: the SDK's adaptive retries absorb it and the run completes.",
    throttleEvery: 3,
  },
  {
    name: "interrupt-resume",
    description:
      "The operator presses Ctrl-C halfway; the restore jobs keep running; the same command again resumes them, starting none twice.",
    interruptAt: 0.5,
  },
  {
    name: "primary-answers",
    description:
      "The primary region still answers: the recovery refuses to fail over; the incident lead decides to override with --skip-primary-check.",
    primary: "answers",
  },
  {
    name: "vault-wiped",
    description:
      "An attacker with the deployer's role deleted every recovery point in the DR vault; the isolated (logically air-gapped) vault refused the same deletions: the recovery restores everything from it.",
    drVaultWiped: true,
  },
  {
    name: "failback-backup-fails",
    description:
      "For 'dr rehearse failback': the database's backups in DR fail; the failback stops at its pre-copy, before any write is frozen, saying how to resume.",
    failbackBackups: [
      {
        resource: "RDS",
        outcome: "FAILED",
        message:
          "Insufficient privileges to perform this action: the backup role cannot use the KMS key of the restored database",
      },
    ],
  },
];

const FIELDS = [
  "name",
  "description",
  "primary",
  "throttleEvery",
  "interruptAt",
  "restores",
  "newestPoints",
  "failbackBackups",
  "drVaultWiped",
];
const BACKUP_FIELDS = ["resource", "outcome", "message"];
const RESTORE_FIELDS = ["resource", "cause", "outcome", "message", "minutes"];
const POINT_FIELDS = ["resource", "status", "message"];

type Raw = Record<string, unknown>;

function fail(source: string, message: string): never {
  throw new DrError(`scenario ${source}: ${message}`);
}

/** What is wrong with a scenario, every problem found, thrown at once: one line each, naming the source. */
class Problems {
  private readonly lines: string[] = [];

  constructor(private readonly source: string) {}

  /** Records `problem`; undefined, for the value it rejects. */
  add(problem: string): undefined {
    this.lines.push(`scenario ${this.source}: ${problem}`);
    return undefined;
  }

  /** Throws a {@link DrError} (exit 2: bad input) listing every problem recorded, if any. */
  throwAny(): void {
    if (this.lines.length > 0) throw new DrError(this.lines.join("\n"));
  }
}

function checkFields(problems: Problems, where: string, value: Raw, allowed: string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      problems.add(`unknown field '${where}${key}' (fields: ${allowed.join(", ")})`);
    }
  }
}

function isObject(value: unknown): value is Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function optionalString(problems: Problems, field: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || value.trim() === "") {
    return problems.add(`${field} ${JSON.stringify(value)} must be a non-empty string`);
  }
  return value;
}

function requiredString(problems: Problems, field: string, value: unknown): string | undefined {
  if (value === undefined) return problems.add(`${field} is required`);
  return optionalString(problems, field, value);
}

function optionalChoice<T extends string>(
  problems: Problems,
  field: string,
  value: unknown,
  choices: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !choices.includes(value as T)) {
    return problems.add(`${field} ${JSON.stringify(value)} must be one of ${choices.join(", ")}`);
  }
  return value as T;
}

/**
 * The rules of the list `field`, in order: each item an object with only the `allowed` fields, given to
 * `parse` with its place (`restores[0]`); what is not reported and left out.
 */
function list<T>(
  problems: Problems,
  field: string,
  value: unknown,
  allowed: string[],
  parse: (raw: Raw, where: string) => T,
): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.add(`${field} must be a list`);
    return [];
  }
  return value.flatMap((item, i) => {
    const where = `${field}[${i}]`;
    if (!isObject(item)) {
      problems.add(`${where} must be an object with a 'resource' field`);
      return [];
    }
    checkFields(problems, `${where}.`, item, allowed);
    return [parse(item, where)];
  });
}

/**
 * Checks a scenario's shape and values and reports every problem at once (one line each, naming the
 * source, the field, the value and the rule). Resource names are checked against the stacks later
 * ({@link checkScenarioResources}).
 * @throws DrError (exit 2) listing the problems.
 */
export function parseScenario(value: unknown, source: string): Scenario {
  if (!isObject(value)) {
    fail(source, "must be an object with at least 'name' and 'description'");
  }
  const problems = new Problems(source);
  checkFields(problems, "", value, FIELDS);
  const name = requiredString(problems, "name", value.name);
  if (name !== undefined && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) {
    problems.add(`name ${JSON.stringify(name)} must be lower-case letters, digits and single hyphens`);
  }
  const description = requiredString(problems, "description", value.description);
  const primary = optionalChoice(problems, "primary", value.primary, ["down", "answers"] as const);
  const throttleEvery = value.throttleEvery;
  if (throttleEvery !== undefined && (!Number.isInteger(throttleEvery) || (throttleEvery as number) < 2)) {
    problems.add(`throttleEvery ${JSON.stringify(throttleEvery)} must be a whole number of at least 2`);
  }
  const interruptAt = value.interruptAt;
  if (
    interruptAt !== undefined &&
    (typeof interruptAt !== "number" || !(interruptAt > 0 && interruptAt < 1))
  ) {
    problems.add(
      `interruptAt ${JSON.stringify(interruptAt)} must be a number between 0 and 1 (a fraction of the longest restore)`,
    );
  }
  if (interruptAt !== undefined && value.primary === "answers") {
    problems.add(
      "interruptAt cannot be combined with primary 'answers': that run is refused before any restore starts",
    );
  }
  const restores = list(problems, "restores", value.restores, RESTORE_FIELDS, (raw, where): RestoreRule => {
    const resource = requiredString(problems, `${where}.resource`, raw.resource);
    const outcome = optionalChoice(problems, `${where}.outcome`, raw.outcome, [
      "COMPLETED",
      "FAILED",
      "ABORTED",
    ] as const);
    const message = optionalString(problems, `${where}.message`, raw.message);
    const minutes = raw.minutes;
    if (minutes !== undefined && (typeof minutes !== "number" || !(minutes > 0))) {
      problems.add(`${where}.minutes ${JSON.stringify(minutes)} must be a positive number`);
    }
    const cause = optionalChoice(problems, `${where}.cause`, raw.cause, FAILURE_CAUSES);
    return {
      resource: resource ?? "",
      outcome,
      ...(cause ? { cause } : {}),
      message,
      minutes: minutes as number | undefined,
    };
  });
  const newestPoints = list(
    problems,
    "newestPoints",
    value.newestPoints,
    POINT_FIELDS,
    (raw, where): NewestPointRule => ({
      resource: requiredString(problems, `${where}.resource`, raw.resource) ?? "",
      status: optionalChoice(problems, `${where}.status`, raw.status, [
        "PARTIAL",
        "EXPIRED",
        "DELETING",
        "CREATING",
      ] as const),
      message: optionalString(problems, `${where}.message`, raw.message),
    }),
  );
  const failbackBackups = list(
    problems,
    "failbackBackups",
    value.failbackBackups,
    BACKUP_FIELDS,
    (raw, where): FailbackBackupRule => ({
      resource: requiredString(problems, `${where}.resource`, raw.resource) ?? "",
      outcome: optionalChoice(problems, `${where}.outcome`, raw.outcome, ["FAILED", "ABORTED"] as const),
      message: optionalString(problems, `${where}.message`, raw.message),
    }),
  );
  const drVaultWiped = value.drVaultWiped;
  if (drVaultWiped !== undefined && typeof drVaultWiped !== "boolean") {
    problems.add(`drVaultWiped ${JSON.stringify(drVaultWiped)} must be true or false`);
  }
  problems.throwAny();
  return {
    ...(drVaultWiped === true && { drVaultWiped: true }),
    name: name as string,
    description: description as string,
    primary,
    throttleEvery: throttleEvery as number | undefined,
    interruptAt: interruptAt as number | undefined,
    restores,
    newestPoints,
    failbackBackups,
  };
}

/**
 * `--scenario <name|file>`: a built-in scenario by name, else a `.json`, `.yaml` or `.yml` file,
 * validated. Fails with the list of built-in names when it is neither.
 */
export function loadScenario(spec: string, cwd: string): Scenario {
  const builtIn = BUILT_IN_SCENARIOS.find((s) => s.name === spec);
  if (builtIn) {
    return builtIn;
  }
  const file = path.resolve(cwd, spec);
  if (!fs.existsSync(file)) {
    throw new DrError(
      `--scenario '${spec}' is neither a built-in scenario (${BUILT_IN_SCENARIOS.map((s) => s.name).join(", ")}) nor a file`,
    );
  }
  const source = `file ${spec}`;
  const ext = path.extname(file).toLowerCase();
  if (![".json", ".yaml", ".yml"].includes(ext)) {
    fail(source, "must end in .json, .yaml or .yml");
  }
  const text = fs.readFileSync(file, "utf8");
  let value: unknown;
  try {
    value = ext === ".json" ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    fail(source, `is not valid ${ext === ".json" ? "JSON" : "YAML"}: ${errorMessage(err)}`);
  }
  return parseScenario(value, source);
}

/** A protected resource as scenarios refer to it. */
export interface NamedResource {
  readonly logicalName: string;
  readonly resourceType: string;
}

/**
 * Checks every resource the scenario's rules name against what the stacks protect, before anything starts.
 * @throws DrError (exit 2) naming each rule whose resource matches nothing, at once.
 */
export function checkScenarioResources(scenario: Scenario, resources: readonly NamedResource[]): void {
  const problems = new Problems(`'${scenario.name}'`);
  const rules = {
    restores: scenario.restores,
    newestPoints: scenario.newestPoints,
    failbackBackups: scenario.failbackBackups,
  };
  for (const [field, list] of Object.entries(rules)) {
    (list ?? []).forEach((rule, i) => {
      if (matching(rule.resource, resources).length === 0) {
        problems.add(unmatched(`${field}[${i}].resource`, rule.resource, resources));
      }
    });
  }
  problems.throwAny();
}

/** The resources `resource` names: by logical name, else every resource of that type. */
function matching<T extends NamedResource>(resource: string, resources: readonly T[]): T[] {
  const byName = resources.filter((r) => r.logicalName === resource);
  return byName.length > 0 ? byName : resources.filter((r) => r.resourceType === resource);
}

function unmatched(field: string, resource: string, resources: readonly NamedResource[]): string {
  return `${field} '${resource}' matches no resource the stacks protect (${resources
    .map((r) => `${r.logicalName} (${r.resourceType})`)
    .join(", ")})`;
}

/**
 * The resources a scenario rule names: by logical name, else every resource of that type. Fails,
 * before anything starts, when the name matches nothing the stacks protect.
 */
export function matchResources<T extends NamedResource>(
  scenario: Scenario,
  field: string,
  resource: string,
  resources: readonly T[],
): T[] {
  const matched = matching(resource, resources);
  if (matched.length === 0) fail(`'${scenario.name}'`, unmatched(field, resource, resources));
  return matched;
}
