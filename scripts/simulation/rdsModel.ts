/** RDS's model: the DB instances and Aurora clusters of each region (in the resource store) as RDS's operations read and change them, no wire format. */
import { FakeApiError } from "./backupJobs";
import {
  DEFAULT_CREDENTIAL_RESET_MS,
  databaseStatus,
  masterUsername,
  resetMasterPassword,
} from "./databaseLogin";
import { ACCOUNT } from "./fixtures";
import { ResourceStore, SimResource } from "./resourceStore";

/** A DB instance or an Aurora cluster. */
export type DatabaseKind = "instance" | "cluster";

/** Options of {@link RdsModel}. */
export interface RdsModelOptions {
  /** How long a new master password takes to apply (ModifyDB*). Default {@link DEFAULT_CREDENTIAL_RESET_MS} (3 s). */
  readonly credentialResetMs?: number;
  /** How long a new master password stays unseen by DescribeDB* (see resetMasterPassword). Default 0. */
  readonly credentialRegisterMs?: number;
  /**
   * The endpoint address of a database. Default `<id>.c9akciq32.<region>.rds.amazonaws.com`, for an
   * instance and a cluster alike.
   */
  readonly endpointAddress?: (id: string, region: string, kind: DatabaseKind) => string;
}

/** What DescribeDBInstances / DescribeDBClusters show of a database's master credential. */
export interface CredentialView {
  readonly masterUsername: string;
  readonly dbName?: string;
  /** A new master password is being applied (PendingModifiedValues.MasterUserPassword). */
  readonly passwordPending: boolean;
  /** The RDS-managed secret (MasterUserSecret), when RDS manages the password. */
  readonly managedSecretArn?: string;
}

/** A page of DescribeDBInstances without an identifier. */
export interface InstancePage {
  readonly instances: readonly SimResource[];
  readonly marker?: string;
}

const TYPE: Record<DatabaseKind, string> = { instance: "RDS", cluster: "Aurora" };

/**
 * RDS for the restored and seeded databases of each region, whichever front end serves it:
 * DescribeDBInstances (one, or every instance of the region in pages of MaxRecords with a Marker),
 * DescribeDBClusters, ModifyDB* (the master password, backup and maintenance windows, deletion
 * protection), DeleteDB* (refused while deletion-protected) and the tags of a database by ARN. An unknown
 * id is DBInstanceNotFound / DBClusterNotFoundFault. Errors are thrown as {@link FakeApiError}.
 */
export class RdsModel {
  constructor(
    readonly store: ResourceStore,
    private readonly options: RdsModelOptions = {},
  ) {}

  /** The database `id` of `kind` in `region`. */
  database(kind: DatabaseKind, region: string, id: string | null | undefined): SimResource {
    const db = this.store.find(region, [TYPE[kind]], id);
    if (!db) {
      throw kind === "instance"
        ? new FakeApiError(404, "DBInstanceNotFound", `DBInstance ${id} not found.`)
        : new FakeApiError(404, "DBClusterNotFoundFault", `DBCluster ${id} not found.`);
    }
    return db;
  }

  /**
   * Every instance of the region, in pages of `maxRecords` (20-100, default 100) from `marker`; with
   * `clusterId`, only the DB cluster's instances (DescribeDBInstances filter `db-cluster-id`: "the DB
   * instances associated with the DB clusters identified", RDS API reference), an instance's cluster being
   * its `DBClusterIdentifier` metadata (CreateDBInstance's).
   */
  instances(region: string, maxRecords = 100, marker = 0, clusterId?: string): InstancePage {
    const all = this.store
      .list(region)
      .filter(
        (r) => r.type === "RDS" && (clusterId === undefined || r.metadata.DBClusterIdentifier === clusterId),
      );
    return {
      instances: all.slice(marker, marker + maxRecords),
      marker: marker + maxRecords < all.length ? String(marker + maxRecords) : undefined,
    };
  }

  /** A database's status now (databaseLogin.ts: `resetting-master-credentials` while a new password applies). */
  status(db: SimResource): string {
    return databaseStatus(db, this.store.now());
  }

  /** A database's endpoint address. */
  endpoint(db: SimResource, kind: DatabaseKind): string {
    return (this.options.endpointAddress ?? ((id, region) => `${id}.c9akciq32.${region}.rds.amazonaws.com`))(
      db.id,
      db.region,
      kind,
    );
  }

  /** A database's master credential as DescribeDB* shows it. */
  credential(db: SimResource): CredentialView {
    return {
      masterUsername: masterUsername(db),
      dbName: db.metadata.DBName || undefined,
      passwordPending: this.status(db) === "resetting-master-credentials",
      managedSecretArn: db.credential?.managed
        ? `arn:aws:secretsmanager:${db.region}:${ACCOUNT}:secret:rds!db-${db.id}`
        : undefined,
    };
  }

  /**
   * ModifyDBInstance / ModifyDBCluster (RDS API reference) with the call's parameters: the master password
   * (databaseLogin.ts: applied asynchronously), PreferredBackupWindow `hh24:mi-hh24:mi`,
   * PreferredMaintenanceWindow `ddd:hh24:mi-ddd:hh24:mi` and DeletionProtection. Windows and deletion
   * protection are not among the changes RDS holds for the maintenance window ("Modifying an Amazon RDS
   * DB instance", settings table: backup window, maintenance window and deletion protection apply at
   * once), so they apply immediately whatever ApplyImmediately says.
   */
  modify(db: SimResource, params: URLSearchParams): void {
    const error = resetMasterPassword(
      db,
      params,
      this.store.now(),
      this.options.credentialResetMs ?? DEFAULT_CREDENTIAL_RESET_MS,
      this.options.credentialRegisterMs ?? 0,
    );
    if (error) {
      throw new FakeApiError(400, error.code, error.message);
    }
    const backupWindow = params.get("PreferredBackupWindow");
    const maintenanceWindow = params.get("PreferredMaintenanceWindow");
    const protection = params.get("DeletionProtection");
    if (backupWindow !== null) db.settings.backupWindow = backupWindow;
    if (maintenanceWindow !== null) db.settings.maintenanceWindow = maintenanceWindow;
    if (protection !== null) db.settings.deletionProtection = protection === "true";
  }

  /**
   * DeleteDBInstance / DeleteDBCluster: "You can't delete a DB instance if ... it has deletion protection
   * enabled" (DeleteDBInstance, RDS API reference; DeletionProtection of CreateDBCluster for a cluster);
   * AWS answers InvalidParameterCombination "Cannot delete protected DB Instance, please disable deletion
   * protection and try again." (the error terraform-provider-aws users report).
   */
  delete(db: SimResource, kind: DatabaseKind): void {
    if (db.settings.deletionProtection) {
      throw new FakeApiError(
        400,
        "InvalidParameterCombination",
        `Cannot delete protected ${kind === "instance" ? "DB Instance" : "Cluster"}, please disable deletion protection and try again.`,
      );
    }
    this.store.remove(db);
  }

  /** The DB instance or cluster of the region whose ARN is `arn` (AddTagsToResource and the other tag calls). */
  tagged(region: string, arn: string): SimResource {
    const resource = this.store
      .list(region)
      .find((r) => r.arn === arn && (r.type === "RDS" || r.type === "Aurora"));
    if (!resource) {
      throw new FakeApiError(404, "DBInstanceNotFound", `${arn} not found.`);
    }
    return resource;
  }
}
