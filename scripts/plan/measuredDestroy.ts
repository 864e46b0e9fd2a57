// The destroy table `dr plan` shows: the policies the program generates, resolved with placeholders, evaluated by iam-simulate.
import { PLACEHOLDER_ACCOUNT, resolvedResource } from "./resolvedValues";
import { iamSimulateEvaluator } from "./iamSimulate";
import {
  Copy,
  destroyTable,
  DestroyTable,
  PolicyEvaluator,
  productionPrincipals,
  RegisteredResource,
} from "./lastCopy";

/** The placeholder ARN the resolved run gave the one resource of `type` whose name ends with `suffix`. */
function arnOf(resources: readonly RegisteredResource[], type: string, suffix: string): string | undefined {
  const found = resources.find((r) => r.type === type && r.name.endsWith(suffix));
  return found && resolvedResource(found.type, found.name, found.inputs).arn;
}

/** Each copy's ARN and its key's, as the resolved run named them (a key you bring has none here). */
export function copyArns(resources: readonly RegisteredResource[]): {
  resourceArns: Record<Copy, string>;
  keyArns: Partial<Record<Copy, string>>;
} {
  const vault = (suffix: string) => arnOf(resources, "aws:backup/vault:Vault", suffix) ?? "<not created>";
  const key = (suffix: string) => arnOf(resources, "aws:kms/key:Key", suffix);
  const primaryKey = key("-primary-key");
  const drKey = key("-dr-key");
  return {
    resourceArns: {
      "primary vault": vault("-primary-vault"),
      "DR vault": vault("-dr-vault"),
      "isolated vault":
        arnOf(resources, "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault", "-isolated-vault") ??
        "<not created>",
      "replica bucket": arnOf(resources, "aws:s3/bucket:Bucket", "-replica-0") ?? "<not created>",
    },
    keyArns: { ...(primaryKey && { "primary vault": primaryKey }), ...(drKey && { "DR vault": drKey }) },
  };
}

/** The configured principals the table asks about, besides the account admin and the generated roles. */
export interface MeasuredPrincipals {
  readonly deployerPrincipalArns: readonly string[];
  readonly breakGlassPrincipalArns: readonly string[];
}

/**
 * Evaluates the destroy table over `resources`, registered by a run of the program with resolved
 * placeholders (the plan engine's `resolved` option), so the key, vault, bucket and role policies are known
 * as a deployment would generate them, in account {@link PLACEHOLDER_ACCOUNT}.
 */
export async function measuredDestroyTable(
  resources: readonly RegisteredResource[],
  principals: MeasuredPrincipals,
  isolated: boolean,
  notIsolated: readonly string[] = [],
  evaluator: PolicyEvaluator = iamSimulateEvaluator(),
): Promise<DestroyTable> {
  const accountId = PLACEHOLDER_ACCOUNT;
  const rows = await destroyTable(resources, {
    accountId,
    principals: productionPrincipals(resources, { accountId, ...principals }),
    ...copyArns(resources),
    isolated,
    evaluator,
  });
  return {
    rows,
    ...(notIsolated.length > 0 && { notIsolated }),
    measured:
      `${evaluator.name} on the policies this program generates, run offline with placeholder names and ARNs ` +
      `in account ${accountId} (the deploying principal: role/deployer); the account admin, deployer and ` +
      `break-glass are taken to hold AdministratorAccess; not evaluated: the backup service role's AWS ` +
      `managed policies, your organization's SCPs, RCPs and permissions boundaries`,
  };
}
