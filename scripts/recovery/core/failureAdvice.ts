// Why a restore failed (from AWS's StatusMessage) and the command or change that gets past it.
import { resourceOf } from "../resources/registry";
import type { PlannedRestore } from "./journal";
import { restoredName } from "./naming";

/**
 * The prefix a run gives the names of its copies (naming.ts namePrefix: `dr-`, `drill-`, `fb-`, `fbdrill-`,
 * then the run id `yyyymmddthhmmss` and two hex digits, then `-`).
 */
const RUN_PREFIX = /^(?:dr|drill|fb|fbdrill)-\d{8}t\d{6}[0-9a-f]{2}-/;

/**
 * The classes of restore failure, each with its own fix: `capacity` (another instance class or
 * Availability Zone, then a retry), `permissions` (a key policy or the restore role's IAM policy: a retry
 * alone fails the same way), `name-conflict` (another name), `quota` (a quota increase), `transient` (a
 * retry), `unknown` (read the message).
 */
export type FailureClass = "capacity" | "permissions" | "name-conflict" | "quota" | "transient" | "unknown";

/** How a failed restore's StatusMessage is recognised, with the page that gives the text. */
interface FailurePattern {
  readonly failureClass: FailureClass;
  /** All must match. */
  readonly patterns: readonly RegExp[];
}

/** A message about a KMS key: the key, its grant, RDS's KMSKeyNotAccessibleFault, KMS's own exceptions. */
const KMS_WORD = /\bkms[:\s]|KMS key|KMSKeyNotAccessible|KMSInvalidState|CreateGrant/i;

/** A message that says the caller was denied. */
const DENIAL_WORD =
  /not authorized|access denied|AccessDenied|not allowed|no resource-based policy allows|Insufficient privileges|UnauthorizedOperation/i;

/**
 * Matched in this order: the first that matches decides (a vCPU quota message mentions "capacity", a
 * throttling one "exceeded"). The texts AWS Backup puts in a FAILED restore job's StatusMessage are the
 * target service's error, as the pages below give them.
 */
const PATTERNS: readonly FailurePattern[] = [
  // KMS, a denial: "User: <role> is not authorized to perform: kms:CreateGrant on resource: <key> because
  // no resource-based policy allows the kms:CreateGrant action" (IAM user guide, "Access denied error
  // messages", troubleshoot_access-denied.html). AWS Backup's restore of an encrypted copy needs
  // kms:CreateGrant, kms:Decrypt, kms:DescribeKey (re:Post "backup-insufficient-privileges-efs"). A KMS
  // word without a denial is no permissions problem: KMS throttling ("Rate exceeded"), its grants quota
  // (LimitExceededException), a disabled key (DisabledException) or one pending deletion
  // (KMSInvalidStateException) fall through to their own classes, or to unknown with the key-state advice.
  { failureClass: "permissions", patterns: [KMS_WORD, DENIAL_WORD] },
  // "A target table with the specified name already exists" (DynamoDB TableAlreadyExistsException,
  // RestoreTableFromBackup); RDS DBInstanceAlreadyExists "User already has a DB instance with the given
  // identifier", DBClusterAlreadyExistsFault "User already has a DB cluster with the given identifier" (RDS
  // API reference, Errors); S3 BucketAlreadyExists / BucketAlreadyOwnedByYou.
  {
    failureClass: "name-conflict",
    patterns: [/already exists|AlreadyExists|already has a DB (instance|cluster)|BucketAlreadyOwnedByYou/i],
  },
  // Throttling before quotas: "Rate exceeded" (ThrottlingException, AWS SDK error docs) is not a quota.
  // Nor is DynamoDB's concurrency limit: LimitExceededException for more than the allowed "simultaneous
  // table operations ... CreateTable, UpdateTable, DeleteTable, ... RestoreTableFromBackup" (DynamoDB API
  // reference, LimitExceededException), "Subscriber limit exceeded: Only 50 tables can be created, updated,
  // or deleted simultaneously" (the text as reported; (unsourced guess) on AWS's exact wording): it passes
  // once the other operations end.
  {
    failureClass: "transient",
    patterns: [
      /Rate exceeded|Throttl|TooManyRequests|RequestLimitExceeded|slow down|simultaneous table operations|tables can be created, updated, or deleted simultaneously/i,
    ],
  },
  // "The request would result in the user exceeding the allowed number of DB instances" (RDS
  // InstanceQuotaExceededFault); "You have requested more vCPU capacity than your current vCPU limit of N
  // allows" (EC2 VcpuLimitExceeded, EC2 API error codes); DynamoDB LimitExceededException ("a soft account
  // quota of 256 tables", RestoreTableFromBackup errors); StorageQuotaExceeded, VolumeLimitExceeded.
  {
    failureClass: "quota",
    patterns: [/quota|LimitExceeded|limit exceeded|exceeding the allowed|current \S+ limit/i],
  },
  // EC2 InsufficientInstanceCapacity "We currently do not have sufficient <type> capacity in the
  // Availability Zone you requested (<az>)" (EC2 user guide, troubleshooting-launch.html#troubleshooting-
  // launch-capacity); RDS InsufficientDBInstanceCapacity "The specified DB instance class isn't available in
  // the specified Availability Zone" (insufficientDBInstancesAvailable.html); RDS "... no availability zones
  // with sufficient capacity for ... Please try another instance class" and EBS InsufficientVolumeCapacity
  // "There is not enough capacity ..." ((unsourced guess): the texts as reported, not found on AWS's pages).
  {
    failureClass: "capacity",
    patterns: [
      /Insufficient\w*Capacity|sufficient (\S+ )?capacity|not enough capacity|isn't available in the (specified|requested) Availability Zone/i,
    ],
  },
  // Any other denial: the restore role's own policy or iam:PassRole ("You are not authorized to perform
  // this operation. Please consult the permissions associated with your AWS Backup role(s)", re:Post
  // "aws-backup-encoded-authorization-failure"; "Insufficient privileges to perform this action").
  { failureClass: "permissions", patterns: [DENIAL_WORD] },
  // "An internal error occurred", InternalFailure, ServiceUnavailable: AWS's own side, worth a retry
  // (AWS SDK retry behaviour, "transient errors"). (unsourced guess: the exact restore job texts.)
  {
    failureClass: "transient",
    patterns: [/internal (server )?error|InternalFailure|ServiceUnavailable|temporar|timed? ?out|try again/i],
  },
];

