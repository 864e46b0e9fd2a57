// The failback's checks before anything starts: both stacks, prod's network, vaults, caller, region settings.
import * as path from "path";
import { CONFIG_NAMESPACE, DR_MODES } from "../../../stacks/config";
import { AwsClients, destroyAwsClients } from "../../aws/clients";
import { CommandContext } from "../../context";
import { DrError, errorMessage } from "../../errors";
import { DR_CONFIG_KEYS, RESTORED_DATA_KEY } from "../core/stackHandle";
import { JournalStore, RunJournal } from "../core/journal";
import { CallerIdentity, VaultInfo, checkCredentials, checkVault, probePrimary } from "../core/awsChecks";
import { SkippedPoint, listAllRecoveryPoints } from "../core/recoveryPoints";
import { checkAdvancedDynamoDbBackup } from "./advancedDynamoDb";
import { PrimaryPlacement, primaryRestoreMetadata } from "./placement";
import { checkDeployerCovered } from "./deployerCheck";
import { BucketPair, FailbackJournal, FailbackResource } from "./journal";
import { FailbackOptions } from "./options";
import { drillData, recoveredData } from "./resources";
import { DrOutputs, StackHandle } from "../../dependencies";

/** The dr stack's active capacity keys (stacks/config/schema.ts) the write freeze sets to zero. */
export const FREEZE_KEYS = {
  minSize: `${CONFIG_NAMESPACE}:drActiveMinSize`,
  desired: `${CONFIG_NAMESPACE}:drActiveDesiredCapacity`,
} as const;

/** The dr stack's config keys a failback reads and changes. */
export const DR_FAILBACK_KEYS: readonly string[] = [
  ...Object.values(DR_CONFIG_KEYS),
  RESTORED_DATA_KEY,
  FREEZE_KEYS.minSize,
  FREEZE_KEYS.desired,
];

/** The domain name config key of both stacks: the failover switch's dimension. */
const DOMAIN_KEY = `${CONFIG_NAMESPACE}:domainName`;

/**
 * The prod stack outputs a failback reads (docs/CONTRACTS.md): its region, vault and restore role, the
 * network its restores are placed in, and its health check. A contract test checks the program exports them.
 */
export const PROD_OUTPUTS_READ = [
  "region",
  "primaryVaultName",
  "backupRoleArn",
  "privateSubnetIds",
  "availabilityZones",
  "appSecurityGroupId",
  "dbSecurityGroupId",
  "dbSubnetGroupName",
  "healthCheckUrl",
] as const;

/** Everything the preflight found, for the plan and the phases after it. */
export interface FailbackPreflight {
  readonly drStack: StackHandle;
  readonly prodStack: StackHandle;
  readonly drOutputs: DrOutputs;
  readonly prodOutputs: DrOutputs;
  /** The dr stack's restored identifiers, mode and capacity keys. */
  readonly drConfig: Record<string, string>;
  readonly drRegion: string;
  readonly primaryRegion: string;
  readonly drClients: AwsClients;
  readonly primaryClients: AwsClients;
  readonly identity: CallerIdentity;
  readonly drVault: VaultInfo;
  readonly primaryVault: VaultInfo;
  /** Role of the backup and copy jobs (DR region). */
  readonly backupRoleArn: string;
  /** Role of the restores in the primary region (the prod stack's `backupRoleArn`). */
  readonly restoreRoleArn: string;
  readonly resources: FailbackResource[];
  /** Every bucket the application wrote to in DR, each with the prod bucket its objects go back to. */
  readonly buckets: BucketPair[];
  readonly skipped: SkippedPoint[];
  /** The recovery run whose restored resources come back (failback only). */
  readonly recovery?: RunJournal;
  readonly domainName?: string;
  /** Releases the AWS clients. */
  dispose(): void;
}

/**
 * Phase 1, read-only: the stacks' outputs and config, the recovery journal, credentials (STS), the DR
 * vault, and the primary region's vault, which must answer (the inverse of recover's check). Refuses,
 * before anything is started, whatever would stop the failback halfway. On a resumed run the resources
 * come from its journal and the dr stack may already be frozen or back in standby.
 */
