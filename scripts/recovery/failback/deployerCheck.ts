// The failback's preflight check that its caller may update prod's vault access policy (prod-data's `pulumi up`).
import { BackupClient, GetBackupVaultAccessPolicyCommand } from "@aws-sdk/client-backup";
import { CONFIG_NAMESPACE } from "../../../stacks/config";
import { describeAwsError, isNotFoundError } from "../../aws/errors";
import { DrError } from "../../errors";
import { CallerIdentity } from "../preflight/aws";

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
 * Whether one of the exempt ARN patterns covers the principal. A role named by its path-qualified ARN
 * (`role/aws-reserved/sso.amazonaws.com/<name>`) covers a session of that role, whose ARN carries no path.
 */
export function coveredBy(
  principal: ReturnType<typeof principalArnOf>,
  patterns: readonly string[],
): boolean {
  return patterns.some((pattern) => {
    if (arnLike(pattern).test(principal.arn)) return true;
    if (principal.roleName === undefined) return false;
    const rolePrefix = principal.arn.slice(0, principal.arn.length - principal.roleName.length);
    return pattern.startsWith(rolePrefix) && arnLike(pattern.split("/").pop() ?? "").test(principal.roleName);
  });
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

/**
 * Refuses, before anything starts, a failback whose caller the primary vault's live access policy denies
 * `PutBackupVaultAccessPolicy`: prod-data's `pulumi up` of prod would be denied it after the write freeze
 * whenever it updates the policy. Reads the policy with GetBackupVaultAccessPolicy in the primary region;
 * a vault without a policy, or a deny whose condition this check does not read, passes.
 * @returns a line for the operator saying what was checked
 */
export async function checkDeployerCovered(
  backup: BackupClient,
  vaultName: string,
  region: string,
  identity: CallerIdentity,
): Promise<string> {
  let policy: string | undefined;
  try {
    policy = (await backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: vaultName })))
      ?.Policy;
  } catch (err) {
    if (isNotFoundError(err)) return `vault '${vaultName}' has no access policy: the prod update may set one`;
    throw new DrError(
      `cannot read the access policy of vault '${vaultName}' in ${region} (GetBackupVaultAccessPolicy): ${describeAwsError(err)}`,
    );
  }
  const principal = principalArnOf(identity.arn);
  const denials = policy === undefined ? [] : policyUpdateDenials(policy);
  const refusing = denials.find((exempt) => exempt !== undefined && !coveredBy(principal, exempt));
  if (refusing) {
    throw new DrError(
      `the caller ${identity.arn} (aws:PrincipalArn ${principal.arn}) is denied ${POLICY_UPDATE} by the access policy of vault '${vaultName}' in ${region}, ` +
        `so the failback's prod update could fail after the write freeze. Run dr failback as one of ${
          refusing.length > 0 ? refusing.join(", ") : "(nobody is exempt)"
        }, or add this role to ${DEPLOYERS_KEY} on the prod stack and run 'pulumi up -s prod' as a listed deployer first`,
    );
  }
  if (denials.length === 0) return `vault '${vaultName}': its access policy leaves ${POLICY_UPDATE} to IAM`;
  return denials.every((exempt) => exempt !== undefined)
    ? `vault '${vaultName}': ${principal.arn} is exempt from its access policy`
    : `vault '${vaultName}': its access policy denies ${POLICY_UPDATE} under a condition not checked here`;
}
