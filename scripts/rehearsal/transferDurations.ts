/** Simulated backup and copy times of a failback rehearsal, per resource type and size. */
import { ResourceType } from "../recovery/resources/types";
import { DurationModel, modelledMinutes } from "./restoreDurations";

/**
 * Minutes of a first (full) backup in the DR region: a fixed part plus a part per GiB where the program
 * states a size. Orders of magnitude for small resources like this repository's, not measurements
 * (unsourced guess): a snapshot of a 20 GiB RDS instance or an EBS volume takes minutes to tens of
 * minutes, an on-demand DynamoDB backup a few minutes. Later backups of the same resource are
 * incremental (the simulation's `incrementalFactor`).
 */
const BACKUP: DurationModel = {
  RDS: { fixedMinutes: 10, minutesPerGiB: 0.25 },
  Aurora: { fixedMinutes: 10, minutesPerGiB: 0.1 },
  EBS: { fixedMinutes: 5, minutesPerGiB: 0.1 },
  EC2: { fixedMinutes: 10, minutesPerGiB: 0 },
  EFS: { fixedMinutes: 10, minutesPerGiB: 0 },
  DynamoDB: { fixedMinutes: 5, minutesPerGiB: 0 },
  S3: { fixedMinutes: 15, minutesPerGiB: 0 },
};

/** Minutes a cross-Region copy adds to the backup's own time (the transfer between regions; unsourced guess). */
const COPY_EXTRA_MINUTES = 5;

/** Share of a first job's time a later backup or copy of the same resource takes (as bench:failback's default). */
export const INCREMENTAL_SHARE = 0.3;

/** Minutes the first backup of a resource of this type and size takes (simulated time). */
export function backupMinutes(type: ResourceType, sizeGiB?: number): number {
  return modelledMinutes(BACKUP, type, sizeGiB);
}

/** Minutes the first copy of such a backup to the primary region takes (simulated time). */
export function copyMinutes(type: ResourceType, sizeGiB?: number): number {
  return backupMinutes(type, sizeGiB) + COPY_EXTRA_MINUTES;
}
