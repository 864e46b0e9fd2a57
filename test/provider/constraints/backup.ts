// The AWS provider's argument constraints for AWS Backup: vaults, locks, plans, selections, restore testing.
import {
  BackupVaultEvent,
  ConditionType,
  RestoreTestingRecoveryPointSelectionAlgorithm,
  RestoreTestingRecoveryPointType,
} from "@aws-sdk/client-backup";
import { TypeConstraints } from "../rules";

// `enum.Validate[awstypes.X]` and `backup.X_Values()` take their values from the AWS SDK's service model;
// the JavaScript SDK is generated from the same model.
const NAME_50 = { kind: "StringLenBetween", min: 1, max: 50 } as const;
const VAULT_NAME_REF = /^[0-9A-Za-z_.-]{1,50}$/;

/** AWS Backup: internal/service/backup/. */
export const BACKUP: readonly TypeConstraints[] = [
  {
    type: "aws:backup/vault:Vault",
    file: "internal/service/backup/vault.go",
    autoName: "name",
    rules: [
      { kind: "StringLenBetween", path: "name", min: 2, max: 50 },
      {
        kind: "StringMatch",
        path: "name",
        pattern: /^[a-zA-Z0-9\-_]*$/,
        message: "must consist of letters, numbers, and hyphens.",
      },
      { kind: "ValidARN", path: "kmsKeyArn" },
    ],
  },
  {
    type: "aws:backup/logicallyAirGappedVault:LogicallyAirGappedVault",
    file: "internal/service/backup/logically_air_gapped_vault.go",
    autoName: "name",
    rules: [],
    note: "a framework resource whose name, min_retention_days and max_retention_days are Required with RequiresReplace and no validator: AWS checks them at create (name ^[a-zA-Z0-9\\-\\_]{2,50}$, MinRetentionDays at least 7), which the component's checkIsolation does before preview",
  },
  {
    type: "aws:backup/regionSettings:RegionSettings",
    file: "internal/service/backup/region_settings.go",
    // resource_type_opt_in_preference is Required: a set map is what AtLeastOneOf of one path checks.
    rules: [{ kind: "AtLeastOneOf", paths: ["resourceTypeOptInPreference"] }],
    note: "resource_type_opt_in_preference Required, resource_type_management_preference Optional+Computed, both maps of bool with no key validator; one per account and region (id: the region); delete is schema.NoopContext",
  },
  {
    type: "aws:backup/vaultPolicy:VaultPolicy",
    file: "internal/service/backup/vault_policy.go",
    rules: [{ kind: "StringIsJSON", path: "policy" }],
    note: "backupVaultName has no validator; policy is IAMPolicyDocumentSchemaRequired (JSON)",
  },
  {
    type: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
    file: "internal/service/backup/vault_lock_configuration.go",
    rules: [
      {
        kind: "StringMatch",
        path: "backupVaultName",
        pattern: VAULT_NAME_REF,
        message: "must consist of lowercase letters, numbers, and hyphens.",
      },
      { kind: "IntBetween", path: "changeableForDays", min: 3 },
    ],
  },
  {
    type: "aws:backup/vaultNotifications:VaultNotifications",
    file: "internal/service/backup/vault_notifications.go",
    rules: [
      {
        kind: "StringMatch",
        path: "backupVaultName",
        pattern: VAULT_NAME_REF,
        message: "must consist of lowercase letters, numbers, and hyphens.",
      },
      { kind: "ValidARN", path: "snsTopicArn" },
      { kind: "StringInSlice", path: "backupVaultEvents[]", values: Object.values(BackupVaultEvent) },
    ],
  },
  {
    type: "aws:backup/plan:Plan",
    file: "internal/service/backup/plan.go",
    rules: [
      { ...NAME_50, path: "rules[].ruleName" },
      {
        kind: "StringMatch",
        path: "rules[].ruleName",
        pattern: /^[0-9A-Za-z_.-]+$/,
        message: "must contain only alphanumeric characters, hyphens, underscores, and periods",
      },
      { kind: "StringLenBetween", path: "rules[].targetVaultName", min: 2, max: 50 },
      {
        kind: "StringMatch",
        path: "rules[].targetVaultName",
        pattern: /^[0-9A-Za-z_-]+$/,
        message: "must contain only alphanumeric characters, hyphens, and underscores",
      },
      { kind: "ValidARN", path: "rules[].copyActions[].destinationVaultArn" },
      { kind: "StringInSlice", path: "advancedBackupSettings[].resourceType", values: ["EC2"] },
    ],
    note: "the plan name has no validator in plan.go",
  },
  {
    type: "aws:backup/selection:Selection",
    file: "internal/service/backup/selection.go",
    autoName: "name",
    rules: [
      { ...NAME_50, path: "name" },
      {
        kind: "StringMatch",
        path: "name",
        pattern: /^[0-9A-Za-z_.-]+$/,
        message: "must contain only alphanumeric, hyphen, underscore, and period characters",
      },
      { kind: "ValidARN", path: "iamRoleArn" },
      { kind: "StringInSlice", path: "selectionTags[].type", values: Object.values(ConditionType) },
    ],
  },
  {
    type: "aws:backup/framework:Framework",
    file: "internal/service/backup/framework.go",
    rules: [
      {
        kind: "StringMatch",
        path: "name",
        pattern: /^[A-Za-z]{1}[0-9A-Za-z_]{0,255}$/,
        message:
          "must be must be between 1 and 256 characters, starting with a letter, and consisting of letters, numbers, and underscores.",
      },
      { kind: "StringLenBetween", path: "description", min: 0, max: 1024 },
      { kind: "StringLenBetween", path: "controls[].name", min: 1, max: 256 },
      { kind: "AtLeastOneOf", paths: ["controls"] },
    ],
    note: "name validFrameworkName (validate.go), ForceNew; control a set, Required, MinItems 1; control.scope MaxItems 1, compliance_resource_ids 1-100 items; input_parameter name and value Optional with no validator",
  },
  {
    type: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
    file: "internal/service/backup/restore_testing_plan.go",
    rules: [
      { ...NAME_50, path: "name" },
      {
        kind: "StringMatch",
        path: "name",
        pattern: /^[0-9A-Za-z_]+$/,
        message: "must contain only alphanumeric characters, and underscores",
      },
      { kind: "IntBetween", path: "startWindowHours", min: 0, max: 168 },
      {
        kind: "StringInSlice",
        path: "recoveryPointSelection.algorithm",
        values: Object.values(RestoreTestingRecoveryPointSelectionAlgorithm),
      },
      { kind: "ValidARN", path: "recoveryPointSelection.includeVaults[]", alsoAllowed: ["*"] },
      { kind: "ValidARN", path: "recoveryPointSelection.excludeVaults[]", alsoAllowed: ["*"] },
      {
        kind: "StringInSlice",
        path: "recoveryPointSelection.recoveryPointTypes[]",
        values: Object.values(RestoreTestingRecoveryPointType),
      },
      { kind: "IntBetween", path: "recoveryPointSelection.selectionWindowDays", min: 1, max: 365 },
    ],
  },
  {
    type: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
    file: "internal/service/backup/restore_testing_selection.go",
    rules: [
      { kind: "ExactlyOneOf", paths: ["protectedResourceArns", "protectedResourceConditions"] },
      { ...NAME_50, path: "name" },
      {
        kind: "StringMatch",
        path: "name",
        pattern: /^[0-9A-Za-z_]+$/,
        message: "must contain only alphanumeric characters, and underscores",
      },
      { kind: "ValidARN", path: "iamRoleArn" },
      { kind: "ValidARN", path: "protectedResourceArns[]", alsoAllowed: ["*"] },
      { kind: "IntBetween", path: "validationWindowHours", min: 1, max: 168 },
    ],
  },
];
