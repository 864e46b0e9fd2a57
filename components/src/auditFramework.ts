// AWS Backup Audit Manager: a framework whose controls check the objectives continuously, restore time first.
import * as aws from "@pulumi/aws";
import { ComponentContext } from "./context";
import { DrObjectivesArgs } from "./objectives";
import { nonRestoreMinutes, RtoForecastArgs } from "./rtoForecast";
import { BackupPlanArgs, copyLifecycle } from "./rule";
import { VaultLockArgs } from "./vaultPair";

/**
 * AWS Backup Audit Manager's own check of the objectives beside the forecast: a framework in the primary
 * region with RESTORE_TIME_FOR_RESOURCES_MEET_TARGET, and, when the arguments call for them,
 * BACKUP_LAST_RECOVERY_POINT_CREATED (within the RPO), BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION (copies
 * to the DR region) and BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK (the lock's retention).
 *
 * What the restore-time control judges: a protected resource's `LatestRestoreExecutionTimeMinutes`
 * (DescribeProtectedResource; the control is NON_COMPLIANT when it exceeds `maxRestoreTime`, AWS Backup
 * developer guide, "Choosing your controls"), as AWS Backup records it in the framework's region, the
 * primary. Restore testing (and a recovery) restores in the DR region: by inference, not verified against
 * AWS, the control does not see those restores, only restores made in the primary region. `dr status`
 * measures the DR region's restore tests.
 *
 * Prerequisites and limits: the controls evaluate through AWS Config, which must record the resource
 * types in the primary region (AWS Backup developer guide, "AWS Backup Audit Manager": "you must enable
 * resource tracking"); at most 50 controls per account per region across frameworks (AWS Backup quotas,
 * "Controls per account per Region"). Cost: AWS Backup Audit Manager charges per control evaluation, and
 * AWS Config per configuration item and rule evaluation (AWS Backup developer guide, "Metering, costs, and
 * billing"; AWS Backup and AWS Config pricing pages).
 */
export interface AuditFrameworkArgs {
  /**
   * The framework's name: a letter, then letters, digits and underscores, at most 256.
   * Default: the component's name made valid, with `_dr_objectives`.
   */
  readonly name?: string;
  /**
   * The restore-time target of RESTORE_TIME_FOR_RESOURCES_MEET_TARGET, in minutes (its `maxRestoreTime`).
   * Default: `objectives.rtoMinutes` less the RTO forecast's terms that are not restores (flip, boot,
   * health, operator's switch, DNS: rtoForecast.ts nonRestoreMinutes, the forecast's defaults without
   * `rtoForecast`), rounded down; one of `maxRestoreMinutes` and `objectives.rtoMinutes` must be set.
   */
  readonly maxRestoreMinutes?: number;
}

/** What the controls follow: the component's objectives, plan, lock, DR region and selection tags. */
export interface AuditedDeployment {
  readonly drRegion: string;
  readonly plan: BackupPlanArgs;
  readonly objectives?: DrObjectivesArgs;
  readonly lock?: VaultLockArgs;
  readonly selectionTags?: { [key: string]: string };
  /** The RTO forecast's arguments, for the terms of a recovery that are not restores. */
  readonly rtoForecast?: RtoForecastArgs;
}

/** The component's arguments the framework reads (BackupRestoreDRArgs has them all). */
export interface AuditedArgs {
  readonly drRegion: string;
  readonly plan: BackupPlanArgs;
  readonly objectives?: DrObjectivesArgs;
  readonly vaults?: { readonly lock?: VaultLockArgs };
  readonly selection: { readonly tags?: { [key: string]: string } };
  readonly rtoForecast?: RtoForecastArgs;
  readonly auditFramework?: AuditFrameworkArgs;
}

/** What the framework's controls follow, from the component's arguments. */
export function auditedDeployment(args: AuditedArgs): AuditedDeployment {
  return {
    drRegion: args.drRegion,
    plan: args.plan,
    objectives: args.objectives,
    lock: args.vaults?.lock,
    selectionTags: args.selection.tags,
    rtoForecast: args.rtoForecast,
  };
}

/**
 * The names of the controls the framework of `args` gets (CreateFramework's ControlName), in order: what
 * `dr cost` prices, control evaluation by control evaluation. Empty without `args.auditFramework`.
 */
export function auditControlNames(args: AuditedArgs): string[] {
  return args.auditFramework
    ? auditControls(auditedDeployment(args), args.auditFramework).map((control) => control.name)
    : [];
}

