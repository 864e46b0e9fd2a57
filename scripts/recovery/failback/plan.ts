// The failback's plan as `--dry-run` prints it: each resource, where its data goes, and the phases.
import { Output, renderTable } from "../../output";
import { namePrefix, restoredName } from "../core/naming";
import { resourceOf } from "../resources/registry";
import { placementOf } from "./preflight";
import { primaryRestoreMetadata } from "./placement";
import { FailbackKind, FailbackResource } from "./journal";
import { FailbackPreflight, FREEZE_KEYS } from "./preflight";
import { failbackSteps } from "./steps";
import { prodConfigPreview } from "./prodData";
import { standbyChange } from "./standby";
import { trafficSwitch } from "./traffic";
import { HOLD_KEY } from "../core/stackHandle";

/** The resources with the names their primary-region restores get in this run. */
export function namedResources(
  kind: FailbackKind,
  runId: string,
  resources: readonly FailbackResource[],
): FailbackResource[] {
  const prefix = namePrefix(kind, runId);
  return resources.map((r) => {
    const { nameRule } = resourceOf(r.resourceType);
    return { ...r, targetName: nameRule ? restoredName(nameRule, prefix, r.sourceName) : undefined };
  });
}

/**
 * Prints the whole plan: each step, what is backed up and copied, where and under which name and
 * metadata each restore lands, the config prod gets, the freeze, the traffic switch and the standby
 * flip. A dry run prints only this; a real run prints it before asking.
 */
export function printFailbackPlan(
  out: Output,
  pre: FailbackPreflight,
  kind: FailbackKind,
  resources: readonly FailbackResource[],
  options: { readonly skipPreCopy: boolean },
): void {
  const drill = kind === "failback-drill";
  const names = {
    drStack: pre.drStack.name,
    prodStack: pre.prodStack.name,
    drRegion: pre.drRegion,
    primaryRegion: pre.primaryRegion,
    domainName: pre.domainName,
    drCompute: pre.drOutputs.compute?.kind,
    prodCompute: pre.prodOutputs.compute?.kind,
  };
  out.print("");
  out.print(`${drill ? "Failback drill" : "Failback"} from ${pre.drRegion} to ${pre.primaryRegion}:`);
  failbackSteps(names, drill).forEach((step, i) => {
    const skipped = step.phase === "pre-copy" && options.skipPreCopy ? " (skipped: --skip-pre-copy)" : "";
    out.print(`  ${i + 1}. ${step.title}${skipped}`);
  });
  out.print("");
  if (resources.length > 0) {
    out.print(
      renderTable(
        ["TYPE", "SOURCE (PROD)", drill ? "DR RECOVERY POINT" : "BACKED UP IN DR", "RESTORE AS", "FEEDS"],
        resources.map((r) => [
          r.resourceType,
          r.sourceName,
          drill ? (r.drRecoveryPointCreatedAt ?? "?") : r.drResourceArn,
          r.targetName ?? "(new id)",
          r.dataName ?? "-",
        ]),
      ),
    );
    out.print("");
    out.print(
      `${drill ? "Copies" : "Backups"} into DR vault '${pre.drVault.name}' with role ${pre.backupRoleArn}; copies to ${pre.primaryVault.arn}`,
    );
    out.print(
      `Restores in ${pre.primaryRegion} with role ${pre.restoreRoleArn}, prod's tags copied: ${drill ? "no" : "yes"}`,
    );
    for (const r of resources) {
      const { metadata, notes } = primaryRestoreMetadata(r, {}, placementOf(pre));
      out.print(`  ${r.resourceType} ${r.sourceName}: the copied point's restore metadata, with`);
      for (const [key, value] of Object.entries(metadata).sort(([a], [b]) => a.localeCompare(b))) {
        out.print(`    ${key}: ${value}`);
      }
      for (const note of notes) {
        out.print(`    note: ${note}`);
      }
    }
  }
  for (const s of pre.skipped) {
    out.print(`  skipped ${s.resourceTypeName} ${s.resourceArn}: ${s.reason}`);
  }
  if (pre.buckets.length > 0) {
    out.print("");
  }
  for (const bucket of pre.buckets) {
    out.print(
      drill
        ? `S3: objects of ${bucket.drBucket} not in ${bucket.sourceBucket} counted, none copied`
        : `S3: objects of ${bucket.drBucket} (${pre.drRegion}) modified since ${bucket.restored ? `its restore (${bucket.restored.completedAt})` : (pre.recovery?.startedAt ?? "the recovery started")} copied to ${bucket.sourceBucket} (${pre.primaryRegion})`,
    );
  }
  if (pre.buckets.length > 0 && !drill) {
    // The listings are sequential pages of at most 1,000 versions (S3 API reference, ListObjectVersions, max-keys).
    out.print(
      "S3: inside the write freeze each bucket is listed in full, the DR bucket twice and the prod bucket two or three times (ListObjectVersions, one request per 1,000 versions, one page after another): a bucket of millions of versions lengthens the freeze by those thousands of requests",
    );
  }
  if (drill) {
    out.print("");
    out.print(
      `No freeze, no change to prod stack '${pre.prodStack.name}', no traffic switch; what is restored is deleted after its check.`,
    );
    return;
  }
  out.print("");
  out.print(
    `Before the freeze, prod stack '${pre.prodStack.name}' config, then pulumi up, until no prod server is left:`,
  );
  out.print(`  ${HOLD_KEY}: true`);
  out.print(`Write freeze: dr stack '${pre.drStack.name}' config, then pulumi up:`);
  out.print(`  ${FREEZE_KEYS.minSize}: 0 (now ${pre.drConfig[FREEZE_KEYS.minSize] ?? "default"})`);
  out.print(`  ${FREEZE_KEYS.desired}: 0 (now ${pre.drConfig[FREEZE_KEYS.desired] ?? "default"})`);
  out.print("");
  out.print(`prod stack '${pre.prodStack.name}' config to set, then pulumi up:`);
  for (const [key, value] of Object.entries(prodConfigPreview(resources))) {
    out.print(`  ${key}: ${value}`);
  }
  out.print(`  removed: ${HOLD_KEY}`);
  const traffic = trafficSwitch(pre.drRegion, pre.domainName);
  out.print("");
  out.print(
    traffic
      ? `Traffic: PutMetricData in ${traffic.region}: ${traffic.namespace} ${traffic.metricName} ${Object.entries(
          traffic.dimensions,
        )
          .map(([k, v]) => `${k}=${v}`)
          .join(",")} = ${traffic.value}`
      : "Traffic: no domainName on the stacks, so no failover switch to set: move the traffic back as your setup does",
  );
  const standby = standbyChange(pre.drConfig, undefined);
  out.print("");
  out.print(`dr stack '${pre.drStack.name}' back to standby, then pulumi up:`);
  for (const [key, value] of Object.entries(standby.set)) {
    out.print(`  ${key}: ${value}`);
  }
  out.print(`  removed: ${standby.remove.join(", ")}`);
}