export async function runPreflight(
  ctx: CommandContext,
  options: FailbackOptions,
  resumed: FailbackJournal | undefined,
): Promise<FailbackPreflight> {
  const { out, deps, global } = ctx;
  out.info(`dr stack '${global.stack}', prod stack '${options.prodStack}' (${global.workDir})`);
  const open = (stackName: string) =>
    deps.openStack({ stackName, workDir: global.workDir, pulumiRoot: global.pulumiRoot });
  const drStack = await open(global.stack);
  const drOutputs = await readOutputs(drStack, "dr");
  const prodStack = await open(options.prodStack);
  const prodOutputs = await readOutputs(prodStack, "prod");
  const drConfig = await drStack.getConfig(DR_FAILBACK_KEYS);

  if (!options.drill && !resumed && drOutputs.mode !== DR_MODES.active) {
    throw new DrError(
      `dr stack '${drStack.name}' is in ${drOutputs.mode ?? "an unknown mode"}, not active: there is nothing to fail back (failback returns an active dr stack's data to the primary region; 'dr failback --drill' practises it)`,
    );
  }
  const drRegion = resumed?.failback.drRegion ?? global.region ?? drOutputs.region ?? deps.env.AWS_REGION;
  if (!drRegion) {
    throw new DrError("no DR region: the dr stack has no 'region' output; pass --region or set AWS_REGION");
  }
  const primaryRegion = resumed?.region ?? drOutputs.primaryRegion ?? prodOutputs.region;
  if (!primaryRegion) {
    throw new DrError(
      `no primary region: neither dr stack '${drStack.name}' (primaryRegion) nor prod stack '${prodStack.name}' (region) has the output`,
    );
  }
  if (primaryRegion === drRegion) {
    throw new DrError(
      `the primary region and the DR region are both ${drRegion}: failback restores in the primary region, which must be another one (check the stacks' region outputs and --region)`,
    );
  }

  let recovery: RunJournal | undefined;
  let data: { resources: FailbackResource[]; buckets: BucketPair[]; skipped: SkippedPoint[] } | undefined;
  if (resumed) {
    data = {
      resources: resumed.failback.resources,
      buckets: resumed.failback.buckets,
      skipped: resumed.skipped,
    };
  } else if (!options.drill) {
    const file = path.resolve(options.recoveryJournal ?? new JournalStore(global.stateDir, "recover").file);
    recovery = new JournalStore(path.dirname(file), "recover", path.basename(file)).load();
    if (!recovery) {
      throw new DrError(
        `no recovery journal at ${file}: failback brings back what a recovery restored; pass --recovery-journal <file> (the recover.json or archived recover-<run id>.json of that run)`,
      );
    }
    data = { ...recoveredData(recovery, file, drConfig, drOutputs, drStack.name), skipped: [] };
  }

  const drClients = deps.createClients({ region: drRegion, profile: global.profile });
  const primaryClients = deps.createClients({ region: primaryRegion, profile: global.profile });
  const dispose = () => {
    destroyAwsClients(drClients);
    destroyAwsClients(primaryClients);
  };
  try {
    const identity = await checkCredentials(drClients.sts, global.profile);
    out.info(
      `AWS account ${identity.account} as ${identity.arn}; DR region ${drRegion}, primary ${primaryRegion}`,
    );
    const drVaultName = resumed?.failback.drVaultName ?? drOutputs.drVaultName;
    if (!drVaultName) {
      throw new DrError(`no DR vault: dr stack '${drStack.name}' has no 'drVaultName' output`);
    }
    const drVault = await checkVault(drClients.backup, drVaultName, drRegion);
    out.info(`DR vault '${drVaultName}': ${drVault.numberOfRecoveryPoints} recovery points`);
    const primaryVaultName = resumed?.vaultName ?? drOutputs.primaryVaultName ?? prodOutputs.primaryVaultName;
    if (!primaryVaultName) {
      throw new DrError(
        `no primary vault: neither dr stack '${drStack.name}' nor prod stack '${prodStack.name}' has a 'primaryVaultName' output`,
      );
    }
    const primaryVault = await checkPrimaryAnswers(ctx, primaryRegion, primaryVaultName, primaryClients);
    out.info(`primary region ${primaryRegion} answers: vault '${primaryVaultName}' (${primaryVault.arn})`);
    if (!options.drill) {
      const deployer = await checkDeployerCovered(
        primaryClients.backup,
        primaryVaultName,
        primaryRegion,
        identity,
      );
      out.info(deployer.info);
      if (deployer.warning) out.warn(deployer.warning);
    }

    if (!data) {
      let points;
      try {
        points = await listAllRecoveryPoints(drClients.backup, drVaultName);
      } catch (err) {
        throw new DrError(
          `cannot list the recovery points of DR vault '${drVaultName}': ${errorMessage(err)}`,
        );
      }
      data = drillData(points, drOutputs);
      if (data.resources.length === 0 && data.buckets.length === 0) {
        throw new DrError(
          `DR vault '${drVaultName}' in ${drRegion} holds no COMPLETED recovery point a failback drill can copy, and dr stack '${drStack.name}' names no replica bucket`,
        );
      }
    }
    const backupRoleArn = resumed?.failback.backupRoleArn ?? options.iamRoleArn ?? drOutputs.backupRoleArn;
    if (!backupRoleArn) {
      throw new DrError(
        `no backup role: dr stack '${drStack.name}' has no 'backupRoleArn' output; pass --iam-role-arn <arn>`,
      );
    }
    const restoreRoleArn = prodOutputs.backupRoleArn;
    if (!restoreRoleArn && data.resources.length > 0) {
      throw new DrError(
        `no restore role in ${primaryRegion}: prod stack '${prodStack.name}' has no 'backupRoleArn' output`,
      );
    }
    checkProdNetwork(data.resources, { primaryRegion, prodOutputs, prodStackName: prodStack.name });
    await checkAdvancedDynamoDbBackup(drClients.backup, { drRegion, primaryRegion }, data.resources);
    const domain = (await prodStack.getConfig([DOMAIN_KEY]))[DOMAIN_KEY] ?? drConfig[DOMAIN_KEY];
    return {
      drStack,
      prodStack,
      drOutputs,
      prodOutputs,
      drConfig,
      drRegion,
      primaryRegion,
      drClients,
      primaryClients,
      identity,
      drVault,
      primaryVault,
      backupRoleArn,
      restoreRoleArn: restoreRoleArn ?? "",
      resources: data.resources,
      buckets: data.buckets,
      skipped: data.skipped,
      recovery,
      domainName: domain || undefined,
      dispose,
    };
  } catch (err) {
    dispose();
    throw err;
  }
}

