// The check that none of a stack's serving units is in service: a freeze's and a prod hold's re-check.
import { describeAwsError } from "../../aws/errors";
import { DrError, ExitCode } from "../../errors";
import { Compute } from "./compute";

/**
 * The finding a re-check reports when units of `compute` (`which`: dr or prod) may still serve, or
 * undefined when none may. A failed call stops the run: nothing may go on unconfirmed.
 * @param confirming what the check confirms, for the error (e.g. "the write freeze still holds")
 */
export async function unitsInService(
  compute: Compute,
  which: string,
  region: string,
  confirming: string,
): Promise<string | undefined> {
  let live: string[];
  try {
    live = await compute.liveUnits();
  } catch (err) {
    throw new DrError(
      `cannot confirm ${confirming}: ${compute.calls.live} in ${region} failed: ${describeAwsError(err)}; re-run`,
      ExitCode.failed,
    );
  }
  return live.length > 0
    ? `${live.length} ${which} ${compute.unit}(s) in service (${live.slice(0, 5).join(", ")})`
    : undefined;
}
