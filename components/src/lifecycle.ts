/**
 * When recovery points move to cold storage and when they are deleted. AWS counts both from the
 * recovery point's creation.
 */
export interface LifecycleArgs {
  /**
   * Days after creation that recovery points move to cold storage, for the resource types that support
   * it (EFS, EBS archive tier, DynamoDB with advanced features; AWS ignores it for RDS, Aurora and S3).
   * AWS keeps cold recovery points at least 90 days, so `deleteAfterDays` must be at least this + 90.
   * Not allowed with continuous backup.
   * Default: never: recovery points stay in warm storage.
   */
  readonly moveToColdStorageAfterDays?: number;
  /**
   * Days after creation that recovery points are deleted: 1 to 36500 (100 years), at most 35 for
   * continuous backups. Required, so nothing is kept forever by accident.
   */
  readonly deleteAfterDays: number;
  /**
   * Move supported resources to the archive tier (instead of cold storage) per the lifecycle.
   * Default: false.
   */
  readonly optInToArchiveForSupportedResources?: boolean;
}

/** The shape @pulumi/aws wants for a plan rule's or a copy action's lifecycle. */
export interface AwsLifecycle {
  coldStorageAfter?: number;
  deleteAfter: number;
  optInToArchiveForSupportedResources?: boolean;
}

/** Converts a lifecycle to the provider's field names, omitting what is unset. */
export function toAwsLifecycle(lifecycle: LifecycleArgs): AwsLifecycle {
  return {
    deleteAfter: lifecycle.deleteAfterDays,
    ...(lifecycle.moveToColdStorageAfterDays !== undefined && {
      coldStorageAfter: lifecycle.moveToColdStorageAfterDays,
    }),
    ...(lifecycle.optInToArchiveForSupportedResources && { optInToArchiveForSupportedResources: true }),
  };
}
