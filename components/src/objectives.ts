/** What the component does when the plan cannot meet the recovery point or time objective. */
export const ObjectiveEnforcement = {
  /** Fail the preview. */
  Error: "error",
  /** Log a warning and deploy. */
  Warn: "warn",
} as const;
/** What the component does when the plan cannot meet the recovery point or time objective. */
export type ObjectiveEnforcement = (typeof ObjectiveEnforcement)[keyof typeof ObjectiveEnforcement];

/** Recovery objectives the plan is checked against. */
export interface DrObjectivesArgs {
  /**
   * Recovery point objective, in minutes: the most data, measured in time, you accept to lose. Each
   * region's worst-case RPO (see `posture`) must not exceed it.
   * Default: none: the worst case is computed and shown, not enforced.
   */
  readonly rpoMinutes?: number;
  /**
   * Recovery time objective, in minutes: how long recovery may take. The forecast (`rtoForecast`) must
   * not exceed it; the recovery CLI's drills measure it.
   * Default: none.
   */
  readonly rtoMinutes?: number;
  /**
   * Minutes a cross-region copy takes to land in the DR vault after its backup completes. AWS gives no
   * bound; it grows with the size of the recovery point. Measure yours with a drill.
   * Default: 60.
   */
  readonly copyLandingMinutes?: number;
  /**
   * `"error"` fails the preview when the plan cannot meet `rpoMinutes` or the RTO forecast exceeds
   * `rtoMinutes`; `"warn"` only logs a warning.
   * Default: "error".
   */
  readonly enforcement?: ObjectiveEnforcement;
}

/** Default time for a copy to land in the DR vault. */
export const DEFAULT_COPY_LANDING_MINUTES = 60;
