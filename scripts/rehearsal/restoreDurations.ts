import { ResourceType } from "../recovery/resources/types";

/**
 * Simulated restore time per type: a fixed part (AWS Backup picking up the job and the service
 * provisioning the new resource) plus a part per GiB where the program states a size. These are
 * orders of magnitude for small resources like this repository's, not measurements: RDS restores of
 * a 20 GiB snapshot typically take tens of minutes, an EBS volume from a snapshot a few minutes (it
 * is usable before its blocks are all loaded), DynamoDB and S3 restores grow with the item or
 * object count, which a program does not state.
 */
const MODEL: Readonly<Record<ResourceType, { fixedMinutes: number; minutesPerGiB: number }>> = {
  RDS: { fixedMinutes: 20, minutesPerGiB: 0.25 },
  Aurora: { fixedMinutes: 25, minutesPerGiB: 0.1 },
  EBS: { fixedMinutes: 5, minutesPerGiB: 0.1 },
  EC2: { fixedMinutes: 10, minutesPerGiB: 0 },
  EFS: { fixedMinutes: 15, minutesPerGiB: 0 },
  DynamoDB: { fixedMinutes: 15, minutesPerGiB: 0 },
  S3: { fixedMinutes: 30, minutesPerGiB: 0 },
};

/** Minutes the rehearsal's restore of a resource of this type and size takes (simulated time). */
export function restoreMinutes(type: ResourceType, sizeGiB?: number): number {
  const model = MODEL[type];
  return model.fixedMinutes + model.minutesPerGiB * (sizeGiB ?? 0);
}
