/** The writes a failback rehearsal lost, counted with the simulation's write counters: those made to data the failback abandoned. */
import { FakeAws } from "../simulation/fakeAwsServer";
import { RehearsalEstate } from "./estate";
import { DrOrigins } from "./cycleSimulation";

/** One resource the application wrote to in DR, or one of prod's pre-disaster resources. */
export interface ResourceWrites {
  /** `dr` (restored in DR by the recovery) or `prod` (pre-disaster, in the primary region). */
  readonly side: "dr" | "prod";
  readonly resourceType: string;
  /** The prod program's logical name of what it holds. */
  readonly logicalName: string;
  /** Id of the simulated resource. */
  readonly id: string;
  /** Writes it took during the rehearsal (S3: objects the application put). */
  readonly written: number;
  /** DR databases, tables, volumes: writes its newest backup in the DR vault captured (the final backup); none: no backup. */
  readonly capturedByFinalBackup?: number;
  /** DR databases, tables, volumes: writes the primary-region restore from its copy brought back (what prod runs on from then on). */
  readonly inPrimaryRestore?: number;
  /** Of {@link written}, those not in the data prod runs on now. */
  readonly lost: number;
}

/** What the counters say, summed. */
export interface WritesTally {
  /** Writes the application made in DR (database, table and volume writes and S3 objects). */
  readonly writtenInDr: number;
  /** Writes lost: to DR resources after their final backup began, S3 objects not copied back, and writes to prod's pre-disaster data. */
  readonly lost: number;
  readonly resources: ResourceWrites[];
  /** How the figures were reached. */
  readonly basis: string[];
}

/** Newest recovery point of `arn` in the DR vault that captured a state: the last backup's capture. */
function newestCapture(fake: FakeAws, estate: RehearsalEstate, arn: string): number | undefined {
  const points = (fake.vault(estate.drRegion, estate.drVaultName)?.points ?? [])
    .filter((p) => p.resourceArn === arn && p.state !== undefined)
    .sort((a, b) => b.creationDate.getTime() - a.creationDate.getTime());
  return points[0]?.state?.writes;
}

/**
 * The writes the primary-region restore of a copy of `arn`'s backup brought back, if a failback made one:
 * its recovery point's capture, not the restored resource's counter, which users' writes through prod's
 * new servers raise afterwards.
 */
function restoredInPrimary(fake: FakeAws, estate: RehearsalEstate, arn: string): number | undefined {
  const restored = fake
    .resources(estate.primaryRegion)
    .find((r) => r.restoreJobId !== undefined && fake.jobs.get(r.restoreJobId)?.point.resourceArn === arn);
  return restored?.restoreJobId ? fake.jobs.get(restored.restoreJobId)?.point.state?.writes : undefined;
}

/**
 * Counts, with the simulation's counters (what AWS never shows the CLI), the writes that do not reach
 * the data prod runs on after the failback:
 * - each database, table and volume restored in DR: writes after its final backup began (writes now
 *   minus those the newest backup in the DR vault captured; all of them without a backup);
 * - the bucket restored in DR: objects the application put there that are not in prod's bucket with
 *   the same content;
 * - prod's pre-disaster databases, tables and volumes (abandoned once prod takes the restored data):
 *   every write since the rehearsal began (the simulation seeds them with none).
 * `primaryRestore` also shows where each DR resource's data came back, so a reader can check that
 * prod got the newest data.
 */
export function tallyWrites(fake: FakeAws, estate: RehearsalEstate, origins: DrOrigins): WritesTally {
  const resources: ResourceWrites[] = [];
  for (const [arn, origin] of origins) {
    const resource = fake.resource(arn);
    if (!resource) {
      continue;
    }
    if (resource.type === "S3") {
      const prodBucket = fake.resource(origin.resourceArn);
      const put = [...resource.objects.entries()].filter(([, o]) => o.lastModified >= resource.createdAt);
      const missing = put.filter(([key, o]) => prodBucket?.objects.get(key)?.etag !== o.etag);
      resources.push({
        side: "dr",
        resourceType: "S3",
        logicalName: origin.logicalName,
        id: resource.id,
        written: put.length,
        lost: missing.length,
      });
      continue;
    }
    const captured = newestCapture(fake, estate, arn);
    resources.push({
      side: "dr",
      resourceType: resource.type,
      logicalName: origin.logicalName,
      id: resource.id,
      written: resource.writes,
      capturedByFinalBackup: captured,
      inPrimaryRestore: restoredInPrimary(fake, estate, arn),
      lost: resource.writes - (captured ?? 0),
    });
  }
  for (const origin of estate.resources.filter((r) => r.resourceType !== "S3")) {
    const resource = fake.resource(origin.resourceArn);
    if (resource) {
      resources.push({
        side: "prod",
        resourceType: resource.type,
        logicalName: origin.logicalName,
        id: resource.id,
        written: resource.writes,
        lost: resource.writes,
      });
    }
  }
  const dr = resources.filter((r) => r.side === "dr");
  return {
    writtenInDr: dr.reduce((sum, r) => sum + r.written, 0),
    lost: resources.reduce((sum, r) => sum + r.lost, 0),
    resources,
    basis: [
      "databases, tables and volumes restored in DR: writes after their final backup began (the simulation's write counter against what the newest backup in the DR vault captured)",
      "the bucket restored in DR: objects the application put there missing from prod's bucket, or different there",
      "prod's pre-disaster databases, tables and volumes, abandoned for the restored data: every write since the rehearsal began",
    ],
  };
}
