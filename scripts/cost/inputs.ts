/** What an estimate is for: the sizes of the protected data and what the deployment does with it. */
import { BackupRuleArgs } from "@restorekit/backup-restore-dr";
import type { DataKind } from "../../stacks/drContract";

/** The sizes the estimate is for: what the user tells it about the protected data. */
export interface CostInputs {
  /** GB of RDS database storage the plan backs up. */
  readonly dbGb: number;
  /** GB of S3 data replicated to the DR region. */
  readonly s3Gb: number;
  /** GB of EBS volumes the plan backs up (instance volumes and standalone volumes together). */
  readonly ebsGb: number;
  /** GB of DynamoDB tables the plan backs up. */
  readonly dynamodbGb: number;
  /** EC2 instances whose volumes make up part of `ebsGb` (shown, not priced on its own). */
  readonly instances: number;
  /** Percent of the RDS, EBS and DynamoDB data that changes (new or overwritten blocks) per day. */
  readonly dailyChangePct: number;
  /** Percent of the S3 data written (new or overwritten objects) per day. */
  readonly s3DailyChangePct: number;
  /** Average size of an S3 object in MB, which sets the number of replication PUT requests. */
  readonly s3ObjectMb: number;
  /**
   * The deployment's data inventory, one entry per resource (entries.ts): the estimate prices each entry on
   * its own lines, and the kinds' sizes above are the entries' totals. Unset (no deployment, or an estimate
   * for the sizes alone): one line per kind.
   */
  readonly entries?: readonly CostEntry[];
}

/** One inventory entry as the estimate prices it. */
export interface CostEntry {
  /** Its logical name, e.g. `orders-db`. */
  readonly name: string;
  readonly kind: DataKind;
  /** GB the estimate prices it at. */
  readonly gb: number;
  /** Where the size comes from, e.g. `50 GB (allocatedStorage)`. */
  readonly size: string;
  /** An S3 entry replicated to the DR region (its `replicate`). */
  readonly replicated?: boolean;
}

/** The dr stack as it idles in standby. */
export interface IdleDrEnvironment {
  /** Internet-facing Application Load Balancers. */
  readonly loadBalancers: number;
  /** Availability zones of each load balancer: one public IPv4 address each. */
  readonly availabilityZones: number;
  /** NAT gateways (a dr stack must have none). */
  readonly natGateways: number;
  /**
   * Interface VPC endpoints, each in every availability zone (stacks/interfaceEndpoints.ts
   * `interfaceEndpointCount`): the EC2 API one the servers attach their volume through, Secrets Manager's
   * for their database credential, and `interfaceEndpoints` (Session Manager, logs).
   */
  readonly interfaceEndpoints: number;
}

/** What the deployment does with the data: the plan, the replication, the idle dr stack. */
export interface CostPlan {
  /** Name of the plan, e.g. `seed`. */
  readonly name: string;
  readonly primaryRegion: string;
  readonly drRegion: string;
  /** The backup plan's rules, with their schedules, lifecycles and copies to DR. */
  readonly rules: readonly BackupRuleArgs[];
  /** S3 cross-region replication; unset: S3 is not replicated. */
  readonly s3Replication?: {
    /** Storage class of the replicas: `STANDARD` or `STANDARD_IA`. */
    readonly storageClass: string;
    readonly replicationTimeControl: boolean;
  };
  /**
   * Whether every copy to DR is copied again into a logically air-gapped vault in the DR region (the
   * component's `isolation`), kept warm for the copy's retention.
   */
  readonly isolatedCopy: boolean;
  /** Customer managed KMS keys the protection creates (the two vault keys). */
  readonly kmsKeys: number;
  /** CloudWatch alarms the protection creates (failure metrics of both vaults). */
  readonly alarms: number;
  readonly idleDr: IdleDrEnvironment;
  /** DNS failover: the operator's switch, two Route 53 health checks on a CloudWatch alarm (stacks/README.md). */
  readonly failoverSwitch: boolean;
  /**
   * The component's AWS Backup Audit Manager framework (its `auditFramework`): the controls it gets
   * (`auditControlNames`) and the resources each evaluates (the inventory's); `resources` unset when the
   * controls have no tag scope (they would evaluate every resource of their types in the region: not
   * estimated). Unset: no framework.
   */
  readonly auditFramework?: { readonly controls: readonly string[]; readonly resources?: number };
}