/** BACKUP_LAST_RECOVERY_POINT_CREATED's `recoveryPointAgeValue` in hours: 1 to 744 (AWS Backup, "Choosing your controls"). */
export const RECOVERY_POINT_AGE_HOURS = { min: 1, max: 744 } as const;

/** The restore-time target: `maxRestoreMinutes`, else the RTO less the forecast's non-restore terms. */
export function restoreTimeTarget(
  framework: AuditFrameworkArgs,
  objectives: DrObjectivesArgs | undefined,
  rtoForecast: RtoForecastArgs | undefined,
): number | undefined {
  if (framework.maxRestoreMinutes !== undefined) return framework.maxRestoreMinutes;
  const rto = objectives?.rtoMinutes;
  return rto === undefined
    ? undefined
    : Math.floor(rto - nonRestoreMinutes(rtoForecast ?? { resources: [] }));
}

/** One control: its name and input parameters, as CreateFramework takes them. */
interface AuditControl {
  readonly name: string;
  readonly inputParameters: { readonly name: string; readonly value: string }[];
}

/** A valid framework name from `base`: other characters become `_`, a leading non-letter gets `f_`. */
function auditFrameworkName(base: string): string {
  const cleaned = base.replace(/[^0-9A-Za-z_]/g, "_");
  return (/^[A-Za-z]/.test(cleaned) ? cleaned : `f_${cleaned}`).slice(0, 256);
}

/**
 * The controls the objectives call for (AWS Backup developer guide, "Creating frameworks using the AWS
 * Backup API": control names and parameters).
 */
function auditControls(args: AuditedDeployment, framework: AuditFrameworkArgs): AuditControl[] {
  const restoreMinutes = restoreTimeTarget(framework, args.objectives, args.rtoForecast);
  const rpo = args.objectives?.rpoMinutes;
  const lock = args.lock;
  const copies = args.plan.rules.some((rule) => copyLifecycle(rule) !== undefined);
  const param = (name: string, value: number | string) => ({ name, value: String(value) });
  return [
    {
      name: "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET",
      inputParameters: restoreMinutes === undefined ? [] : [param("maxRestoreTime", restoreMinutes)],
    },
    ...(rpo !== undefined
      ? [
          {
            name: "BACKUP_LAST_RECOVERY_POINT_CREATED",
            inputParameters: [
              param("recoveryPointAgeUnit", "hours"),
              param("recoveryPointAgeValue", Math.ceil(rpo / 60)),
            ],
          },
        ]
      : []),
    ...(copies
      ? [
          {
            name: "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION",
            inputParameters: [param("crossRegionList", args.drRegion)],
          },
        ]
      : []),
    ...(lock
      ? [
          {
            name: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
            inputParameters: [
              ...(lock.minRetentionDays !== undefined
                ? [param("minRetentionDays", lock.minRetentionDays)]
                : []),
              ...(lock.maxRetentionDays !== undefined
                ? [param("maxRetentionDays", lock.maxRetentionDays)]
                : []),
            ],
          },
        ]
      : []),
  ];
}

/**
 * The controls' scope: the selection's tag when it has exactly one (a control scope takes one tag, AWS
 * Backup developer guide, "Controls and remediation"); unset otherwise, and then checkAuditFramework
 * refuses the framework, whose controls would evaluate every resource of their types in the region.
 */
export function auditScopeTag(
  selectionTags: { readonly [key: string]: string } | undefined,
): { [key: string]: string } | undefined {
  const tags = Object.entries(selectionTags ?? {});
  return tags.length === 1 ? { [tags[0][0]]: tags[0][1] } : undefined;
}

/** Creates the framework in the primary region, its controls scoped to the selection's one tag. */
export function createAuditFramework(
  ctx: ComponentContext,
  args: AuditedDeployment,
  framework: AuditFrameworkArgs,
): aws.backup.Framework {
  const tag = auditScopeTag(args.selectionTags);
  const scope = tag && { tags: tag };
  return new aws.backup.Framework(
    `${ctx.name}-audit`,
    {
      region: ctx.primaryRegion,
      name: framework.name ?? auditFrameworkName(`${ctx.name}_dr_objectives`),
      description: "The DR objectives, checked by AWS Backup Audit Manager: restore time, RPO, copies, lock.",
      controls: auditControls(args, framework).map((control) => ({
        name: control.name,
        inputParameters: control.inputParameters.map((p) => ({ name: p.name, value: p.value })),
        ...(scope && { scope }),
      })),
      tags: ctx.tags,
    },
    ctx.child,
  );
}
