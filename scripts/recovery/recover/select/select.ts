// The select phase: the recovery points to restore and what the dr stack will point at.
import { CommandContext } from "../../../context";
import { checkDistinctTargetNames, checkRetryOverrides, retryPlan } from "../../core/restoreMetadata";
import { DrError, throwIfInterrupted } from "../../../errors";
import { DrConfigPlan, InventoryWire, planDrConfig } from "../../core/drConfig";
import { mapInventory, withDeclaredSettings } from "../../core/inventory";
import { PlannedRestore, RunJournal, RunKind } from "../../core/journal";
import { RestoreCommandOptions } from "../options";
import { ParsedInput } from "../preflight/input";
import { RecoverPreflight } from "../preflight/preflight";
import { buildPlan } from "./plan";
import { IsolatedGap } from "../../core/isolatedGaps";
import { SkippedPoint, describeSkipped } from "../../core/recoveryPoints";

/** What a run restores, and what the dr stack will point at. */
export interface Selection {
  readonly plan: PlannedRestore[];
  /** Protected resources left out, and newer points passed over, with the reasons. */
  readonly skipped: SkippedPoint[];
  /** Each inventory entry and the restore that feeds it in the dr stack's config (none without a flip). */
  readonly wires: readonly InventoryWire[];
  /**
   * The resources restored from the DR vault that the isolated vault holds no copy of, and why
   * (core/isolatedGaps.ts); empty without an isolated vault, and for a resumed run.
   */
  readonly isolatedGaps: IsolatedGap[];
  /** Why a real run would refuse the choice of {@link app} (see `--app-resource`); empty when clear. */
  readonly problems: string[];
  /** The dr stack config of the flip, worked out once for the preview, the warnings and the flip. */
  readonly config: DrConfigPlan;
}

/**
 * The recovery points to restore, each with its restore metadata (kept from the journal of a resumed
 * run), and the restores the dr stack's config will point at. A real run refuses an unclear choice here.
 */
export async function selectRestores(
  ctx: CommandContext,
  kind: RunKind,
  options: RestoreCommandOptions,
  input: ParsedInput,
  pre: RecoverPreflight,
  journal: RunJournal | undefined,
  runId: string,
): Promise<Selection> {
  // A retry (--retry-failed) takes its --metadata for the restores that failed; one resource's (scoped) or,
  // unless a name would then be shared, every failed restore's of the type.
  const failed = (p: PlannedRestore) =>
    ["FAILED", "ABORTED"].includes(journal?.jobs[p.recoveryPointArn]?.status ?? "");
  if (journal && options.retryFailed) {
    checkRetryOverrides(journal.plan.filter(failed), input.overrides);
  }
  let plan =
    journal && options.retryFailed
      ? journal.plan.map((p) => (failed(p) ? retryPlan(p, input.overrides) : p))
      : journal?.plan;
  let skipped = journal?.skipped ?? [];
  let isolatedGaps: IsolatedGap[] = [];
  if (!plan) {
    const iamRoleArn = options.iamRoleArn ?? pre.outputs.backupRoleArn;
    if (!iamRoleArn) {
      throw new DrError(
        "no restore role: the dr stack has no 'backupRoleArn' output; pass --iam-role-arn <arn>",
      );
    }
    const built = await buildPlan({
      clients: pre.clients,
      vaultName: pre.vaultName,
      region: pre.region,
      kind,
      runId,
      asOf: input.asOf,
      only: options.only,
      overrides: input.overrides,
      iamRoleArn,
      network: pre.outputs,
      primaryRegion: pre.outputs.primaryRegion,
      isolated: pre.isolated,
      fromIsolated: options.fromIsolated,
      ...(pre.outputs.rpoMinutes !== undefined && {
        rpo: { minutes: pre.outputs.rpoMinutes, nowMs: ctx.deps.clock.now() },
      }),
    });
    // --metadata scoped to one resource (buildPlan applied the per-type ones).
    plan = built.plan.map((p) => retryPlan(p, input.overrides, true));
    skipped = built.skipped;
    isolatedGaps = built.isolatedGaps;
    ctx.out.info(
      `${built.totalPoints} recovery points read; ${plan.length} to restore, ${describeSkipped(
        plan.map((p) => p.resourceArn),
        skipped,
      )}`,
    );
  }
  checkDistinctTargetNames(plan);
  throwIfInterrupted(ctx.signal);
  const mapped = options.flip
    ? mapInventory(plan, options.appResources, pre.outputs)
    : { wires: [], problems: [] };
  const { problems } = mapped;
  if (problems.length > 0 && !options.dryRun) {
    throw new DrError(problems.join("; "));
  }
  // What a restore does not keep of the entry it is wired to is set after it (an EFS file system's throughput).
  const declared = withDeclaredSettings(plan, mapped.wires, pre.outputs);
  const wires = declared.wires;
  return {
    plan: declared.plan,
    skipped,
    wires,
    isolatedGaps,
    problems,
    config: planDrConfig(wires),
  };
}
