/** AWS Backup's service settings per region in the simulation: DescribeRegionSettings and UpdateRegionSettings. */

/** One region's settings, as DescribeRegionSettings answers them and UpdateRegionSettings takes them. */
export interface RegionSettings {
  /** Whether tag-based plans assign resources of a type. */
  readonly ResourceTypeOptInPreference?: Readonly<Record<string, boolean>>;
  /** Full AWS Backup management of a type's backups: `DynamoDB: true` is advanced DynamoDB backup. */
  readonly ResourceTypeManagementPreference?: Readonly<Record<string, boolean>>;
}

/**
 * A region's settings before anyone changes them: advanced DynamoDB backup (and full EFS management) on,
 * as AWS has it for accounts that created their first vault after 21 November 2021 (developer guide,
 * "Advanced DynamoDB backup": "advanced DynamoDB backup features are enabled by default to customers who
 * have not created a backup vault prior to November 21, 2021"); every type opted in (unsourced guess: the
 * opt-in defaults differ by type and account age).
 */
export const DEFAULT_REGION_SETTINGS: RegionSettings = {
  ResourceTypeOptInPreference: {
    Aurora: true,
    DynamoDB: true,
    EBS: true,
    EC2: true,
    EFS: true,
    RDS: true,
    S3: true,
  },
  ResourceTypeManagementPreference: { DynamoDB: true, EFS: true },
};

/**
 * The settings of every region. They are per region: UpdateRegionSettings "updates the current service
 * opt-in settings for the Region" (AWS Backup API, UpdateRegionSettings); DescribeRegionSettings answers
 * the region of the call.
 */
export class RegionSettingsStore {
  private readonly byRegion = new Map<string, RegionSettings>();

  /** `initial`: settings by region, each merged over {@link DEFAULT_REGION_SETTINGS}. */
  constructor(initial: Readonly<Record<string, RegionSettings>> = {}) {
    for (const [region, settings] of Object.entries(initial)) {
      this.update(region, settings);
    }
  }

  /** DescribeRegionSettings in `region`. */
  describe(region: string): RegionSettings {
    return this.byRegion.get(region) ?? DEFAULT_REGION_SETTINGS;
  }

  /** UpdateRegionSettings in `region`: the given keys change, the others stay. */
  update(region: string, change: RegionSettings): void {
    const now = this.describe(region);
    this.byRegion.set(region, {
      ResourceTypeOptInPreference: {
        ...now.ResourceTypeOptInPreference,
        ...change.ResourceTypeOptInPreference,
      },
      ResourceTypeManagementPreference: {
        ...now.ResourceTypeManagementPreference,
        ...change.ResourceTypeManagementPreference,
      },
    });
  }

  /**
   * Whether advanced DynamoDB backup is on in `region`: a DynamoDB backup taken there now is an AWS Backup
   * one, which can be copied to another Region. Developer guide, "Advanced DynamoDB backup": "You enable
   * advanced DynamoDB backups when you set both of the following values to true"
   * (`ResourceTypeManagementPreference` and `ResourceTypeOptInPreference` DynamoDB), and "When you create a
   * DynamoDB backup after you enable AWS Backup advanced features, you can use AWS Backup to: Copy a backup
   * across Regions".
   */
  dynamoDbManaged(region: string): boolean {
    const settings = this.describe(region);
    return (
      settings.ResourceTypeManagementPreference?.DynamoDB === true &&
      settings.ResourceTypeOptInPreference?.DynamoDB === true
    );
  }
}
