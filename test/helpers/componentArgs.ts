// The guide's component arguments (`seedArgs`), with overrides, for the component tests.
import { BackupPlanPresets, BackupRestoreDRArgs } from "@restorekit/backup-restore-dr";

/** The guide's setup: us-east-1 to us-west-2, its plan, resources tagged backup=true; with overrides. */
export function seedArgs(overrides: Partial<BackupRestoreDRArgs> = {}): BackupRestoreDRArgs {
  return {
    primaryRegion: "us-east-1",
    drRegion: "us-west-2",
    plan: BackupPlanPresets.seed(),
    selection: { tags: { backup: "true" } },
    ...overrides,
  };
}
