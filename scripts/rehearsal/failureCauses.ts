// The causes a scenario's restore can fail with: AWS's StatusMessage for each, and what gets past it.
import { ACCOUNT } from "../simulation/fixtures";
import type { SimPoint } from "../simulation/recoveryPoints";

/** Why a scenario's restore fails; each is one class of core/failureAdvice.ts. */
export const FAILURE_CAUSES = ["kms", "name-conflict", "capacity", "quota", "transient"] as const;

export type FailureCause = (typeof FAILURE_CAUSES)[number];

/** What the simulated restore job of a failing resource says and does. */
export interface CauseEffect {
  /** The job's StatusMessage. */
  readonly message: string;
  /** What makes a later attempt complete (SimPoint.failsUntil); undefined: nothing in AWS Backup does. */
  readonly failsUntil?: SimPoint["failsUntil"];
  /** The restore metadata keys one of which must change (SimPoint.fixKeys); default: the name key. */
  readonly fixKeys?: SimPoint["fixKeys"];
}

/** The resource a cause is shown on: its AWS Backup type, the restore role, the DR region. */
export interface CauseTarget {
  readonly resourceType: string;
  readonly roleArn: string;
  readonly region: string;
  /** The backed-up instance class, when the type runs on one. */
  readonly instanceClass?: string;
}

/**
 * AWS's message for `cause` on `target`, modelled on the documented error texts (each cited; how AWS Backup
 * wraps the target service's error into the job's StatusMessage is an (unsourced guess)).
 */
export function causeEffect(cause: FailureCause, target: CauseTarget): CauseEffect {
  const role = target.roleArn.replace(/:iam::(\d+):role\/(.+)$/, ":sts::$1:assumed-role/$2/AWSBackup");
  switch (cause) {
    // The IAM access-denied format (IAM user guide, troubleshoot_access-denied.html): the key policy of the
    // copy's key does not allow the restore role to create the grant the restored resource needs. Only a
    // key policy change gets past it.
    case "kms":
      return {
        message: `User: ${role} is not authorized to perform: kms:CreateGrant on resource: arn:aws:kms:${target.region}:${ACCOUNT}:key/0f9e8d7c-6b5a-4f3e-9d2c-1b0a9f8e7d6c because no resource-based policy allows the kms:CreateGrant action`,
      };
    // DynamoDB's TableAlreadyExistsException ("A target table with the specified name already exists",
    // RestoreTableFromBackup errors), RDS's DBInstanceAlreadyExists ("User already has a DB instance with the
    // given identifier"), Aurora's DBClusterAlreadyExistsFault ("User already has a DB cluster with the given
    // identifier", RDS API reference, RestoreDBClusterFromSnapshot errors); another name gets past it.
    case "name-conflict":
      return {
        message: /dynamodb/i.test(target.resourceType)
          ? "Table already exists: a target table with the specified name already exists"
          : /aurora/i.test(target.resourceType)
            ? "DBClusterAlreadyExistsFault: User already has a DB cluster with the given identifier."
            : /rds/i.test(target.resourceType)
              ? "DBInstanceAlreadyExists: User already has a DB instance with the given identifier."
              : "The resource already exists: a resource with the specified name already exists",
        failsUntil: "new-metadata",
      };
    // RDS's InsufficientDBInstanceCapacity: "a common cause is that the specific DB instance class isn't
    // available in the requested Availability Zone"; another class or zone gets past it
    // (insufficientDBInstancesAvailable.html); EC2's InsufficientInstanceCapacity text (troubleshooting-launch.html).
    // An Aurora restore creates no DB instance: its fault is InsufficientDBClusterCapacityFault ("The DB
    // cluster doesn't have enough capacity for the current operation", RestoreDBClusterFromSnapshot errors),
    // which no restore metadata key fixes: a later retry, once AWS has capacity, does.
    case "capacity":
      if (/aurora/i.test(target.resourceType)) {
        return {
          message:
            "InsufficientDBClusterCapacityFault: The DB cluster doesn't have enough capacity for the current operation.",
          failsUntil: "retry",
        };
      }
      return {
        message: /rds/i.test(target.resourceType)
          ? `InsufficientDBInstanceCapacity: The specified DB instance class (${target.instanceClass ?? "of the backup"}) isn't available in the specified Availability Zone.`
          : `InsufficientInstanceCapacity: We currently do not have sufficient ${target.instanceClass ?? "instance"} capacity in the Availability Zone you requested (${target.region}a).`,
        failsUntil: "new-metadata",
        // Another class or zone (the keys of resources/rds.ts, ec2.ts, ebs.ts restoreFixes).
        fixKeys: /rds/i.test(target.resourceType)
          ? ["DBInstanceClass", "AvailabilityZone", "MultiAZ"]
          : /ebs/i.test(target.resourceType)
            ? ["availabilityZone"]
            : ["InstanceType", "SubnetId"],
      };
    // RDS's InstanceQuotaExceeded ("The request would result in the user exceeding the allowed number of DB
    // instances", RDS API errors), Aurora's DBClusterQuotaExceededFault ("The user attempted to create a new DB
    // cluster and the user has already reached the maximum allowed DB cluster quota",
    // RestoreDBClusterFromSnapshot errors); EC2's VcpuLimitExceeded text. Only a quota increase gets past it.
    case "quota":
      return {
        message: /aurora/i.test(target.resourceType)
          ? "DBClusterQuotaExceededFault: The user attempted to create a new DB cluster and the user has already reached the maximum allowed DB cluster quota."
          : /rds/i.test(target.resourceType)
            ? "InstanceQuotaExceeded: The request would result in the user exceeding the allowed number of DB instances."
            : "VcpuLimitExceeded: You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to.",
      };
    // The target service throttled the restore: "Rate exceeded" (ThrottlingException); a retry gets past it.
    case "transient":
      return { message: "ThrottlingException: Rate exceeded", failsUntil: "retry" };
  }
}
