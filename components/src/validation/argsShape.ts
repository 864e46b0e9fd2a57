// The run-time shape of the component's arguments, held to their TypeScript interfaces by the compiler.
import { BackupRestoreDRArgs } from "../backupRestoreDRArgs";
import { LifecycleArgs } from "../lifecycle";
import { ObjectiveEnforcement } from "../objectives";
import { RESTORE_TIME_KINDS } from "../restoreTime";
import { SelectionConditionsArgs, TagConditionArgs } from "../selection";
import { Shape } from "./shape";

const optional = { optional: true } as const;
const string = { kind: "string" } as const;
const number = { kind: "number" } as const;
const boolean = { kind: "boolean" } as const;
const inputString = { kind: "string", input: true } as const;
const stringMap = { kind: "map", values: string } as const;

const lifecycle: Shape<LifecycleArgs> = {
  kind: "object",
  fields: {
    moveToColdStorageAfterDays: { ...number, ...optional },
    deleteAfterDays: number,
    optInToArchiveForSupportedResources: { ...boolean, ...optional },
  },
};

const tagConditions: Shape<TagConditionArgs[]> = {
  kind: "array",
  items: { kind: "object", fields: { key: string, value: string } },
};

const conditions: Shape<SelectionConditionsArgs> = {
  kind: "object",
  fields: {
    stringEquals: { ...tagConditions, ...optional },
    stringLike: { ...tagConditions, ...optional },
    stringNotEquals: { ...tagConditions, ...optional },
    stringNotLike: { ...tagConditions, ...optional },
  },
};

/**
 * The run-time shape of `BackupRestoreDRArgs`: every field, its JavaScript type and whether it is
 * required. The compiler holds it to the interfaces (see `Shape`).
 */
export const BACKUP_RESTORE_DR_ARGS_SHAPE: Shape<BackupRestoreDRArgs> = {
  kind: "object",
  fields: {
    primaryRegion: string,
    drRegion: string,
    vaults: {
      kind: "object",
      ...optional,
      fields: {
        primaryVaultName: { ...string, ...optional },
        drVaultName: { ...string, ...optional },
        primaryKmsKeyArn: { ...inputString, ...optional },
        drKmsKeyArn: { ...inputString, ...optional },
        lock: {
          kind: "object",
          ...optional,
          fields: {
            minRetentionDays: { ...number, ...optional },
            maxRetentionDays: { ...number, ...optional },
            changeableForDays: { ...number, ...optional },
          },
        },
        denyRecoveryPointDeletion: { ...boolean, ...optional },
        deployerPrincipalArns: { kind: "array", items: inputString, ...optional },
        breakGlassPrincipalArns: { kind: "array", items: inputString, ...optional },
        protectKeys: { ...boolean, ...optional },
      },
    },
    isolation: {
      kind: "object",
      ...optional,
      fields: {
        enabled: { ...boolean, ...optional },
        vaultName: { ...string, ...optional },
        minRetentionDays: { ...number, ...optional },
        maxRetentionDays: { ...number, ...optional },
        recoveryAccountIds: { kind: "array", items: string, ...optional },
      },
    },
    plan: {
      kind: "object",
      fields: {
        name: { ...string, ...optional },
        rules: {
          kind: "array",
          items: {
            kind: "object",
            fields: {
              name: string,
              schedule: { ...string, ...optional },
              scheduleTimezone: { ...string, ...optional },
              startWindowMinutes: { ...number, ...optional },
              completionWindowMinutes: { ...number, ...optional },
              lifecycle,
              enableContinuousBackup: { ...boolean, ...optional },
              recoveryPointTags: { ...stringMap, ...optional },
              copyToDr: { kind: "object", ...optional, fields: { lifecycle: { ...lifecycle, ...optional } } },
            },
          },
        },
      },
    },
    selection: {
      kind: "object",
      fields: {
        name: { ...string, ...optional },
        tags: { ...stringMap, ...optional },
        conditions: { ...conditions, ...optional },
        resources: { kind: "array", items: inputString, ...optional },
        notResources: { kind: "array", items: inputString, ...optional },
        roleArn: { ...inputString, ...optional },
      },
    },
    databaseWindows: {
      kind: "object",
      ...optional,
      fields: { backupWindow: { ...string, ...optional }, maintenanceWindow: { ...string, ...optional } },
    },
    replication: {
      kind: "object",
      ...optional,
      fields: {
        buckets: {
          kind: "array",
          items: {
            kind: "object",
            fields: {
              sourceBucket: inputString,
              replicaBucketName: { ...string, ...optional },
              prefix: { ...string, ...optional },
              sourceKmsKeyArn: { ...inputString, ...optional },
            },
          },
        },
        deleteMarkerReplication: { ...boolean, ...optional },
        replicationTimeControl: { ...boolean, ...optional },
        replicaStorageClass: { ...string, ...optional },
        objectLock: {
          kind: "object",
          ...optional,
          fields: { mode: { ...string, ...optional }, days: number },
        },
      },
    },
    objectives: {
      kind: "object",
      ...optional,
      fields: {
        rpoMinutes: { ...number, ...optional },
        rtoMinutes: { ...number, ...optional },
        copyLandingMinutes: { ...number, ...optional },
        enforcement: { kind: "string", values: Object.values(ObjectiveEnforcement), ...optional },
      },
    },
    rtoForecast: {
      kind: "object",
      ...optional,
      fields: {
        resources: {
          kind: "array",
          items: {
            kind: "object",
            fields: {
              kind: { kind: "string", values: RESTORE_TIME_KINDS },
              name: string,
              sizeGiB: number,
              initializationRateMiBps: { ...number, ...optional },
              fastSnapshotRestore: { ...boolean, ...optional },
              usableMinutes: { ...number, ...optional },
              fullPerformanceMinutes: { ...number, ...optional },
            },
          },
        },
        flipMinutes: { ...number, ...optional },
        serverBootMinutes: { ...number, ...optional },
        healthCheckMinutes: { ...number, ...optional },
        operatorSwitchMinutes: { ...number, ...optional },
        dnsMinutes: { ...number, ...optional },
      },
    },
    monitoring: {
      kind: "object",
      ...optional,
      fields: {
        enabled: { ...boolean, ...optional },
        emailAddresses: { kind: "array", items: string, ...optional },
        alarms: { ...boolean, ...optional },
      },
    },
    restoreTesting: {
      kind: "object",
      ...optional,
      fields: {
        schedule: { ...string, ...optional },
        scheduleTimezone: { ...string, ...optional },
        startWindowHours: { ...number, ...optional },
        selectionWindowDays: { ...number, ...optional },
        selections: {
          kind: "array",
          items: {
            kind: "object",
            fields: {
              resourceType: string,
              validationWindowHours: { ...number, ...optional },
              restoreMetadataOverrides: { ...stringMap, ...optional },
            },
          },
        },
      },
    },
    auditFramework: {
      kind: "object",
      ...optional,
      fields: { name: { ...string, ...optional }, maxRestoreMinutes: { ...number, ...optional } },
    },
    retainOnDelete: { ...boolean, ...optional },
    tags: { kind: "map", values: inputString, ...optional },
  },
};
