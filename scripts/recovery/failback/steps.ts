// The failback's steps as the runbook and `--dry-run` name them: one list both read.
import type { ComputeOutput } from "../../../stacks/drContract";
import { describeCompute } from "../compute/described";
import { FAILBACK_DRILL_PHASES, FAILBACK_PHASES, FailbackPhase } from "./journal";

/** Names a step's description refers to; the runbook passes its deployment's, the dry run its stacks'. */
export interface StepNames {
  readonly drStack: string;
  readonly prodStack: string;
  readonly drRegion: string;
  readonly primaryRegion: string;
  /** The public name the failover switch moves; without one there is no switch to set. */
  readonly domainName?: string;
  /** What runs dr's application (its `compute` kind): the steps name its calls. @default "autoscaling" */
  readonly drCompute?: ComputeOutput["kind"];
  /** What runs prod's application (its `compute` kind). @default "autoscaling" */
  readonly prodCompute?: ComputeOutput["kind"];
}

/** One step of `dr failback`, as the dry run prints it and the runbook renders it. */
export interface FailbackStep {
  readonly phase: FailbackPhase | "preflight";
  readonly title: string;
  /** What the step does, with the AWS or Pulumi calls it makes. */
  readonly detail: string;
}

/**
 * The steps of a failback (or a failback drill), in the order `dr failback` runs them. Exported as data
 * so the runbook's failback section is rendered from the same list the command follows. Each stack's
 * compute module words its own calls (compute/described.ts): an Auto Scaling group's or an ECS service's.
 */