async function readOutputs(stack: StackHandle, which: "dr" | "prod"): Promise<DrOutputs> {
  try {
    return await stack.outputs();
  } catch (err) {
    throw new DrError(`cannot read the outputs of ${which} stack '${stack.name}': ${errorMessage(err)}`);
  }
}

/**
 * The primary region must answer before anything comes back to it: asked once, with a short time-out,
 * on a client that does not retry (as recover asks, with the opposite conclusion). Then its vault is
 * described, for its ARN, the copies' destination.
 */
async function checkPrimaryAnswers(
  ctx: CommandContext,
  primaryRegion: string,
  primaryVaultName: string,
  primaryClients: AwsClients,
): Promise<VaultInfo> {
  const probeClients = ctx.deps.createClients({
    region: primaryRegion,
    profile: ctx.global.profile,
    maxAttempts: 1,
  });
  try {
    const probe = await probePrimary(probeClients.backup, primaryVaultName);
    if (!probe.reachable) {
      throw new DrError(
        `the primary region ${primaryRegion} is not answering (${probe.detail}): failback needs it up; run it again once AWS Backup answers there`,
      );
    }
  } finally {
    destroyAwsClients(probeClients);
  }
  return checkVault(primaryClients.backup, primaryVaultName, primaryRegion);
}

/** Where this failback restores: the primary region, into the prod stack's network. */
export function placementOf(pre: FailbackPreflight): PrimaryPlacement {
  return {
    primaryRegion: pre.primaryRegion,
    prodOutputs: pre.prodOutputs,
    prodStackName: pre.prodStack.name,
  };
}

/**
 * Refuses, before anything starts, a restore the prod stack's network cannot take: each resource's
 * placement is tried on the metadata it will get (its name and prod's network).
 */
export function checkProdNetwork(resources: readonly FailbackResource[], placement: PrimaryPlacement): void {
  for (const resource of resources) {
    primaryRestoreMetadata(resource, {}, placement);
  }
}
