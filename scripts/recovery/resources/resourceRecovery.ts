// The interface each resource type's module implements: placement, names, protection, wiring, deletion.
import type { RESTORED_KEYS } from "../../../stacks/config";
import type { DataInventoryEntry, DataKind, RestoredSettings } from "../../../stacks/drContract";
import { AwsClients } from "../../aws/clients";
import { Clock } from "../../clock";
import type { DeclaredSettings, JobRecord, PlannedRestore } from "../core/journal";
import { MetadataMap, RestoreNetwork } from "./metadata";
import { ResourceType } from "./types";
import { DrOutputs } from "../../dependencies";

/** A dr stack config key through which the stack points at a restored resource. */
export type RestoredKey = (typeof RESTORED_KEYS)[number];

/**
 * What the application on the dr stack takes one of: a database, a table, a volume, a bucket. Restores of
 * several types may fill one role (RDS and Aurora: `db`); the stack takes one restore per role.
 */
export type AppRole = "db" | "table" | "volume" | "bucket";

/** A service's rule for the names of restored copies. */
export interface NameRule {
  /** Longest name the service accepts. */
  readonly maxLength: number;
  /** The service takes lower case only (RDS identifiers, S3 buckets). */
  readonly lowerCase: boolean;
  /** Characters the service refuses (global regular expression); each becomes a hyphen. */
  readonly invalid: RegExp;
}

/** Where a restore lands: what {@link ResourceRecovery.placeRestore} needs. */
export interface RestorePlacement {
  /** The restored copy's name (see {@link ResourceRecovery.nameRule}); empty for a type without one. */
  readonly targetName: string;
  /** The region the restore runs in. */
  readonly region: string;
  /** The network of the stack the copy joins (the dr stack's; prod's for failback). */
  readonly network: RestoreNetwork;
  /** A network value, or an error naming the dr stack output that is missing (`output`). */
  need(value: string | undefined, output: string): string;
}

/** A completed restore's copy: its id and, when AWS reported it, its ARN. */
export interface RestoredCopy {
  readonly id: string;
  readonly arn?: string;
}

/** Did a restored resource come up, and in which state. */
export interface CheckResult {
  readonly ok: boolean;
  readonly detail: string;
}

/** The dr stack config keys a restore of this type sets, and when. */
export interface DrConfigRole {
  /** The role this type fills for the application on the dr stack. */
  readonly role: AppRole;
  /** Set, before the restore finishes, to the name the CLI gave the copy. */
  readonly nameKey?: RestoredKey;
  /** Set once the restore completed, from what it produced (an endpoint, a volume id). */
  readonly result?: {
    readonly key: RestoredKey;
    /** The value, from the job record of a COMPLETED restore; undefined when it is not known. */
    value(record: JobRecord): string | undefined;
    /** A placeholder for `--dry-run`, before anything is restored. */
    preview(plan: PlannedRestore): string;
  };
  /** The value of {@link nameKey} when the run restores nothing of this role. Default: none. */
  fallback?(outputs: DrOutputs): string | undefined;
}

/**
 * What an operator changes to get past a failed restore of this type (scripts/recovery/core/failureAdvice.ts
 * advises it): restore metadata keys, as `--metadata <type>.<key>=<value>` names them, and the quota.
 */
export interface RestoreFixes {
  /** The key of the copy's name: a name conflict is fixed by another. Absent: AWS names the copy. */
  readonly nameKey?: string;
  /**
   * The key of the instance class or type: insufficient capacity is fixed by another ("Retry the request
   * with a different DB instance class", Amazon Neptune/RDS user guide, insufficientDBInstancesAvailable.html).
   * Absent: the type runs on no instance.
   */
  readonly sizeKey?: string;
  /**
   * The key that places the copy in an Availability Zone: "Retry the request with a different Availability
   * Zone" or "without specifying an explicit Availability Zone" (same page). Absent: the service places it.
   */
  readonly zoneKey?: string;
  /**
   * The key that, when `true`, rules {@link zoneKey} out: RDS "You can't specify the AvailabilityZone
   * parameter if the DB instance is a Multi-AZ deployment" (RDS API reference, RestoreDBInstanceFromDBSnapshot
   * and CreateDBInstance, MultiAZ). The advice then offers another class only. Absent: the zone always applies.
   */
  readonly zoneExcludedBy?: string;
  /**
   * What a capacity failure of this type means when no key of the restore fixes it (an Aurora restore
   * creates no DB instance): said instead of offering {@link sizeKey} or {@link zoneKey}. Absent: the keys.
   */
  readonly capacityNote?: string;
  /** Service Quotas' service code of the quotas a restore of this type counts against (`aws service-quotas`). */
  readonly quotaService: string;
}

