/** The SDK front end of the simulated RDS: aws-sdk-client-mock handlers calling the RDS model (scripts/simulation/rdsModel.ts). */
import { DescribeDBClustersCommand, DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { SimResource } from "../../scripts/simulation/resourceStore";
import { RdsModel } from "../../scripts/simulation/rdsModel";
import { AnyStub, serve } from "./sdkFrontEnd";

/**
 * DescribeDBInstances and DescribeDBClusters on aws-sdk-client-mock, in the region of the client that
 * sent them, answered by the {@link RdsModel} the HTTP fake's dataPlanes.ts serves: a database exists
 * once a restore job created it or a test put it in the store, else DBInstanceNotFound /
 * DBClusterNotFoundFault. The other RDS calls are the tests' own stubs.
 */
export function installRds(mock: AnyStub, model: RdsModel): void {
  const credential = (db: SimResource) => {
    const c = model.credential(db);
    return {
      MasterUsername: c.masterUsername,
      PendingModifiedValues: c.passwordPending ? { MasterUserPassword: "****" } : undefined,
      MasterUserSecret: c.managedSecretArn
        ? { SecretArn: c.managedSecretArn, SecretStatus: "active" }
        : undefined,
    };
  };
  const instance = (db: SimResource) => ({
    DBInstanceIdentifier: db.id,
    DBInstanceArn: db.arn,
    DBInstanceStatus: model.status(db),
    Engine: db.metadata.Engine ?? "postgres",
    ...credential(db),
    DBName: model.credential(db).dbName,
    InstanceCreateTime: new Date(db.createdAt),
    Endpoint: { Address: model.endpoint(db, "instance"), Port: Number(db.metadata.Port ?? 5432) },
    PreferredBackupWindow: db.settings.backupWindow,
    PreferredMaintenanceWindow: db.settings.maintenanceWindow,
    DeletionProtection: db.settings.deletionProtection,
  });
  serve(
    mock,
    DescribeDBInstancesCommand,
    (
      input: {
        DBInstanceIdentifier?: string;
        MaxRecords?: number;
        Marker?: string;
        Filters?: { Name?: string; Values?: string[] }[];
      },
      region,
    ) => {
      if (input.DBInstanceIdentifier === undefined) {
        const cluster = input.Filters?.find((f) => f.Name === "db-cluster-id")?.Values?.[0];
        const page = model.instances(
          region,
          input.MaxRecords,
          Number(input.Marker ?? 0),
          cluster?.startsWith("arn:") ? cluster.slice(cluster.lastIndexOf(":") + 1) : cluster,
        );
        return { DBInstances: page.instances.map(instance), Marker: page.marker };
      }
      return { DBInstances: [instance(model.database("instance", region, input.DBInstanceIdentifier))] };
    },
  );
  serve(mock, DescribeDBClustersCommand, (input: { DBClusterIdentifier?: string }, region) => {
    const cluster = model.database("cluster", region, input.DBClusterIdentifier);
    return {
      DBClusters: [
        {
          DBClusterIdentifier: cluster.id,
          DBClusterArn: cluster.arn,
          Status: model.status(cluster),
          Engine: cluster.metadata.Engine ?? "aurora-postgresql",
          ...credential(cluster),
          DatabaseName: model.credential(cluster).dbName,
          Endpoint: model.endpoint(cluster, "cluster"),
          Port: 5432,
          PreferredBackupWindow: cluster.settings.backupWindow,
          PreferredMaintenanceWindow: cluster.settings.maintenanceWindow,
          DeletionProtection: cluster.settings.deletionProtection,
        },
      ],
    };
  });
}
