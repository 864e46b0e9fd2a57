/** "Who can destroy the last copy": each principal x destructive action x copy, from the policies the stacks generate. */
import { alignColumns } from "../output";

/** A resource the program registered, as the plan or a test recorded it. */
export interface RegisteredResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

/** The copies of the data, in the order the table shows them. */
export const COPIES = ["primary vault", "DR vault", "isolated vault", "replica bucket"] as const;
/** One of {@link COPIES}. */
export type Copy = (typeof COPIES)[number];

/** The destructive actions per kind of copy: deleting or shortening its data, or lifting what protects it. */
export const DESTRUCTIVE_ACTIONS: Readonly<Record<"vault" | "bucket", readonly string[]>> = {
  vault: [
    "backup:DeleteRecoveryPoint",
    "backup:UpdateRecoveryPointLifecycle",
    "backup:DeleteBackupVault",
    "backup:PutBackupVaultAccessPolicy",
    "backup:DeleteBackupVaultAccessPolicy",
    "backup:DeleteBackupVaultLockConfiguration",
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
    "kms:PutKeyPolicy",
  ],
  bucket: [
    "s3:DeleteObjectVersion",
    "s3:PutLifecycleConfiguration",
    "s3:PutBucketVersioning",
    "s3:PutBucketPolicy",
    "s3:DeleteBucket",
  ],
};

/** A principal of the production account the table asks about, with the identity policies it holds. */
export interface TablePrincipal {
  /** What the row says, e.g. `account admin`. */
  readonly label: string;
  readonly arn: string;
  /** Its identity policies, as IAM policy documents. */
  readonly identityPolicies: readonly object[];
}

/** One question to an IAM policy evaluator: may `principalArn` call `action` on `resourceArn`? */
export interface AuthorizationRequest {
  readonly principalArn: string;
  readonly action: string;
  readonly resourceArn: string;
  /** The account that owns the resource (and the principal: every principal here is in it). */
  readonly accountId: string;
  readonly identityPolicies: readonly object[];
  /** The resource's policy: the vault access policy, the key policy or the bucket policy. */
  readonly resourcePolicy?: object;
}

/** An evaluator's answer, as IAM's policy evaluation logic words it. */
export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/**
 * A maintained IAM policy evaluation library behind one call, e.g. @cloud-copilot/iam-simulate's
 * `runSimulation` (identity policies, resource policy, request: action, principal, resource and account).
 */
export interface PolicyEvaluator {
  /** The library and version, said in the table. */
  readonly name: string;
  evaluate(request: AuthorizationRequest): Promise<Decision>;
}

/** One cell: can this principal do this to this copy, and why. */
export interface DestroyCell {
  /** `no`, `yes`, or `not measured` (no evaluator, or a policy known only after deployment). */
  readonly answer: "no" | "yes" | "not measured";
  readonly why: string;
}

/** One row: a principal and an action, and the answer for each copy. */
export interface DestroyRow {
  readonly principal: string;
  readonly action: string;
  readonly cells: Readonly<Record<Copy, DestroyCell | undefined>>;
}

/**
 * Where AWS itself answers, whatever IAM says: a logically air-gapped vault is always under Vault Lock in
 * compliance mode and encrypted with an AWS-owned key, its points held in an AWS service-owned account, so
 * no principal of the owning account, its root user included, deletes a copy before its retention ends, nor
 * its key (AWS Backup developer guide, "Logically air-gapped vault").
 */
export const LAG_ENFORCED: DestroyCell = {
  answer: "no",
  why: 'AWS enforces it: compliance lock and an AWS-owned key (AWS Backup developer guide, "Logically air-gapped vault")',
};

/** The policy document of a registered resource's `policy` input, or undefined while it is unknown. */
function policyOf(
  resources: readonly RegisteredResource[],
  type: string,
  suffix: string,
): object | undefined {
  const found = resources.find((r) => r.type === type && r.name.endsWith(suffix));
  const policy = found?.inputs.policy;
  if (typeof policy !== "string") return undefined;
  try {
    return JSON.parse(policy) as object;
  } catch {
    return undefined;
  }
}

/** The resource policies each standard copy's actions are judged against. */
interface CopyPolicies {
  readonly vault?: object;
  readonly key?: object;
  readonly bucket?: object;
}