export function failbackSteps(names: StepNames, drill = false): FailbackStep[] {
  const { drStack, prodStack, drRegion, primaryRegion, domainName } = names;
  const dr = describeCompute(names.drCompute);
  const prod = describeCompute(names.prodCompute);
  const prodHold = prod.unit === "task" ? ` (${prod.scaled})` : "";
  const all: Record<FailbackPhase | "preflight", FailbackStep> = {
    preflight: {
      phase: "preflight",
      title: `Preflight: ${primaryRegion} answers, credentials, both vaults`,
      detail: drill
        ? `STS GetCallerIdentity; DescribeBackupVault of the DR vault in ${drRegion} and of the primary vault in ${primaryRegion}, which must answer; the stacks' outputs (${drStack}, ${prodStack}).`
        : `STS GetCallerIdentity; DescribeBackupVault of the DR vault in ${drRegion} and of the primary vault in ${primaryRegion}, which must answer (the inverse of recover's check); \`${drStack}\` must be active, its restored identifiers known from its config and the recovery journal; \`${prodStack}\`'s network read from its outputs.`,
    },
    "pre-copy": {
      phase: "pre-copy",
      title: "Pre-copy, unfrozen (skip with --skip-pre-copy)",
      detail: `StartBackupJob of each restored resource into the DR vault, then StartCopyJob to the primary vault, all in parallel, followed with ListBackupJobs and ListCopyJobs. The application keeps serving from ${drRegion}; this moves the bulk of the data, so the final copies after the freeze are incremental and short.`,
    },
    freeze: {
      phase: "freeze",
      title: `Write freeze: \`${prodStack}\`'s ${prod.unit}s held at zero, then \`${drStack}\`'s ${dr.unit}s to zero`,
      detail: `\`${prodStack}\` config holdServers=true, then \`pulumi up\`${prodHold}; ${prod.gone("prod")} (with dr's ${dr.unit}s gone Route 53 answers prod's record whatever its health, and prod's ${prod.unit}s run the pre-disaster data). Then \`${drStack}\` config drActiveMinSize=0 and drActiveDesiredCapacity=0, then \`pulumi up\` (${dr.scaled}); ${dr.gone("dr")}. From here nothing is written in ${drRegion}; the freeze window starts.`,
    },
    "final-copy": {
      phase: "final-copy",
      title: "Final backups and copies",
      detail: `As the pre-copy, after the freeze: every write made in ${drRegion} is in these recovery points. A re-run first checks the freeze still holds (capacity 0, no dr ${dr.unit}): if dr served again it freezes again and takes these anew, or refuses once restores began.`,
    },
    copy: {
      phase: "copy",
      title: "Copies of the DR vault's newest points",
      detail: `StartCopyJob of each resource's newest COMPLETED recovery point in the DR vault to the primary vault, in parallel, followed with ListCopyJobs. Nothing is backed up and nothing is frozen.`,
    },
    restore: {
      phase: "restore",
      title: `Restores in ${primaryRegion}, into \`${prodStack}\`'s network`,
      detail: drill
        ? `StartRestoreJob in ${primaryRegion} from each copied point into \`fbdrill-<run id>-<source>\` names, in \`${prodStack}\`'s DB subnet group, security groups and subnets, without prod's tags (no backup plan takes a drill's copies); followed with ListRestoreJobs.`
        : `StartRestoreJob in ${primaryRegion} from each copied point into \`fb-<run id>-<source>\` names, in \`${prodStack}\`'s DB subnet group, security groups and subnets, with CopySourceTagsToRestoredResource so prod's own backup plan protects them; followed with ListRestoreJobs.`,
    },
    "prod-data": {
      phase: "prod-data",
      title: `\`${prodStack}\` takes the restored data`,
      detail: `\`${prodStack}\` config restoredData set to the restored resources (one entry per logical name the dr stack's restoredData gave them; the five single-valued restored* keys removed) and holdServers removed (always, also with nothing to set), then \`pulumi up\`: ${prod.onNewData}, every S3 object already back. The pre-disaster resources stay untouched, kept until you delete them.`,
    },
    "s3-copy": {
      phase: "s3-copy",
      title: drill ? "S3: objects to copy back, counted" : "S3: objects written in DR copied back",
      detail: drill
        ? `ListObjectVersions of each replica bucket and of its source bucket: how many objects a failback would copy back. Nothing is copied: a drill never touches prod's data.`
        : `While \`${prodStack}\`'s ${prod.unit}s are still held at zero, for every bucket the application wrote to in DR (three at a time, each journaled on its own): ListObjectVersions of the DR bucket for objects modified since the recovery started; CopyObject of each into its own source bucket in ${primaryRegion}, and the deletes made in DR carried back; the source bucket listed again to verify every one arrived. Before prod-data, so no user reaches prod before every bucket's objects are back or rewrites a key the copy would overwrite; one bucket failing stops the run here, naming it.`,
    },
    health: {
      phase: "health",
      title: `\`${prodStack}\`'s health checked`,
      detail: `${prod.rollout("prod", primaryRegion, "--rollout-timeout")}; then GET of prod's health check URL until it answers 2xx or 3xx, as recover checks the dr stack.`,
    },
    traffic: {
      phase: "traffic",
      title: "Traffic back to prod",
      detail: domainName
        ? `CloudWatch PutMetricData in ${drRegion}: DrApp/Failover ServeFromDr DomainName=${domainName} = 0, republished every 30 s until CloudWatch DescribeAlarms in ${drRegion} answers the switch's alarm ServeFromDr-${domainName} OK and DNS queries of ${domainName} answer prod's load balancer addresses (--traffic-timeout); Route 53's health checks move ${domainName} back to ${primaryRegion}. Data planes only: no Route 53 or IAM API is called. The freeze window ends here.`
        : `No public name (domainName) is configured, so there is no failover switch to set: move your traffic back as your setup does. The freeze window ends when prod is healthy.`,
    },
    standby: {
      phase: "standby",
      title: `\`${drStack}\` back to standby`,
      detail: `\`${drStack}\` config mode=standby, its capacity keys as before the freeze, its restored identifiers removed, then \`pulumi up\`${dr.standby}. The resources restored in ${drRegion} are kept (deleted by you, once prod has run on its own).`,
    },
    verify: {
      phase: "verify",
      title: "Restored resources checked",
      detail: `Each restored resource is described in ${primaryRegion}: DB available, table ACTIVE, volume available, ...`,
    },
    cleanup: {
      phase: "cleanup",
      title: "Cleanup",
      detail: `Exactly what the drill restored is deleted (its journal's resources, named \`fbdrill-<run id>-\`); --keep keeps them. The copied recovery points stay in the primary vault.`,
    },
    report: {
      phase: "report",
      title: "Report",
      detail: drill
        ? "JSON and Markdown: each copy and restore job with its times, the checks and the cleanup."
        : "JSON and Markdown: each backup, copy and restore job with its times, the measured failback time, the freeze window and the writes lost.",
    },
  };
  const phases: readonly FailbackPhase[] = drill ? FAILBACK_DRILL_PHASES : FAILBACK_PHASES;
  return [all.preflight, ...phases.map((phase) => all[phase])];
}
