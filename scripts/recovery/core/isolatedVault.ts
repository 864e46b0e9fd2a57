// The isolated copy: the dr stack's logically air-gapped vault, how a run finds it, and which vault each resource's point comes from.
import { BackupClient } from "@aws-sdk/client-backup";
import { DrOutputs } from "../../dependencies";
import { DrError, errorMessage } from "../../errors";
import { formatDuration } from "../../time";
import { checkVault } from "./awsChecks";
import { RecoveryPoint, SelectedPoint, SkippedPoint, selectRecoveryPoints } from "./recoveryPoints";
import { withinObjective } from "./verdict";

/** DescribeBackupVault's `VaultType` of a logically air-gapped vault (AWS Backup API, DescribeBackupVault). */
const LAG_VAULT_TYPE = "LOGICALLY_AIR_GAPPED_BACKUP_VAULT";

/** The isolated vault a run may read: a logically air-gapped vault in the DR region. */
export interface IsolatedVaultRef {
  readonly name: string;
  /**
   * The vault's owning account when it is not the caller's (a LAG vault shared through AWS RAM to a recovery
   * account): sent as `BackupVaultAccountId` on every read of it. Absent: the caller's account.
   */
  readonly accountId?: string;
}

/** A backup vault's ARN: `arn:<partition>:backup:<region>:<account>:backup-vault:<name>` (AWS Backup resource ARNs). */
const VAULT_ARN = /^arn:aws[a-z-]*:backup:([a-z0-9-]+):(\d{12}):backup-vault:([a-zA-Z0-9_-]{2,50})$/;

/**
 * The isolated vault named by `--isolated-vault` (a name, or a vault ARN whose account is the owner's: a LAG
 * vault another account shares through AWS RAM), else by the dr stack's `isolatedVaultName` output; undefined
 * when neither names one (isolation off). The owner comes from the flag's ARN, else from `isolatedVaultArn`
 * when the flag is absent, and is kept only when it differs from the caller's: every read of a vault another
 * account owns must send it as `BackupVaultAccountId`, AWS refuses it otherwise (AccessDeniedException,
 * "Insufficient privileges"). An `arn:` value that is not a vault ARN is refused before anything is read.
 */
export function isolatedVaultRef(
  outputs: DrOutputs | undefined,
  flag: string | undefined,
  callerAccount: string | undefined,
): IsolatedVaultRef | undefined {
  if (flag?.startsWith("arn:")) {
    const arn = VAULT_ARN.exec(flag);
    if (!arn) {
      throw new DrError(
        `--isolated-vault '${flag}' is not a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>) nor a vault name`,
      );
    }
    return withOwner(arn[3], arn[2], callerAccount);
  }
  const name = flag ?? outputs?.isolatedVaultName;
  if (!name) {
    return undefined;
  }
  return withOwner(
    name,
    flag === undefined ? outputs?.isolatedVaultArn?.split(":")[4] : undefined,
    callerAccount,
  );
}

function withOwner(
  name: string,
  owner: string | undefined,
  callerAccount: string | undefined,
): IsolatedVaultRef {
  return { name, ...(owner && callerAccount && owner !== callerAccount ? { accountId: owner } : {}) };
}

/** The error of `--from-isolated` (or a run that needs the isolated vault) when no isolated vault is known. */
export function noIsolatedVault(why: string): DrError {
  return new DrError(
    `${why}, and no isolated vault is known: the dr stack has no 'isolatedVaultName' output (isolation off, or the stack predates it); deploy the stacks with isolation on, or pass --isolated-vault <name-or-arn>`,
  );
}

/**
 * DescribeBackupVault of the isolated vault, before anything is read from it. `required` (`--from-isolated`):
 * a vault that cannot be read stops the run; otherwise it is a warning and the run reads the DR vault only.
 * A vault that is not logically air-gapped is warned about: its points are no safer than the DR vault's.
 */
export async function openIsolatedVault(
  backup: BackupClient,
  ref: IsolatedVaultRef,
  region: string,
  required: boolean,
  warn: (message: string) => void,
): Promise<{ ref: IsolatedVaultRef; numberOfRecoveryPoints: number } | undefined> {
  try {
    const vault = await checkVault(backup, ref.name, region, ref.accountId);
    if (vault.type !== undefined && vault.type !== LAG_VAULT_TYPE) {
      warn(
        `isolated vault '${ref.name}' is a ${vault.type}, not a logically air-gapped vault: whoever can delete the DR vault's points can delete its points too`,
      );
    }
    return { ref, numberOfRecoveryPoints: vault.numberOfRecoveryPoints };
  } catch (err) {
    if (required) {
      throw err;
    }
    warn(`isolated vault not read, recovering from the DR vault only: ${errorMessage(err)}`);
    return undefined;
  }
}

