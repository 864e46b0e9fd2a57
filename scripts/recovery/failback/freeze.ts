import { EC2Client, paginateDescribeInstances } from "@aws-sdk/client-ec2";
import { describeAwsError } from "../../aws/errors";
import { iso } from "../../clock";
import { nextPollDelay } from "../start/restoreJobs";
import { formatDuration } from "../../time";
import { PhaseContext, PhaseResult, applyOnce, save } from "./phaseContext";
import { FREEZE_KEYS } from "./preflight";

/** States of an instance that may still serve, and so write: everything short of stopped or terminated. */
const LIVE_STATES = ["pending", "running", "stopping", "shutting-down"];

/**
 * The dr stack's application servers still alive in its VPC: instances of an Auto Scaling group (the
 * dr stack's is the only one there) in a state that may still serve. EC2 DescribeInstances, every page.
 */
export async function liveServers(ec2: EC2Client, vpcId: string): Promise<string[]> {
  const ids: string[] = [];
  const filters = [
    { Name: "vpc-id", Values: [vpcId] },
    { Name: "tag-key", Values: ["aws:autoscaling:groupName"] },
    { Name: "instance-state-name", Values: LIVE_STATES },
  ];
  for await (const page of paginateDescribeInstances({ client: ec2 }, { Filters: filters })) {
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        if (instance.InstanceId) {
          ids.push(instance.InstanceId);
        }
      }
    }
  }
  return ids;
}

/**
 * Phase 3, the write freeze: the dr stack's active capacity set to zero (drActiveMinSize and
 * drActiveDesiredCapacity; mode stays active, so the update changes only the Auto Scaling group) and
 * `pulumi up`, then EC2 polled until no server is left. The capacity before is journaled first, so
 * standby puts it back; the freeze's start is the moment the scale-down began.
 */
export async function runFreeze(pc: PhaseContext): Promise<PhaseResult> {
  const { journal, pre } = pc;
  const { out, deps, signal } = pc.command;
  journal.failback.previousDrConfig ??= Object.fromEntries(
    Object.values(FREEZE_KEYS)
      .filter((key) => pre.drConfig[key] !== undefined)
      .map((key) => [key, pre.drConfig[key]]),
  );
  journal.failback.freeze ??= { startedAt: iso(deps.clock.now()) };
  const freeze = journal.failback.freeze;
  save(pc);
  const update = await applyOnce(pc, pre.drStack, "freeze", {
    [FREEZE_KEYS.minSize]: "0",
    [FREEZE_KEYS.desired]: "0",
  });
  if (!update.ok) {
    return { outcome: "failed", detail: `dr stack update failed: ${update.message ?? "unknown error"}` };
  }
  const vpcId = pre.drOutputs.vpcId;
  if (!vpcId) {
    return {
      outcome: "failed",
      detail: `dr stack '${pre.drStack.name}' has no 'vpcId' output: cannot confirm its servers are gone`,
    };
  }
  const deadline = deps.clock.now() + pc.options.freezeTimeoutMs;
  for (let attempt = 0; ; attempt++) {
    let live: string[];
    try {
      live = await liveServers(pre.drClients.ec2, vpcId);
    } catch (err) {
      live = [`(DescribeInstances failed: ${describeAwsError(err)})`];
    }
    if (live.length === 0) {
      freeze.confirmedAt = iso(deps.clock.now());
      save(pc);
      const took = Date.parse(freeze.confirmedAt) - Date.parse(freeze.startedAt);
      return {
        outcome: "ok",
        detail: `no dr server in service ${formatDuration(took)} after the scale-down began`,
      };
    }
    // The drain is polled as the jobs are (--poll-initial, --poll-max).
    const delay = nextPollDelay(attempt, pc.options.poll);
    if (deps.clock.now() + delay > deadline) {
      return {
        outcome: "failed",
        detail: `${live.length} dr server(s) still in service after ${formatDuration(pc.options.freezeTimeoutMs)}: ${live.slice(0, 5).join(", ")}; nothing is copied while writes may go on`,
      };
    }
    out.info(
      `freeze: ${live.length} dr server(s) still in service, checking again in ${formatDuration(delay)}`,
    );
    await deps.clock.sleep(delay, signal);
  }
}
