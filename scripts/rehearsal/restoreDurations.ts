// How long the rehearsal's simulated restores take: a fixed part plus a part per GiB, per resource type.
import { ResourceType } from "../recovery/resources/types";

/**
 * Simulated restore time per type: a fixed part (AWS Backup picking up the job and the service
 * provisioning the new resource) plus a part per GiB where the program states a size. These are
 * orders of magnitude for small resources like this repository's, not measurements: RDS restores of
 * a 20 GiB snapshot typically take tens of minutes, an EBS volume from a snapshot a few minutes (it
 * is usable before its blocks are all loaded), DynamoDB and S3 restores grow with the item or
 * object count, which a program does not state.
 */
/** Simulated minutes of a job per resource type: a fixed part plus a part per GiB of the stated size. */
export type DurationModel = Readonly<Record<ResourceType, { fixedMinutes: number; minutesPerGiB: number }>>;

/** The minutes `model` gives a resource of this type and size (no size: the fixed part only). */
export function modelledMinutes(model: DurationModel, type: ResourceType, sizeGiB?: number): number {
  return model[type].fixedMinutes + model[type].minutesPerGiB * (sizeGiB ?? 0);
}

const MODEL: DurationModel = {
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
  return modelledMinutes(MODEL, type, sizeGiB);
}