/** The generated resource policies of each copy: vault access policies, key policies, the replica's bucket policy. */
export function copyPolicies(resources: readonly RegisteredResource[]): Partial<Record<Copy, CopyPolicies>> {
  return {
    "primary vault": {
      vault: policyOf(resources, "aws:backup/vaultPolicy:VaultPolicy", "-primary-vault-policy"),
      key: policyOf(resources, "aws:kms/keyPolicy:KeyPolicy", "-primary-key-policy"),
    },
    "DR vault": {
      vault: policyOf(resources, "aws:backup/vaultPolicy:VaultPolicy", "-dr-vault-policy"),
      key: policyOf(resources, "aws:kms/keyPolicy:KeyPolicy", "-dr-key-policy"),
    },
    "replica bucket": {
      bucket: policyOf(resources, "aws:s3/bucketPolicy:BucketPolicy", "-replica-0-tls-only"),
    },
  };
}

/** What the table needs besides the policies: who asks, on which resources, and who answers. */
export interface DestroyTableArgs {
  readonly accountId: string;
  readonly principals: readonly TablePrincipal[];
  /** ARN of each copy's resource (for a vault's key actions, `keyArns`). */
  readonly resourceArns: Readonly<Record<Copy, string>>;
  readonly keyArns: Readonly<Partial<Record<Copy, string>>>;
  /** Whether the deployment has the isolated copy. */
  readonly isolated: boolean;
  /** The evaluator; without one, only the cells AWS itself answers are filled. */
  readonly evaluator?: PolicyEvaluator;
}

const NOT_MEASURED_NO_EVALUATOR: DestroyCell = {
  answer: "not measured",
  why: "no IAM policy evaluator is installed (@cloud-copilot/iam-simulate)",
};

/** Answers every principal x action x copy: AWS's own answer where it gives one, else the evaluator's. */
export async function destroyTable(
  resources: readonly RegisteredResource[],
  args: DestroyTableArgs,
): Promise<DestroyRow[]> {
  const policies = copyPolicies(resources);
  const rows: DestroyRow[] = [];
  for (const principal of args.principals) {
    for (const [kind, actions] of Object.entries(DESTRUCTIVE_ACTIONS) as ["vault" | "bucket", string[]][]) {
      for (const action of actions) {
        const cells: Partial<Record<Copy, DestroyCell>> = {};
        for (const copy of COPIES) {
          const isVault = copy !== "replica bucket";
          if ((kind === "vault") !== isVault) continue;
          if (copy === "isolated vault") {
            cells[copy] = args.isolated ? LAG_ENFORCED : undefined;
            continue;
          }
          cells[copy] = await standardCell(principal, action, copy, policies[copy] ?? {}, args);
        }
        rows.push({ principal: principal.label, action, cells: cells as DestroyRow["cells"] });
      }
    }
  }
  return rows;
}

/** Actions on a recovery point (backup service authorization reference: resource type `recoveryPoint`). */
const RECOVERY_POINT_ACTIONS = new Set(["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"]);
/** Actions on an object, not its bucket (Amazon S3 service authorization reference: resource type `object`). */
const OBJECT_ACTIONS = new Set(["s3:DeleteObjectVersion"]);

/**
 * The resource an action is authorized on: the copy's own ARN for vault, key and bucket actions; a recovery
 * point in the vault's region and account, or an object in the bucket, for the actions on those.
 */
function requestResource(action: string, copyArn: string): string {
  if (OBJECT_ACTIONS.has(action)) return `${copyArn}/any-object`;
  if (RECOVERY_POINT_ACTIONS.has(action)) {
    const [, partition, , region, account] = copyArn.split(":");
    return `arn:${partition}:backup:${region}:${account}:recovery-point:any-recovery-point`;
  }
  return copyArn;
}