/** The class of a failed restore from its StatusMessage; `unknown` without a message or a match. */
export function classifyFailure(statusMessage: string | undefined): FailureClass {
  const text = statusMessage ?? "";
  return PATTERNS.find((p) => p.patterns.every((re) => re.test(text)))?.failureClass ?? "unknown";
}

/** The advice for one failed restore. */
export interface FailureAdvice {
  readonly failureClass: FailureClass;
  /** Whether `--retry-failed` as it is (with `--metadata`, for capacity) can get past the failure. */
  readonly retryHelps: boolean;
  /** One line for the operator: what fixes it, with the exact command where one does. */
  readonly text: string;
}

/** What {@link adviseFailure} needs to spell commands: the CLI's next command with a flag, for this stack. */
export type CommandFor = (flags: string) => string;

/**
 * The fix for the failed restore of `plan`, whose job ended with `statusMessage`: `--retry-failed` only for
 * a transient failure and, with another instance class or zone through `--metadata`, for capacity; the key
 * policy or IAM fix for a denial; another name for a conflict; the quota request for a quota.
 */
export function adviseFailure(
  plan: PlannedRestore,
  statusMessage: string | undefined,
  command: CommandFor,
): FailureAdvice {
  const failureClass = classifyFailure(statusMessage);
  const fixes = resourceOf(plan.resourceType).restoreFixes;
  const type = plan.resourceType.toLowerCase();
  // Scoped to this restore (core/restoreMetadata.ts): another failed restore of the type keeps its own.
  const flag = (key: string, value: string) => `--metadata ${type}[${plan.resourceName}].${key}=${value}`;
  const valueOf = (key: string) =>
    Object.entries(plan.metadata).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  const current = (key: string) => {
    const value = valueOf(key);
    return value === undefined ? "" : ` (now ${value})`;
  };
  const retry = command("--retry-failed");
  switch (failureClass) {
    case "transient":
      return {
        failureClass,
        retryHelps: true,
        text: `a transient failure on AWS's side: '${retry}' starts a new restore of it and keeps what completed`,
      };
    case "capacity": {
      const excludedBy = fixes.zoneExcludedBy;
      const zoneRuledOut = excludedBy !== undefined && valueOf(excludedBy)?.toLowerCase() === "true";
      const keys = [fixes.sizeKey, zoneRuledOut ? undefined : fixes.zoneKey].filter(
        (k): k is string => k !== undefined,
      );
      const choices = keys.map(
        (key) => `'${command(`--retry-failed ${flag(key, "<another>")}`)}'${current(key)}`,
      );
      const what =
        zoneRuledOut || !fixes.zoneKey
          ? "another instance class"
          : "another instance class or Availability Zone";
      const noZone = zoneRuledOut
        ? `; no Availability Zone: the copy is Multi-AZ (${excludedBy}=true) and RDS takes no zone for a Multi-AZ instance (${type}.${excludedBy}=false would allow one, at the cost of the standby in another zone)`
        : "";
      return {
        failureClass,
        retryHelps: true,
        text: fixes.capacityNote
          ? `${fixes.capacityNote}; '${retry}' once AWS has capacity again`
          : choices.length > 0
            ? `no capacity where it was asked: retry with ${fixes.sizeKey ? what : "another Availability Zone"}, ${choices.join(" or ")}${noZone}`
            : `no capacity for it: '${retry}' once AWS has capacity again`,
      };
    }
    case "permissions": {
      const kms = KMS_WORD.test(statusMessage ?? "");
      return {
        failureClass,
        retryHelps: false,
        text: kms
          ? `fix the key first, a retry with the same role and key fails the same way: allow the restore role ${plan.iamRoleArn} kms:CreateGrant, kms:Decrypt, kms:DescribeKey and kms:GenerateDataKey* in the key policy of ${kmsKeyOf(statusMessage)}; then '${retry}'`
          : `fix the restore role first, a retry with the same role fails the same way: give ${plan.iamRoleArn} what the message names (AWSBackupServiceRolePolicyForRestores, iam:PassRole for an instance profile); then '${retry}'`,
      };
    }
    case "name-conflict": {
      const name = plan.targetName;
      if (!fixes.nameKey || !name) {
        return {
          failureClass,
          retryHelps: false,
          text: `a resource of that name already exists: '${command("--new-run")}' names everything anew`,
        };
      }
      const own = RUN_PREFIX.exec(name)?.[0];
      if (own) {
        // The run id in the name is this run's own (naming.ts): only this run's earlier attempt at this
        // restore can have made a resource of that name. Renaming would leave that copy behind, billed.
        return {
          failureClass,
          retryHelps: false,
          text: `a resource named ${name} already exists and carries this run's prefix ${own}: it is this run's own earlier attempt at this restore (a new name would leave it behind, still billed); check it first (${plan.resourceType} ${name} in the DR region), delete it, then '${retry}' restores it again under the same name`,
        };
      }
      const rule = resourceOf(plan.resourceType).nameRule;
      const another = rule ? restoredName(rule, "", `${name}-2`) : `${name}-2`;
      return {
        failureClass,
        retryHelps: false,
        text: `a resource named ${name} already exists and is not this run's (its name lacks a run's prefix): check it first (${plan.resourceType} ${name} in the DR region) and leave it; '${command(
          `--retry-failed ${flag(fixes.nameKey, another)}`,
        )}' restores it under another name (or '${command("--new-run")}' names everything anew)`,
      };
    }
    case "quota":
      return {
        failureClass,
        retryHelps: false,
        text: `an account quota is reached, a retry fails the same way until it is raised: 'aws service-quotas list-service-quotas --service-code ${KMS_WORD.test(statusMessage ?? "") ? "kms" : fixes.quotaService}' finds it, 'aws service-quotas request-service-quota-increase' asks for more (or free some); then '${retry}'`,
      };
    default:
      if (KMS_WORD.test(statusMessage ?? "")) {
        // RDS's KMSKeyNotAccessibleFault "An error occurred accessing an Amazon Web Services KMS key" (RDS
        // API reference, Errors) covers a denied key and a key that cannot be used: DisabledException "the
        // specified KMS key is not enabled", KMSInvalidStateException for a key pending deletion (KMS API
        // reference, Decrypt errors; DescribeKey's KeyState).
        return {
          failureClass,
          retryHelps: false,
          text: `the recovery point's KMS key could not be used: check its state first ('aws kms describe-key --key-id <${kmsKeyOf(statusMessage)}>': KeyState Enabled, not Disabled or PendingDeletion; 'aws kms enable-key' or 'aws kms cancel-key-deletion' fix those), then that its key policy allows the restore role ${plan.iamRoleArn} kms:CreateGrant, kms:Decrypt, kms:DescribeKey and kms:GenerateDataKey*; then '${retry}'`,
        };
      }
      return {
        failureClass,
        retryHelps: false,
        text: `read AWS's message above: if it names a passing cause, '${retry}' starts a new restore of it`,
      };
  }
}

/** The KMS key a message names, or where to find the recovery point's. */
function kmsKeyOf(statusMessage: string | undefined): string {
  return (
    /arn:aws[\w-]*:kms:[^\s"',)]+/.exec(statusMessage ?? "")?.[0] ??
    "the recovery point's KMS key (EncryptionKeyArn of 'aws backup describe-recovery-point')"
  );
}
