// The restore plan: each selected recovery point with its restore metadata and target name.
import { GetRecoveryPointRestoreMetadataCommand } from "@aws-sdk/client-backup";
import { AwsClients } from "../../../aws/clients";
import { describeAwsError, isCredentialsError } from "../../../aws/errors";
import { DrError } from "../../../errors";
import { PlannedRestore, RunKind } from "../../core/journal";
import { namePrefix, restoredName } from "../../core/naming";
import { Output, renderTable } from "../../../output";
import {
  RecoveryPoint,
  SkippedPoint,
  listAllRecoveryPoints,
  selectRecoveryPoints,
  vaultFilters,
} from "../../core/recoveryPoints";
import { RestoreNetwork } from "../../resources/metadata";
import { resourceOf } from "../../resources/registry";
import { regionOfArn } from "../../resources/types";
import { MetadataOverrides, buildRestoreMetadata } from "../../core/restoreMetadata";
import { vaultError } from "../../core/awsChecks";
import { IsolatedVaultRef, chooseAcrossVaults } from "../../core/isolatedVault";
import { IsolatedGap, isolatedGaps } from "../../core/isolatedGaps";
import { formatDuration } from "../../../time";

/** Inputs of {@link buildPlan}. */
export interface PlanInput {
  readonly clients: AwsClients;
  readonly vaultName: string;
  readonly region: string;
  readonly kind: RunKind;
  readonly runId: string;
  readonly asOf?: Date;
  readonly only: readonly string[];
  readonly overrides: MetadataOverrides;
  readonly iamRoleArn: string;
  readonly network: RestoreNetwork;
  /**
   * The primary region: only its resources are prod's data. The DR vault also holds points of resources of
   * the DR region (a recovery's copies, backed up while in DR and by a failback), which a recovery must not
   * restore. Default: every region.
   */
  readonly primaryRegion?: string;
  /** GetRecoveryPointRestoreMetadata calls in flight at once. Default 10. */
  readonly concurrency?: number;
  /**
   * The isolated (logically air-gapped) vault, read beside the DR vault: a resource whose DR point is not
   * clean takes the isolated vault's (core/isolatedVault.ts chooseAcrossVaults). Default none: the DR vault only.
   */
  readonly isolated?: IsolatedVaultRef;
  /** Take every point from {@link isolated} (`--from-isolated`). Default false. */
  readonly fromIsolated?: boolean;
  /** The RPO, and now (ms) to measure ages from: a DR point older than the RPO is not clean. Default: no age rule. */
  readonly rpo?: { readonly minutes: number; readonly nowMs: number };
}

/** The restores a run will make and what it leaves out. */
export interface RunPlan {
  readonly plan: PlannedRestore[];
  readonly skipped: SkippedPoint[];
  readonly totalPoints: number;
  /**
   * The resources of the plan's DR vault points that the isolated vault holds no copy of, and why (none
   * without an isolated vault, or with `--from-isolated`).
   */
  readonly isolatedGaps: IsolatedGap[];
}

/**
 * Reads every recovery point of the vault, picks one per resource, and builds each restore's
 * metadata from GetRecoveryPointRestoreMetadata, the DR network and the overrides. Fails with one
 * line, before anything is started, when there is nothing to restore.
 */