async function standardCell(
  principal: TablePrincipal,
  action: string,
  copy: Copy,
  policies: CopyPolicies,
  args: DestroyTableArgs,
): Promise<DestroyCell> {
  if (!args.evaluator) return NOT_MEASURED_NO_EVALUATOR;
  const onKey = action.startsWith("kms:");
  const resourcePolicy = onKey ? policies.key : action.startsWith("s3:") ? policies.bucket : policies.vault;
  const copyArn = onKey ? args.keyArns[copy] : args.resourceArns[copy];
  const resourceArn = copyArn === undefined ? undefined : requestResource(action, copyArn);
  if (resourceArn === undefined) {
    return { answer: "not measured", why: "a key you bring: its policy is not generated here" };
  }
  const decision = await args.evaluator.evaluate({
    principalArn: principal.arn,
    action,
    resourceArn,
    accountId: args.accountId,
    identityPolicies: principal.identityPolicies,
    ...(resourcePolicy && { resourcePolicy }),
  });
  return decision === "Allowed"
    ? { answer: "yes", why: `${args.evaluator.name}: allowed` }
    : {
        answer: "no",
        why: `${args.evaluator.name}: ${decision === "ExplicitlyDenied" ? "explicit deny" : "no allow"}`,
      };
}

/** The table and what it was measured on (the evaluator, the policies, what was left out). */
export interface DestroyTable {
  readonly rows: DestroyRow[];
  readonly measured: string;
  /** Resources whose copies are not in the isolated vault, each with why and the source. @default none */
  readonly notIsolated?: readonly string[];
}

/** The table as text: one line per principal and action, a column per copy, then what it measured. */
export function renderDestroyTable(table: DestroyTable): string[] {
  const rows = table.rows;
  const copies = COPIES.filter((copy) => rows.some((row) => row.cells[copy] !== undefined));
  const reasons = new Map<string, number>();
  const mark = (cell: DestroyCell | undefined) => {
    if (cell === undefined) return "-";
    if (!reasons.has(cell.why)) reasons.set(cell.why, reasons.size + 1);
    return `${cell.answer} [${reasons.get(cell.why)}]`;
  };
  const body = rows.map((row) => [row.principal, row.action, ...copies.map((copy) => mark(row.cells[copy]))]);
  return [
    "Who can destroy the last copy (each principal of the production account x destructive action x copy):",
    ...alignColumns([["PRINCIPAL", "ACTION", ...copies.map((c) => c.split(" ")[0].toUpperCase())], ...body]),
    ...[...reasons].map(([why, index]) => `  [${index}] ${why}`),
    `  Measured: ${table.measured}`,
    ...(table.notIsolated ?? []).map((line) => `  Not in the isolated vault: ${line}`),
  ];
}

/** An identity policy allowing everything: an administrator's (AdministratorAccess). */
const ADMIN_POLICY = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

/** What the table knows of the prod stack's principals: the configured ARNs and the generated roles' policies. */
export interface PrincipalsArgs {
  readonly accountId: string;
  readonly deployerPrincipalArns: readonly string[];
  readonly breakGlassPrincipalArns: readonly string[];
}

/**
 * The principals of the production account: an administrator, the deployer and break-glass (the first
 * configured ARN of each, else a role of that name, labelled "none configured" for break-glass: then it is
 * one more administrator; each assumed to hold administrator rights, the usual case), and the two roles the stacks create with the inline policies they generate (the backup service
 * role also has AWS managed policies, which are not evaluated here).
 */
export function productionPrincipals(
  resources: readonly RegisteredResource[],
  args: PrincipalsArgs,
): TablePrincipal[] {
  const role = (name: string) => `arn:aws:iam::${args.accountId}:role/${name}`;
  const inlinePolicies = (roleSuffix: string) =>
    resources
      .filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.startsWith(roleSuffix))
      .flatMap((r) => {
        try {
          return typeof r.inputs.policy === "string" ? [JSON.parse(r.inputs.policy) as object] : [];
        } catch {
          return [];
        }
      });
  return [
    { label: "account admin", arn: role("Admin"), identityPolicies: [ADMIN_POLICY] },
    {
      label: "deployer",
      arn: args.deployerPrincipalArns[0] ?? role("deployer"),
      identityPolicies: [ADMIN_POLICY],
    },
    { label: "backup service role", arn: role("app-backup"), identityPolicies: inlinePolicies("app-backup") },
    { label: "servers' role", arn: role("app-instance"), identityPolicies: inlinePolicies("app-instance") },
    {
      label: args.breakGlassPrincipalArns.length > 0 ? "break-glass" : "break-glass (none configured)",
      arn: args.breakGlassPrincipalArns[0] ?? role("break-glass"),
      identityPolicies: [ADMIN_POLICY],
    },
  ];
}
