// The failback's preflight check that its caller may update prod's vault access policy (prod-data's `pulumi up`).
import { BackupClient, GetBackupVaultAccessPolicyCommand } from "@aws-sdk/client-backup";
import { CONFIG_NAMESPACE } from "../../../stacks/config";
import { describeAwsError, isNotFoundError } from "../../aws/errors";
import { DrError } from "../../errors";
import { CallerIdentity } from "../core/awsChecks";

/** The prod stack's config key listing who may update the vault policy (stacks/README.md). */
export const DEPLOYERS_KEY = `${CONFIG_NAMESPACE}:deployerPrincipalArns`;

/** The action prod-data's `pulumi up` needs when it re-renders a vault policy. */
const POLICY_UPDATE = "backup:PutBackupVaultAccessPolicy";

/**
 * The `aws:PrincipalArn` of a caller as STS GetCallerIdentity names it: an assumed-role session
 * (`arn:aws:sts::<account>:assumed-role/<role>/<session>`) counts as its role (IAM user guide, "AWS global
 * condition context keys", aws:PrincipalArn). The session ARN does not carry the role's path, so the role
 * comes back without it; {@link coveredBy} allows for that. Any other caller is its own ARN.
 */
export function principalArnOf(callerArn: string): { readonly arn: string; readonly roleName?: string } {
  const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(callerArn);
  return session
    ? { arn: `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`, roleName: session[3] }
    : { arn: callerArn };
}

/** An `ArnLike` pattern as a regular expression: `*` any run of characters, `?` any one (IAM condition operators). */
function arnLike(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

/**
 * How far an exempt pattern covers a principal: `yes` whatever the role's path, `if-path` only for some
 * role paths (the session ARN hides the path, so this check cannot tell; `path` says which one the pattern
 * assumes), `no` never.
 */
export type Coverage =
  | { readonly covered: "yes" | "no" }
  | { readonly covered: "if-path"; readonly pattern: string; readonly path: string };

/**
 * A run of characters no pattern holds, standing in for an unknown path segment: a pattern matching a role
 * ARN with it in the path matches by a wildcard, not by naming that path.
 */
function unknownSegment(patterns: readonly string[]): string {
  const letter = ["Q", "Z", "X", "J", "K"].find((c) => patterns.every((p) => !p.includes(c))) ?? "Q";
  return letter.repeat(Math.max(8, ...patterns.map((p) => p.length + 1)));
}

/**
 * Whether the exempt ARN patterns cover the principal (aws:PrincipalArn, which for a role session is the
 * role's ARN WITH its path: IAM user guide, "AWS global condition context keys", aws:PrincipalArn; STS
 * GetCallerIdentity's assumed-role ARN has no path). For a role session the pattern must match the role
 * at the root path and under any other path to cover it for sure; a pattern naming the role under one
 * path (`role/ops/<name>`), or without a path (`role/<name>`, right only for a role at `/`), covers it
 * only if the role's path is that one.
 */
export function coverage(
  principal: ReturnType<typeof principalArnOf>,
  patterns: readonly string[],
): Coverage {
  if (principal.roleName === undefined) {
    return { covered: patterns.some((p) => arnLike(p).test(principal.arn)) ? "yes" : "no" };
  }
  const rolePrefix = principal.arn.slice(0, principal.arn.length - principal.roleName.length);
  const unknown = unknownSegment(patterns);
  const withPath = (path: string) => `${rolePrefix}${path}${principal.roleName}`;
  const anyPath = [withPath(""), withPath(`${unknown}/`), withPath(`${unknown}/${unknown}/`)];
  if (patterns.some((p) => anyPath.every((arn) => arnLike(p).test(arn)))) return { covered: "yes" };
  for (const pattern of patterns) {
    if (!pattern.startsWith(rolePrefix)) continue;
    const segments = pattern.slice(rolePrefix.length).split("/");
    if (!arnLike(segments[segments.length - 1]).test(principal.roleName)) continue;
    const path = `/${segments
      .slice(0, -1)
      .map((s) => `${s}/`)
      .join("")}`;
    return { covered: "if-path", pattern, path };
  }
  return { covered: "no" };
}

/** Whether the exempt patterns cover the principal whatever its role's path ({@link coverage}). */
export function coveredBy(
  principal: ReturnType<typeof principalArnOf>,
  patterns: readonly string[],
): boolean {
  return coverage(principal, patterns).covered === "yes";
}

/** A policy statement, as far as this check reads it. */
interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : ([] as T[]).concat(value));

/** Whether the action list names the policy update, itself or through a wildcard. */
function namesPolicyUpdate(actions: string[]): boolean {
  return actions.some((action) => arnLike(action.toLowerCase()).test(POLICY_UPDATE.toLowerCase()));
}

