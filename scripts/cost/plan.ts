/** The cost plan of a deployment: from its stacks' config, or the project's defaults with no stack. */
import {
  BackupPlanArgs,
  DR_FAILURE_METRICS,
  FAILURE_METRICS,
  auditControlNames,
  auditScopeTag,
} from "@restorekit/backup-restore-dr";
import { CONFIG_SCHEMA } from "../../stacks/config";
import { interfaceEndpointCount } from "../../stacks/interfaceEndpoints";
import { Deployment } from "../deployment/model";
import { CostPlan } from "./inputs";

/** Vault keys BackupRestoreDR creates by default: one per vault (the replicas use the DR key). */
export const VAULT_KEYS = 2;

/** Alarms BackupRestoreDR creates by default: one per failure metric of each vault (no copy alarm in DR). */
export const MONITORING_ALARMS = FAILURE_METRICS.length + DR_FAILURE_METRICS.length;

/** NAT gateways a `natGateways` strategy creates in a VPC of `zones` availability zones. */
export function natGatewayCount(strategy: string, zones: number): number {
  return strategy === "Single" ? 1 : strategy === "OnePerAz" ? zones : 0;
}

/**
 * The cost plan of a deployment read from its stacks' config: the prod stack's backup plan,
 * replication and isolated copy, the component's keys and alarms, the dr stack's standby shape (one load balancer over its
 * availability zones, its NAT gateways and interface endpoints) and, with DNS, the failover switch.
 */
export function costPlanFromDeployment(deployment: Deployment): CostPlan {
  const { prod, dr, protection } = deployment;
  const zones = dr.environment.availabilityZones.length > 0 ? dr.environment.availabilityZones.length : 2;
  return {
    name: `${prod.backupPlanName} (stack ${prod.stack})`,
    primaryRegion: prod.primaryRegion,
    drRegion: prod.drRegion,
    rules: prod.plan.rules,
    ...(protection.replication && {
      s3Replication: {
        storageClass: prod.replication.replicaStorageClass,
        replicationTimeControl: prod.replication.replicationTimeControl,
      },
    }),
    isolatedCopy: prod.isolation.enabled ?? false,
    kmsKeys: VAULT_KEYS,
    alarms: MONITORING_ALARMS,
    idleDr: {
      loadBalancers: 1,
      availabilityZones: zones,
      natGateways: natGatewayCount(dr.environment.natGateways, zones),
      interfaceEndpoints: interfaceEndpointCount(dr.environment, true),
    },
    failoverSwitch: prod.environment.dns !== undefined,
    ...(protection.auditFramework && {
      auditFramework: {
        controls: auditControlNames(protection),
        ...(auditScopeTag(protection.selection.tags) && { resources: prod.data.length }),
      },
    }),
  };
}

/**
 * The cost plan when there is no stack to read: `plan` with the project's defaults (stacks/config/schema.ts's
 * `CONFIG_SCHEMA`, which Pulumi.yaml declares): us-east-1 and us-west-2, the application bucket replicated
 * to STANDARD without Replication Time Control, the isolated copy, two vault keys, the default alarms, and a dr stack of one
 * load balancer over two zones with no NAT gateway (a dr stack must have none), no interface endpoints and
 * no DNS.
 */
export function defaultCostPlan(name: string, plan: BackupPlanArgs): CostPlan {
  const zones = 2;
  return {
    name,
    primaryRegion: CONFIG_SCHEMA.primaryRegion.default,
    drRegion: CONFIG_SCHEMA.drRegion.default,
    rules: plan.rules,
    ...(CONFIG_SCHEMA.replicateAppBucket.default && {
      s3Replication: {
        storageClass: CONFIG_SCHEMA.replicaStorageClass.default,
        replicationTimeControl: CONFIG_SCHEMA.replicationTimeControl.default,
      },
    }),
    isolatedCopy: CONFIG_SCHEMA.isolation.default,
    kmsKeys: VAULT_KEYS,
    alarms: MONITORING_ALARMS,
    idleDr: {
      loadBalancers: 1,
      availabilityZones: zones,
      natGateways: natGatewayCount("None", zones),
      interfaceEndpoints: interfaceEndpointCount(
        {
          natGateways: "None",
          interfaceEndpoints: CONFIG_SCHEMA.interfaceEndpoints.default,
          compute: CONFIG_SCHEMA.compute.default,
        },
        true,
      ),
    },
    failoverSwitch: CONFIG_SCHEMA.route53ZoneId.default !== "",
  };
}