/**
 * Everything the recovery CLI does that depends on one AWS Backup resource type, kept in one module per
 * type (in the spirit of aws-cdk-lib's aws-backup `BackupResource`). The registry (`registry.ts`) maps the
 * `ResourceType` string AWS Backup reports to its module; code outside `resources/` asks the module and
 * never compares type strings (test/scripts/structure.test.ts). What is specific to a type in another
 * direction of restore (failback into the primary region) belongs here too, as further members.
 */
export interface ResourceRecovery {
  /** AWS Backup's `ResourceType` string this module handles, e.g. `RDS`. */
  readonly type: ResourceType;
  /**
   * The data inventory's kind of this type (stacks/drContract.ts `DataKind`): a restore of it is wired to
   * its inventory entry under this kind in `restoredData`. Absent: the type is no application data (EC2).
   */
  readonly dataKind?: DataKind;
  /**
   * The service's rule for the restored copy's name: the CLI names each copy `<prefix><source name>`,
   * made valid with it. Absent where AWS gives the copy an id of its own (EC2 instances, EBS volumes).
   */
  readonly nameRule?: NameRule;
  /**
   * The restored copy's id is the name the CLI gave it (DB identifiers, tables, buckets; an EFS creation
   * token is not its id): a drill then refuses to delete a copy whose id lacks the drill's prefix.
   */
  readonly idIsName: boolean;
  /**
   * The restore metadata keys AWS Backup reads for this type, as documented on its restore pages
   * (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-a-backup.html and the per-type
   * pages it links), the StartRestoreJob API reference (the EFS keys) and "Restore testing inferred
   * metadata" (restore-testing-inferred-metadata.html). `--metadata` refuses any other key, matched
   * case-insensitively as AWS does ("key values are not case sensitive").
   */
  readonly metadataKeys: readonly string[];
  /** What gets past a failed restore of this type: the keys to change, the quota to raise. */
  readonly restoreFixes: RestoreFixes;
  /**
   * Turns the backed-up configuration (`meta`, from GetRecoveryPointRestoreMetadata) into a restore in
   * the target region (the DR region for recover and drill, the primary region for failback): the copy's
   * name, the target network, settings of the source region removed. Each change the operator should know
   * of is added to `notes`. KMS keys and other ARNs of another region are handled for every type afterwards.
   */
  placeRestore(meta: MetadataMap, notes: string[], placement: RestorePlacement): void;
  /** The dr stack config this type feeds when it is the application's resource; absent: none. */
  readonly drConfig?: DrConfigRole;
  /**
   * The restore metadata key of the copy's deletion protection (prod's databases and tables have it on, and
   * their recovery points say so). A drill's copies get it `false`, so that its cleanup can delete them.
   * Absent: the type has no deletion protection.
   */
  readonly deletionProtectionKey?: string;
  /**
   * A cross-Region copy of this type's backups needs AWS Backup's advanced features on in the Region of
   * the backup (DynamoDB: "Advanced DynamoDB backup", AWS Backup developer guide). Default false.
   */
  readonly copyNeedsAdvancedBackup?: boolean;
  /**
   * AWS Backup fully manages this type's backups: they are encrypted with the vault's key, not the source's
   * (developer guide, "Encryption for backups in AWS Backup", Independent encryption: S3, EFS, and DynamoDB
   * with advanced backup, which {@link copyNeedsAdvancedBackup} says). A type it does not fully manage copies
   * into a logically air-gapped vault only from a source encrypted with a customer managed key
   * (core/isolatedGaps.ts). Default false.
   */
  readonly fullyManagedByBackup?: boolean;
  /**
   * Makes a completed restore of prod's data (a recovery's in DR, a failback's in prod) protected as prod's
   * own resource is, with what the restore does not bring back (`settings`: the selection tags, the
   * databases' windows), and says what it did. Called with the clients of the restore's region only (DR
   * region data planes during a recovery). Absent: the restore brings back all there is (its tags through
   * StartRestoreJob's `CopySourceTagsToRestoredResource`). AWS errors are thrown.
   */
  protectRestored?(clients: AwsClients, restored: RestoredCopy, settings: RestoredSettings): Promise<string>;
  /**
   * Takes the selection tags (`tags`, keys and values) off the restored copy `arn` of the clients' region,
   * so the plan selecting by them stops backing up a copy the application moved away from. AWS errors are
   * thrown. Absent: the type carries no selection tag of the CLI's.
   */
  removeSelectionTags?(
    clients: AwsClients,
    arn: string,
    tags: Readonly<Record<string, string>>,
  ): Promise<void>;
  /**
   * The restored copy's connection endpoint (`host:port`), read once its restore completed, for the dr
   * stack config. Absent for types without one.
   */
  lookUpEndpoint?(clients: AwsClients, id: string): Promise<string | undefined>;
  /** Checks that the restored copy `id` is usable (a drill's check). AWS errors are thrown. */
  verify(clients: AwsClients, id: string): Promise<CheckResult>;
  /**
   * What the application needs of the restored copy `id` beyond the restore, once the stack names it (an
   * Aurora cluster: the DB instance the stack adds, available): recover, drill --flip and failback wait for
   * it before their health check (core/clusterInstances.ts). AWS errors are thrown. Absent: nothing more.
   */
  usableWhen?(clients: AwsClients, id: string): Promise<CheckResult>;
  /**
   * What a restore of this type does not keep of the inventory `entry` it is wired to (an EFS file system's
   * throughput: no restore metadata key carries it), to set on the copy once restored; undefined when the
   * restore keeps all the entry declares, or `metadata` restores into an existing resource, whose settings
   * are its own. Absent: the restore keeps all there is.
   */
  declaredSettings?(
    entry: DataInventoryEntry,
    metadata: Readonly<Record<string, string>>,
  ): DeclaredSettings | undefined;
  /**
   * Sets `declared` on the restored copy, with the clients of the restore's region (its regional control
   * plane), and says what it did; does nothing when the copy is already so (a re-run). Waits, and retries
   * what AWS says to try again later, on the run's clock (`wait`). AWS errors are thrown.
   */
  applyDeclared?(
    clients: AwsClients,
    restored: RestoredCopy,
    declared: DeclaredSettings,
    wait: RunWait,
  ): Promise<string>;
  /**
   * The AWS CLI command that sets `declared` on the copy `id` of `region` by hand, for the report when AWS
   * refused {@link applyDeclared} (a finished run is not re-run). Absent: none to offer.
   */
  declaredCommand?(region: string, id: string, declared: DeclaredSettings): string;
  /**
   * Deletes the restored copy `id` (drill cleanup) and says what was done; AWS errors are thrown. Callers
   * pass only ids recorded in the drill's own journal.
   */
  delete(clients: AwsClients, id: string): Promise<string>;
}

/** The run's clock and its interruption, for a step that waits on AWS. */
export interface RunWait {
  readonly clock: Clock;
  readonly signal?: AbortSignal;
}

/** The check result for a resource whose state must be one of `good`. */
export function expectState(
  what: string,
  id: string,
  state: string | undefined,
  good: string[],
): CheckResult {
  const ok = state !== undefined && good.includes(state);
  return { ok, detail: `${what} ${id} is ${state ?? "not found"}` };
}