/**
 * The exempt patterns of each Deny statement covering the policy update: `[]` for a deny without
 * condition (nobody exempt), the `aws:PrincipalArn` list of an `ArnNotLike`/`ArnNotEquals` condition, or
 * `undefined` for a condition this check does not read.
 */
export function policyUpdateDenials(policy: string): (string[] | undefined)[] {
  const statements = asList(JSON.parse(policy).Statement as Statement | Statement[]);
  return statements
    .filter((s) => s.Effect === "Deny" && namesPolicyUpdate(asList(s.Action)))
    .map((s) => {
      const conditions = Object.entries(s.Condition ?? {});
      if (conditions.length === 0) return [];
      const [operator, keys] = conditions.length === 1 ? conditions[0] : ["", {}];
      const entries = Object.entries(keys);
      return ["ArnNotLike", "ArnNotEquals"].includes(operator) &&
        entries.length === 1 &&
        entries[0][0].toLowerCase() === "aws:principalarn"
        ? asList(entries[0][1])
        : undefined;
    });
}

/** What the deployer check found: a line for the operator, and a warning when it could not be sure. */
export interface DeployerCheck {
  readonly info: string;
  /** Set when the caller is exempt only if its role's path is the one a listed ARN names. */
  readonly warning?: string;
}

/**
 * Refuses, before anything starts, a failback whose caller the primary vault's live access policy denies
 * `PutBackupVaultAccessPolicy`: prod-data's `pulumi up` of prod would be denied it after the write freeze
 * whenever it updates the policy. Reads the policy with GetBackupVaultAccessPolicy in the primary region;
 * a vault without a policy, or a deny whose condition this check does not read, passes.
 *
 * A role session listed only by an ARN that names one path for its role (or none) passes with a warning:
 * the session ARN STS returns does not carry the role's path, and reading it (iam:GetRole) would need the
 * IAM control plane, which this tool does not call. Refusing instead would stop every session of a role
 * listed by its exact ARN, the documented way to list a deployer; a wrong guess stops the failback at
 * prod-data, which a listed deployer then resumes (scripts/README.md).
 */
export async function checkDeployerCovered(
  backup: BackupClient,
  vaultName: string,
  region: string,
  identity: CallerIdentity,
): Promise<DeployerCheck> {
  let policy: string | undefined;
  try {
    policy = (await backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: vaultName })))
      ?.Policy;
  } catch (err) {
    if (isNotFoundError(err)) {
      return { info: `vault '${vaultName}' has no access policy: the prod update may set one` };
    }
    throw new DrError(
      `cannot read the access policy of vault '${vaultName}' in ${region} (GetBackupVaultAccessPolicy): ${describeAwsError(err)}`,
    );
  }
  const principal = principalArnOf(identity.arn);
  const denials = policy === undefined ? [] : policyUpdateDenials(policy);
  const read = denials.flatMap((exempt) => (exempt === undefined ? [] : [exempt]));
  const refusing = read.find((exempt) => coverage(principal, exempt).covered === "no");
  if (refusing) {
    throw new DrError(
      `the caller ${identity.arn} (aws:PrincipalArn ${principal.arn}) is denied ${POLICY_UPDATE} by the access policy of vault '${vaultName}' in ${region}, ` +
        `so the failback's prod update could fail after the write freeze. Run dr failback as one of ${
          refusing.length > 0 ? refusing.join(", ") : "(nobody is exempt)"
        }, or add this role to ${DEPLOYERS_KEY} on the prod stack and run 'pulumi up -s prod' as a listed deployer first`,
    );
  }
  const unsure = read.map((exempt) => coverage(principal, exempt)).find((c) => c.covered === "if-path");
  const warning =
    unsure?.covered === "if-path"
      ? `the caller ${identity.arn} is exempt from the access policy of vault '${vaultName}' only if its role's path is '${unsure.path}' (listed: ${unsure.pattern}): ` +
        `the session ARN does not carry the path, and aws:PrincipalArn does, so this is not checked. If the role has another path ` +
        `(aws iam get-role --role-name ${principal.roleName} shows it), the prod update is denied ${POLICY_UPDATE} after the write freeze: ` +
        `list the role's ARN with its path in ${DEPLOYERS_KEY} and run 'pulumi up -s prod' as a listed deployer first`
      : undefined;
  if (denials.length === 0)
    return { info: `vault '${vaultName}': its access policy leaves ${POLICY_UPDATE} to IAM` };
  const info =
    read.length === denials.length
      ? `vault '${vaultName}': ${principal.arn} is exempt from its access policy${warning ? " (if its path is as listed)" : ""}`
      : `vault '${vaultName}': its access policy denies ${POLICY_UPDATE} under a condition not checked here`;
  return warning ? { info, warning } : { info };
}