export async function buildPlan(input: PlanInput): Promise<RunPlan> {
  const filters = vaultFilters(input.only, input.asOf);
  const { isolated } = input;
  const [points, isolatedPoints] = await Promise.all([
    input.fromIsolated ? [] : vaultPoints(input, { name: input.vaultName }, filters),
    isolated ? vaultPoints(input, isolated, filters) : [],
  ]);
  if (points.length === 0 && isolatedPoints.length === 0 && !filters) {
    throw new DrError(
      input.fromIsolated && isolated
        ? `isolated vault '${isolated.name}' in ${input.region} holds no recovery points`
        : `backup vault '${input.vaultName}' in ${input.region} holds no recovery points${
            isolated ? `, nor does the isolated vault '${isolated.name}'` : ""
          }`,
    );
  }
  const { prod, elsewhere } = prodPoints([...points, ...isolatedPoints], input.primaryRegion);
  const inIsolated = new Set(isolatedPoints.map((p) => p.recoveryPointArn));
  const selection = isolated
    ? chooseAcrossVaults(
        prod.filter((p) => !inIsolated.has(p.recoveryPointArn)),
        prod.filter((p) => inIsolated.has(p.recoveryPointArn)),
        {
          isolatedVaultName: isolated.name,
          fromIsolated: input.fromIsolated,
          rpo: input.rpo,
          asOf: input.asOf,
          only: input.only,
        },
      )
    : { ...selectRecoveryPoints(prod, { asOf: input.asOf, only: input.only }), fromIsolated: new Map() };
  const { selected } = selection;
  const skipped = [...selection.skipped, ...elsewhere];
  const vaultOf = (point: RecoveryPoint) =>
    inIsolated.has(point.recoveryPointArn) && isolated ? isolated : { name: input.vaultName };
  if (selected.length === 0) {
    const scope = input.only.length > 0 ? ` matching --only ${input.only.join(", ")}` : "";
    const when = input.asOf ? ` at or before ${input.asOf.toISOString()}` : "";
    const reasons =
      skipped.length > 0
        ? `: ${skipped
            .slice(0, 3)
            .map((s) => `${s.resourceArn}: ${s.reason}`)
            .join("; ")}`
        : "";
    const where = isolated
      ? `${input.fromIsolated ? "" : `vault '${input.vaultName}' or `}isolated vault '${isolated.name}' (${points.length + isolatedPoints.length} points)`
      : `vault '${input.vaultName}' (${points.length} points)`;
    throw new DrError(`no COMPLETED recovery point to restore${scope}${when} in ${where}${reasons}`);
  }

  const prefix = namePrefix(input.kind, input.runId);
  const plan: PlannedRestore[] = [];
  const queue = [...selected];
  const worker = async () => {
    for (let point = queue.shift(); point; point = queue.shift()) {
      let base: Record<string, string>;
      const vault = vaultOf(point);
      try {
        const out = await input.clients.backup.send(
          new GetRecoveryPointRestoreMetadataCommand({
            BackupVaultName: vault.name,
            RecoveryPointArn: point.recoveryPointArn,
            ...(vault.accountId && { BackupVaultAccountId: vault.accountId }),
          }),
        );
        base = out.RestoreMetadata ?? {};
      } catch (err) {
        if (isCredentialsError(err)) {
          throw vaultError(err, vault.name, input.region);
        }
        skipped.push({
          resourceArn: point.resourceArn,
          resourceTypeName: point.resourceTypeName,
          recoveryPointArn: point.recoveryPointArn,
          reason: `GetRecoveryPointRestoreMetadata failed: ${describeAwsError(err)}`,
        });
        continue;
      }
      const isolatedWhy = selection.fromIsolated.get(point.recoveryPointArn);
      const { nameRule } = resourceOf(point.resourceType);
      const targetName = nameRule ? restoredName(nameRule, prefix, point.resourceName) : undefined;
      const { metadata, notes } = buildRestoreMetadata({
        resourceType: point.resourceType,
        base,
        targetName: targetName ?? "",
        region: input.region,
        network: input.network,
        overrides: input.overrides.get(point.resourceType),
        disposable: input.kind === "drill",
      });
      plan.push({
        recoveryPointArn: point.recoveryPointArn,
        resourceArn: point.resourceArn,
        resourceType: point.resourceType,
        resourceName: point.resourceName,
        recoveryPointCreatedAt: point.creationDate.toISOString(),
        targetName,
        iamRoleArn: input.iamRoleArn,
        metadata,
        notes,
        // A recovery's copies take the backup's tags, prod's selection tag among them, so the dr stack's plan
        // for restored data selects them (StartRestoreJob CopySourceTagsToRestoredResource); a drill's copies
        // must not be backed up.
        ...(input.kind === "recover" && { copySourceTags: true }),
        ...(isolatedWhy !== undefined && { isolated: { vaultName: vault.name, why: isolatedWhy } }),
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(input.concurrency ?? 10, selected.length) }, worker));
  if (plan.length === 0) {
    throw new DrError(
      `no recovery point could be prepared for restore: ${skipped.map((s) => s.reason).join("; ")}`,
    );
  }
  plan.sort(
    (a, b) => a.resourceType.localeCompare(b.resourceType) || a.resourceName.localeCompare(b.resourceName),
  );
  const planned = new Set(plan.map((p) => p.resourceArn));
  const gaps =
    isolated && !input.fromIsolated
      ? isolatedGaps(
          prod.filter((p) => !inIsolated.has(p.recoveryPointArn) && planned.has(p.resourceArn)),
          prod.filter((p) => inIsolated.has(p.recoveryPointArn)),
        )
      : [];
  return { plan, skipped, totalPoints: points.length + isolatedPoints.length, isolatedGaps: gaps };
}

/** Every point of one vault the filters cover (all of them without filters), each once. */
async function vaultPoints(
  input: PlanInput,
  vault: { readonly name: string; readonly accountId?: string },
  filters: ReturnType<typeof vaultFilters>,
): Promise<RecoveryPoint[]> {
  try {
    const listings = await Promise.all(
      (filters ?? [{}]).map((filter) =>
        listAllRecoveryPoints(input.clients.backup, vault.name, undefined, filter, vault.accountId),
      ),
    );
    return [...new Map(listings.flat().map((p) => [p.recoveryPointArn, p])).values()];
  } catch (err) {
    throw vaultError(err, vault.name, input.region);
  }
}

/**
 * The points of prod's resources (of `primaryRegion`, or without a region: S3), and one skip per resource of
 * another region. After a failback the DR vault holds, beside prod's points, those of the recovery's `dr-`
 * copies in the DR region (AWS Backup ListRecoveryPointsByBackupVault lists every point of the vault, on-demand
 * and copied ones too); restoring them would restore the data the failback already brought back, under DR
 * names, next to prod's.
 */
function prodPoints(
  points: readonly RecoveryPoint[],
  primaryRegion: string | undefined,
): { prod: RecoveryPoint[]; elsewhere: SkippedPoint[] } {
  const isProd = (p: RecoveryPoint) => {
    const region = regionOfArn(p.resourceArn);
    return primaryRegion === undefined || region === undefined || region === primaryRegion;
  };
  const elsewhere = new Map<string, SkippedPoint>();
  for (const p of points.filter((point) => !isProd(point))) {
    elsewhere.set(p.resourceArn, {
      resourceArn: p.resourceArn,
      resourceTypeName: p.resourceTypeName,
      reason: `a resource of ${regionOfArn(p.resourceArn)}, not of the primary region ${primaryRegion}: restored data backed up in DR, not prod's`,
    });
  }
  return { prod: points.filter(isProd), elsewhere: [...elsewhere.values()] };
}

/**
 * Prints the plan: the chosen points, their age, the new names, and what was skipped. With an isolated vault
 * in play (`drVaultName` given, or a point taken from it), a VAULT column says where each point comes from.
 */
export function printPlan(
  out: Output,
  plan: readonly PlannedRestore[],
  skipped: readonly SkippedPoint[],
  nowMs: number,
  drVaultName?: string,
  gaps: readonly IsolatedGap[] = [],
): void {
  const vaults = drVaultName !== undefined || plan.some((p) => p.isolated);
  out.print(
    renderTable(
      ["TYPE", "RESOURCE", "RECOVERY POINT CREATED", "AGE", ...(vaults ? ["VAULT"] : []), "RESTORE AS"],
      plan.map((p) => [
        p.resourceType,
        p.resourceName,
        p.recoveryPointCreatedAt,
        formatDuration(nowMs - Date.parse(p.recoveryPointCreatedAt)),
        ...(vaults ? [p.isolated ? `${p.isolated.vaultName} (isolated)` : (drVaultName ?? "DR vault")] : []),
        p.targetName ?? "(new id)",
      ]),
    ),
  );
  const isolated = plan.filter((p) => p.isolated);
  if (isolated.length > 0) {
    out.print("");
    out.print("From the isolated vault:");
    for (const p of isolated) {
      out.print(`  ${p.resourceType} ${p.resourceName}: ${p.isolated?.why}`);
    }
  }
  if (gaps.length > 0) {
    out.print("");
    out.print("No copy in the isolated vault (a recovery from it alone would not restore these):");
    for (const g of gaps) {
      out.print(`  ${g.resourceType} ${g.resourceName}: ${g.why}`);
    }
  }
  if (skipped.length > 0) {
    out.print("");
    out.print("Skipped:");
    for (const s of skipped) {
      out.print(`  ${s.resourceTypeName} ${s.resourceArn}: ${s.reason}`);
    }
  }
}

/** Prints each restore's metadata (for --dry-run), with what was changed from the backup. */
export function printMetadata(out: Output, plan: readonly PlannedRestore[]): void {
  for (const p of plan) {
    out.print("");
    out.print(`${p.resourceType} ${p.resourceName} (${p.recoveryPointArn})`);
    out.print(`  IamRoleArn: ${p.iamRoleArn}`);
    for (const [key, value] of Object.entries(p.metadata).sort(([a], [b]) => a.localeCompare(b))) {
      out.print(`  ${key}: ${value}`);
    }
    for (const note of p.notes) {
      out.print(`  note: ${note}`);
    }
  }
}