/** Options of {@link chooseAcrossVaults}. */
export interface VaultChoiceOptions {
  /** The isolated vault's name. */
  readonly isolatedVaultName: string;
  /** Take every point from the isolated vault (`--from-isolated`). Default false. */
  readonly fromIsolated?: boolean;
  /** The RPO, and now (ms) to measure ages from: a DR point older than the RPO is not clean. Default: no age rule. */
  readonly rpo?: { readonly minutes: number; readonly nowMs: number };
  /** `--as-of`: the newest point at or before it is what was asked for, whatever its age. */
  readonly asOf?: Date;
  readonly only?: readonly string[];
}

/** A resource's point with the vault it comes from and, from the isolated vault, why. */
export interface VaultChoice {
  readonly selected: SelectedPoint[];
  readonly skipped: SkippedPoint[];
  /** Recovery point ARN -> why it is taken from the isolated vault. */
  readonly fromIsolated: ReadonlyMap<string, string>;
}

/**
 * One point per resource across the DR vault and the isolated vault. The DR vault's newest usable point is
 * taken when it is clean: COMPLETED and, without `--as-of`, within the RPO. Otherwise the isolated vault's
 * newest usable point is taken when the DR vault has none, or it is newer (an attacker who deleted the DR
 * vault's points, copies that stopped); else the DR vault's, however old, and the verdict says the RPO was
 * missed. With `fromIsolated` every point comes from the isolated vault.
 */
export function chooseAcrossVaults(
  drPoints: readonly RecoveryPoint[],
  isolatedPoints: readonly RecoveryPoint[],
  options: VaultChoiceOptions,
): VaultChoice {
  const selection = { asOf: options.asOf, only: options.only };
  const dr = selectRecoveryPoints(drPoints, selection);
  const lag = selectRecoveryPoints(isolatedPoints, selection);
  const pick = (points: readonly SelectedPoint[]) => new Map(points.map((p) => [p.resourceArn, p]));
  const drPick = pick(dr.selected);
  const lagPick = pick(lag.selected);
  const skippedOf = (skipped: readonly SkippedPoint[], arn: string) =>
    skipped.filter((s) => s.resourceArn === arn);
  const resources = new Set(
    [...dr.selected, ...dr.skipped, ...lag.selected, ...lag.skipped].map((p) => p.resourceArn),
  );
  const selected: SelectedPoint[] = [];
  const skipped: SkippedPoint[] = [];
  const fromIsolated = new Map<string, string>();
  const vault = `isolated vault '${options.isolatedVaultName}'`;
  for (const arn of resources) {
    const d = drPick.get(arn);
    const l = lagPick.get(arn);
    if (options.fromIsolated) {
      if (l) {
        selected.push(l);
        fromIsolated.set(l.recoveryPointArn, "--from-isolated");
      }
      const lagSkipped = skippedOf(lag.skipped, arn);
      skipped.push(
        ...(l || lagSkipped.length > 0
          ? lagSkipped
          : [
              {
                resourceArn: arn,
                resourceTypeName: (d ?? skippedOf(dr.skipped, arn)[0]).resourceTypeName,
                reason: `no recovery point in the ${vault} (--from-isolated)`,
              },
            ]),
      );
      continue;
    }
    const why = notClean(d, options);
    if (why === undefined && d) {
      selected.push(d);
      skipped.push(...skippedOf(dr.skipped, arn));
      continue;
    }
    if (l && (!d || l.creationDate.getTime() > d.creationDate.getTime())) {
      selected.push(l);
      fromIsolated.set(l.recoveryPointArn, why ?? "");
      // The DR vault's points passed over stay in the report; its "no point" line is what the isolated one answers.
      skipped.push(...skippedOf(dr.skipped, arn).filter((s) => s.recoveryPointArn !== undefined));
      continue;
    }
    if (d) {
      selected.push(d);
      skipped.push(...skippedOf(dr.skipped, arn));
      continue;
    }
    const drSkipped = skippedOf(dr.skipped, arn);
    skipped.push(...(drSkipped.length > 0 ? drSkipped : skippedOf(lag.skipped, arn)));
  }
  selected.sort(
    (a, b) => a.resourceType.localeCompare(b.resourceType) || a.resourceName.localeCompare(b.resourceName),
  );
  return { selected, skipped, fromIsolated };
}

/** Why the DR vault's chosen point is not clean, or undefined when it is. */
function notClean(point: SelectedPoint | undefined, options: VaultChoiceOptions): string | undefined {
  if (!point) {
    return options.asOf
      ? `the DR vault has no COMPLETED point at or before ${options.asOf.toISOString()}`
      : "the DR vault has no COMPLETED point";
  }
  const { rpo } = options;
  if (options.asOf !== undefined || rpo === undefined) {
    return undefined;
  }
  const ageMs = rpo.nowMs - point.creationDate.getTime();
  return !withinObjective(ageMs / 60_000, rpo.minutes)
    ? `the DR vault's newest COMPLETED point is ${formatDuration(ageMs)} old, past the RPO of ${rpo.minutes} min`
    : undefined;
}
