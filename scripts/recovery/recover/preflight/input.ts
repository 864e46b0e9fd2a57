// The flags of recover and drill checked before the network is touched.
import { DrError } from "../../../errors";
import { checkHealthUrl } from "../../core/health";
import { parseAsOf } from "../../../time";
import { RunKind } from "../../core/journal";
import { RestoreCommandOptions } from "../options";
import { parseOnlyFilter } from "../../core/recoveryPoints";
import { MetadataOverrides, parseMetadataOverrides } from "../../core/restoreMetadata";

/** The options of a run that need parsing, parsed. */
export interface ParsedInput {
  /** `--as-of`, when given. */
  readonly asOf?: Date;
  /** `--metadata`, by resource type. */
  readonly overrides: MetadataOverrides;
}

/**
 * Checks every option of `dr recover` / `dr drill` that can be checked without the network, and parses
 * what needs parsing: bad input fails here, before anything is read or started.
 */
export function parseRestoreInput(kind: RunKind, options: RestoreCommandOptions, nowMs: number): ParsedInput {
  checkRestoreFlags(kind, options);
  const asOf = options.asOf !== undefined ? parseAsOf(options.asOf) : undefined;
  if (asOf && options.asOf !== undefined) {
    checkAsOfNotFuture(options.asOf, asOf, nowMs);
  }
  options.only.forEach(parseOnlyFilter);
  const overrides = parseMetadataOverrides(options.metadata);
  if (options.healthUrl !== undefined) {
    checkHealthUrl("--health-url", options.healthUrl);
  }
  return { asOf, overrides };
}

/** The flags of `dr recover` / `dr drill` that can contradict each other. */
interface RestoreFlags {
  readonly dryRun: boolean;
  readonly newRun: boolean;
  readonly retryFailed: boolean;
  readonly flip: boolean;
  readonly overlap: boolean;
  readonly appResources: readonly string[];
  readonly keep?: boolean;
  readonly cleanupOnly?: boolean;
}

/**
 * Refuses flags that contradict each other, before anything is read or started: an operator who
 * typed both meant one of them, and guessing which could start the wrong recovery.
 */
function checkRestoreFlags(kind: RunKind, flags: RestoreFlags): void {
  const noFlip = kind === "recover" ? "--no-flip" : "a drill without --flip";
  const conflicts: Array<[boolean, string]> = [
    [
      flags.newRun && flags.retryFailed,
      "--new-run and --retry-failed contradict each other: --retry-failed continues the last run with new jobs for what failed, --new-run abandons it and starts afresh; pass one",
    ],
    [
      Boolean(flags.cleanupOnly) &&
        (flags.newRun || flags.retryFailed || Boolean(flags.keep) || flags.dryRun),
      "--cleanup only deletes what the last drill left behind: it cannot be combined with --new-run, --retry-failed, --keep or --dry-run",
    ],
    [
      !flags.flip && !flags.overlap,
      `--no-overlap changes how the dr stack is flipped, and ${noFlip} does not flip it: drop one`,
    ],
    [
      !flags.flip && flags.appResources.length > 0,
      `--app-resource chooses what the flipped dr stack points at, and ${noFlip} does not flip it: drop one`,
    ],
  ];
  const found = conflicts.find(([applies]) => applies);
  if (found) {
    throw new DrError(found[1]);
  }
}

/** A recovery point is never newer than now: an --as-of in the future is a typo (2099 for 2026). */
function checkAsOfNotFuture(text: string, asOf: Date, nowMs: number): void {
  if (asOf.getTime() > nowMs) {
    throw new DrError(
      `--as-of '${text}' is in the future (now ${new Date(nowMs).toISOString()}): give a past time, or leave it out for the newest points`,
    );
  }
}
