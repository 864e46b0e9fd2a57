// The preflight of recover and drill: the dr stack, the credentials, the DR vault, the primary region's state.
import { DR_MODES } from "../../../../stacks/config";
import { AwsClients, destroyAwsClients } from "../../../aws/clients";
import { CommandContext } from "../../../context";
import { DrError, errorMessage, throwIfInterrupted } from "../../../errors";
import { RunKind } from "../../core/journal";
import { RestoreCommandOptions } from "../options";
import { checkCredentials, checkVault, probePrimary } from "../../core/awsChecks";
import {
  IsolatedVaultRef,
  isolatedVaultRef,
  noIsolatedVault,
  openIsolatedVault,
} from "../../core/isolatedVault";
import { LiveRecovery, checkLiveRecovery } from "./liveRecovery";
import { RunToContinue } from "./run";
import { DrOutputs, StackHandle } from "../../../dependencies";
import { checkHealthUrl } from "../../core/health";

/** What the preflight established, for the phases after it. */
export interface RecoverPreflight {
  readonly stack: StackHandle;
  /** The dr stack's outputs before the run touches it. */
  readonly outputs: DrOutputs;
  /** The live recovery a `recover --new-run` (or its dry run) starts over. */
  readonly live?: LiveRecovery;
  /** The DR region. */
  readonly region: string;
  /** Clients of the DR region; the caller destroys them. */
  readonly clients: AwsClients;
  readonly vaultName: string;
  /** The isolated vault read beside the DR vault (core/isolatedVault.ts); absent when none is known or readable. */
  readonly isolated?: IsolatedVaultRef;
}

/**
 * Everything checked before the vault is read: the dr stack and its outputs, a drill's flip over an
 * active stack, a live recovery, the DR region, the credentials, the DR vault and, for `recover`, that
 * the primary region is down.
 */
export async function preflight(
  ctx: CommandContext,
  kind: RunKind,
  options: RestoreCommandOptions,
  run: RunToContinue,
): Promise<RecoverPreflight> {
  const { out, deps, global } = ctx;
  const { journal } = run;
  out.info(`dr stack '${global.stack}' (${global.workDir})`);
  const stack = await deps.openStack({
    stackName: global.stack,
    workDir: global.workDir,
    pulumiRoot: global.pulumiRoot,
  });
  const outputs = await readOutputs(stack);
  throwIfInterrupted(ctx.signal);
  // On an active dr stack the application already runs on restored data: a drill's flip would point it
  // at the drill's copies, then revert it to standby. A drill that flipped before a crash resumes.
  if (kind === "drill" && options.flip && !journal && outputs.mode === DR_MODES.active) {
    throw new DrError(
      `dr stack '${stack.name}' is active: 'drill --flip' would point the application it serves at the drill's copies and then put the stack back to standby. Run 'dr drill' without --flip, or drill once the dr stack is back in standby`,
    );
  }
  if (options.healthUrl === undefined && options.flip && outputs.healthCheckUrl !== undefined) {
    checkHealthUrl(`dr stack '${stack.name}' output healthCheckUrl`, outputs.healthCheckUrl);
  }
  // Starting a new recovery over one that is live would restore everything again and re-point the
  // stack the application now runs on: refused, with the command that does what was meant.
  const live =
    kind === "recover" && !journal && !options.cleanupOnly
      ? await checkLiveRecovery(ctx, stack, outputs, run.previous, options)
      : undefined;
  const region = journal?.region ?? global.region ?? outputs.region ?? deps.env.AWS_REGION;
  if (!region) {
    throw new DrError("no DR region: the dr stack has no 'region' output; pass --region or set AWS_REGION");
  }
  const clients = deps.createClients({ region, profile: global.profile });
  try {
    const identity = await checkCredentials(clients.sts, global.profile);
    out.info(`AWS account ${identity.account} as ${identity.arn}, region ${region}`);
    const vaultName = journal?.vaultName ?? options.vault ?? outputs.drVaultName;
    if (!vaultName) {
      throw new DrError("no DR vault: the dr stack has no 'drVaultName' output; pass --vault <name>");
    }
    // A resumed run keeps its plan, each point with its vault: the isolated vault is read only to plan.
    const isolatedRef = journal
      ? undefined
      : isolatedVaultRef(outputs, options.isolatedVault, identity.account);
    if (options.fromIsolated && !isolatedRef && !journal) {
      throw noIsolatedVault("--from-isolated takes every recovery point from the isolated vault");
    }
    try {
      const vault = await checkVault(clients.backup, vaultName, region);
      out.info(`DR vault '${vaultName}': ${vault.numberOfRecoveryPoints} recovery points`);
    } catch (err) {
      // The DR vault is not read with --from-isolated: an attacker may have emptied and deleted it.
      if (!options.fromIsolated) {
        throw err;
      }
      out.warn(`${errorMessage(err)}: every point comes from the isolated vault (--from-isolated)`);
    }
    const isolated =
      isolatedRef &&
      (await openIsolatedVault(clients.backup, isolatedRef, region, options.fromIsolated ?? false, (m) =>
        out.warn(m),
      ));
    if (isolated) {
      out.info(
        `isolated vault '${isolated.ref.name}': ${isolated.numberOfRecoveryPoints} recovery points${
          options.fromIsolated ? "; every point comes from it (--from-isolated)" : ""
        }`,
      );
    }
    if (kind === "recover" && !options.cleanupOnly) {
      await checkPrimaryIsDown(ctx, outputs, options, journal !== undefined);
    }
    return { stack, outputs, live, region, clients, vaultName, ...(isolated && { isolated: isolated.ref }) };
  } catch (err) {
    destroyAwsClients(clients);
    throw err;
  }
}

async function readOutputs(stack: StackHandle): Promise<DrOutputs> {
  try {
    return await stack.outputs();
  } catch (err) {
    throw new DrError(`cannot read the outputs of dr stack '${stack.name}': ${errorMessage(err)}`);
  }
}

/** Refuses to fail over while the primary region answers (split brain), unless told otherwise. */
async function checkPrimaryIsDown(
  ctx: CommandContext,
  outputs: DrOutputs,
  options: RestoreCommandOptions,
  resuming: boolean,
): Promise<void> {
  const { out, deps, global } = ctx;
  if (options.skipPrimaryCheck) {
    out.warn("primary region check skipped (--skip-primary-check)");
    return;
  }
  if (resuming) {
    out.info("primary region check skipped: resuming a recovery already under way");
    return;
  }
  if (!outputs.primaryRegion || !outputs.primaryVaultName) {
    throw new DrError(
      "cannot check that the primary region is down: the dr stack has no 'primaryRegion'/'primaryVaultName' output; pass --skip-primary-check",
    );
  }
  const primary = deps.createClients({
    region: outputs.primaryRegion,
    profile: global.profile,
    maxAttempts: 1,
  });
  try {
    const probe = await probePrimary(primary.backup, outputs.primaryVaultName);
    if (!probe.reachable) {
      out.info(`primary region ${outputs.primaryRegion} is not answering (${probe.detail}): failing over`);
      return;
    }
    const message = `the primary region ${outputs.primaryRegion} is answering (${probe.detail})`;
    if (options.dryRun) {
      out.warn(`${message}: a real recover would refuse without --skip-primary-check`);
      return;
    }
    throw new DrError(
      `${message}: refusing to fail over while the primary may still be serving; pass --skip-primary-check if you are sure`,
    );
  } finally {
    destroyAwsClients(primary);
  }
}
