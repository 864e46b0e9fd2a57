// The flag values of `dr rehearse` with a rule of their own: the simulated clock's speed and its bounds.
import { DrError } from "../errors";
import { parsePositive } from "../time";

/** Default `--speed`: a 30-minute restore takes 18 seconds. */
export const DEFAULT_SPEED = 100;
/** Largest `--speed`: beyond it the CLI's shortest poll delays fall under a millisecond. */
export const MAX_SPEED = 10_000;

/** Parses `--speed`: a positive number up to {@link MAX_SPEED}. */
export function parseSpeed(text: string): number {
  const speed = parsePositive("--speed", text);
  if (speed > MAX_SPEED) {
    throw new DrError(`--speed '${text}' must be at most ${MAX_SPEED}`);
  }
  return speed;
}
