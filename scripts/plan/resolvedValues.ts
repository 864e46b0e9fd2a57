// Placeholder values a deployment would compute (physical names, ids, ARNs, the caller's identity), for running the program resolved.
/** The account every placeholder ARN carries (AWS's documentation example account). */
export const PLACEHOLDER_ACCOUNT = "123456789012";
/** Suffix the placeholder auto-naming appends, like Pulumi's `-` plus seven characters. */
export const PLACEHOLDER_AUTONAME_SUFFIX = "-a1b2c3d";
/** The role the placeholder deployment runs as, and its assumed-role session (what STS reports). */
export const PLACEHOLDER_DEPLOYER_ROLE_ARN = `arn:aws:iam::${PLACEHOLDER_ACCOUNT}:role/deployer`;
export const PLACEHOLDER_DEPLOYER_SESSION_ARN = `arn:aws:sts::${PLACEHOLDER_ACCOUNT}:assumed-role/deployer/pulumi-up`;

/**
 * Answers for the identity invokes the component makes at deploy time, as the provider gives them:
 * `aws:index/getCallerIdentity` (STS GetCallerIdentity) and `aws:iam/getSessionContext`, which maps an
 * assumed-role session ARN to its role (terraform-provider-aws
 * internal/service/iam/session_context_data_source.go parses the ARN, then reads the role, path included,
 * with IAM GetRole) and returns any other ARN as it is.
 */
export function identityInvoke(
  token: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> | undefined {
  if (token === "aws:index/getCallerIdentity:getCallerIdentity") {
    return {
      accountId: PLACEHOLDER_ACCOUNT,
      arn: PLACEHOLDER_DEPLOYER_SESSION_ARN,
      userId: "AROAEXAMPLE:pulumi-up",
      id: PLACEHOLDER_ACCOUNT,
    };
  }
  if (token === "aws:iam/getSessionContext:getSessionContext") {
    const arn = String(inputs.arn);
    const session = /^arn:([^:]+):sts::(\d{12}):assumed-role\/(.+)\/([^/]+)$/.exec(arn);
    return session
      ? {
          arn,
          issuerArn: `arn:${session[1]}:iam::${session[2]}:role/${session[3]}`,
          issuerName: session[3],
          sessionName: session[4],
          id: arn,
        }
      : { arn, issuerArn: arn, issuerName: "", sessionName: "", id: arn };
  }
  return undefined;
}

/** A plausible ARN for a resource, so consumers that parse ARNs (and IAM policy evaluation) work. */
function placeholderArn(type: string, name: string, region: string, physicalName: string): string {
  const [, service] = type.split(":");
  switch (type) {
    case "aws:backup/vault:Vault":
    case "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault":
      return `arn:aws:backup:${region}:${PLACEHOLDER_ACCOUNT}:backup-vault:${physicalName}`;
    case "aws:s3/bucket:Bucket":
      return `arn:aws:s3:::${physicalName}`;
    case "aws:iam/role:Role":
      return `arn:aws:iam::${PLACEHOLDER_ACCOUNT}:role/${physicalName}`;
    case "aws:kms/key:Key":
      return `arn:aws:kms:${region}:${PLACEHOLDER_ACCOUNT}:key/${name}`;
    // The service prefix is elasticfilesystem (Service Authorization Reference, Amazon EFS: file-system).
    case "aws:efs/fileSystem:FileSystem":
      return `arn:aws:elasticfilesystem:${region}:${PLACEHOLDER_ACCOUNT}:file-system/${name}-id`;
    default:
      return `arn:aws:${service.split("/")[0]}:${region}:${PLACEHOLDER_ACCOUNT}:${name}`;
  }
}

/** Types whose provider id is their physical name. */
const NAME_IS_ID = new Set(["aws:s3/bucket:Bucket", "aws:iam/role:Role"]);

/** What a deployment would give a resource, with placeholders: its id, its ARN and its state. */
export interface ResolvedResource {
  readonly id: string;
  readonly arn: string;
  /** The inputs, the physical names auto-naming fills in, the ARN and the id. */
  readonly state: Record<string, unknown>;
}

/**
 * A resource as a deployment would resolve it: physical names from auto-naming, a placeholder ARN in its
 * `region` input's region (default us-east-1), and an id: a bucket's or a role's is its name, which
 * dependents (bucket configurations, role policies) pass on; elsewhere a made-up `<name>-id` will do.
 */
export function resolvedResource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): ResolvedResource {
  const region = typeof inputs.region === "string" ? inputs.region : "us-east-1";
  const names = autoNamed(type, name, inputs);
  const physical = Object.values(names)[0];
  const id = NAME_IS_ID.has(type) ? physical : `${name}-id`;
  const arn = placeholderArn(type, name, region, physical);
  return { id, arn, state: { ...inputs, ...names, arn, id } };
}

/** Physical names the way the provider would fill them in when the program leaves them to auto-naming. */
function autoNamed(type: string, name: string, inputs: Record<string, unknown>): Record<string, string> {
  const given = (key: string) => (typeof inputs[key] === "string" ? (inputs[key] as string) : undefined);
  switch (type) {
    case "aws:s3/bucket:Bucket":
      return {
        bucket: given("bucket") ?? `${given("bucketPrefix") ?? `${name}-`}20261123000000000000000001`,
      };
    case "aws:iam/role:Role":
      return { name: given("name") ?? `${given("namePrefix") ?? `${name}-`}20261123000000000000000001` };
    default:
      return { name: given("name") ?? `${name}${PLACEHOLDER_AUTONAME_SUFFIX}` };
  }
}
