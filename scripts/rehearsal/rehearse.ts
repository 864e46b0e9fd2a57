// `runRehearsal`: a recover, drill or failback run against the local simulation, with its passthrough flags.
import * as fs from "fs";
import { createAwsClients } from "../aws/clients";
import { Clock, systemClock } from "../clock";
import { CliDeps } from "../context";
import { DrError, ExitCode, InterruptedError, throwIfInterrupted, untilAborted } from "../errors";
import { Output, TextSink, renderTable } from "../output";
import { UnresumableInterrupt } from "../recovery/core/interrupt";
import { RunReport, reportVerdictLine } from "../recovery/core/report";
import { FakeAws, startFakeAws } from "../simulation/fakeAwsServer";
import { SimPoint } from "../simulation/recoveryPoints";
import { isolatedCopies } from "../simulation/isolatedVault";
import { formatDuration, parseSeconds } from "../time";
import {
  CycleStacks,
  DrOrigins,
  REHEARSAL_DOMAIN,
  REHEARSAL_ZONE_ID,
  cycleSimulation,
} from "./cycleSimulation";
import { credentialSecrets, deployedOutputs } from "./deployedOutputs";
import { computeWords, followingService, groupName, serviceServes } from "./rehearsedCompute";
import type { ComputeOutput } from "../../stacks/drContract";
import { withRestoreNoise } from "./restoreDurations";
import { ProtectedResource, RehearsalEstate, readEstate, recoveryPoints } from "./estate";
import { DEFAULT_DAYS_IN_DR, newReport, reportFiles, runFailbackLeg } from "./failbackLeg";
import { CycleReport, cycleVerdictLine } from "./cycleReport";
import { HealthServer, startHealthServer } from "./healthServer";
import { gapLines, gapVerdict, isolatedGaps } from "./isolatedGaps";
import { applyEnvironment, assertIsolated, rehearsalEnvironment } from "./isolation";
import { offlineProdStack, prodServesRestoredData } from "./offlineProdStack";
import { OfflineDrStack, OfflineDrStackOptions } from "./offlineStack";
import { ScaledClock } from "./scaledClock";
import {
  BUILT_IN_SCENARIOS,
  Scenario,
  checkScenarioResources,
  loadScenario,
  matchResources,
} from "./scenarios";
import { causeEffect } from "./failureCauses";
import { holdClients, holdStack } from "./localProcessing";
import { FetchLike } from "../dependencies";
import { readDrStack } from "../deployment/model";
import { loadProject, ProjectConfigError } from "../deployment/projectConfig";

/**
 * The commands a rehearsal can run. `failback` rehearses the whole cycle: a recovery, days of writes
 * in DR, then the failback, on one simulation (a failback needs a recovery to bring back).
 */
export type RehearsedCommand = "recover" | "drill" | "failback";

/**
 * Per rehearsed command, the flags of the real command a trainee may add after `--`. Flags that would
 * point it elsewhere (`--health-url`, `--vault`, `--state-dir`, `--profile`...) are not among them.
 */
export const REHEARSED_COMMANDS: Readonly<Record<RehearsedCommand, readonly string[]>> = {
  // --retry-failed: the rehearsal runs the recovery first, then the retry with the flags from --retry-failed on.
  recover: [
    "--dry-run",
    "--as-of",
    "--only",
    "--metadata",
    "--app-resource",
    "--no-overlap",
    "--no-flip",
    "--retry-failed",
    "--from-isolated",
  ],
  drill: [
    "--dry-run",
    "--as-of",
    "--only",
    "--metadata",
    "--app-resource",
    "--no-overlap",
    "--flip",
    "--keep",
    "--from-isolated",
  ],
  // Not --drill or --keep (another command's rehearsal), --prod-stack, --recovery-journal,
  // --iam-role-arn or --health-url (they would point it away from the rehearsal's stacks and simulation).
  failback: [
    "--dry-run",
    "--skip-pre-copy",
    "--health-timeout",
    "--freeze-timeout",
    "--poll-initial",
    "--poll-max",
  ],
};

/** Flags of the rehearsed commands that take a number of seconds, checked before anything starts. */
const SECONDS_FLAGS = ["--health-timeout", "--freeze-timeout", "--poll-initial", "--poll-max"];

/** The first line of every rehearsal: what it never touches. */
export const REHEARSAL_BANNER =
  "REHEARSAL: nothing here reaches AWS or a Pulumi backend: AWS is simulated on 127.0.0.1 with the rehearsal's own credentials, the dr stack runs on Pulumi's mock engine.";

/** Simulated minutes between the dr stack turning active and its instances answering behind the load balancer. */
export const INSTANCE_BOOT_MINUTES = 4;

/** Options of {@link runRehearsal}. */
export interface RehearsalOptions {
  readonly command: RehearsedCommand;
  /** Built-in scenario name or a JSON/YAML file. Default `all-fine`. */
  readonly scenario: string;
  /** How many times faster than real time the simulated clock runs. */
  readonly speed: number;
  /** Flags for the rehearsed command (see {@link REHEARSED_COMMANDS}). */
  readonly passthrough: readonly string[];
  /** Directory of the project's Pulumi.yaml. */
  readonly workDir: string;
  /** Where the rehearsal keeps its journals: emptied at the start, never a real run's state directory. */
  readonly rehearsalDir: string;
  /** The real runs' state directory, which the rehearsal directory must not be. */
  readonly realStateDir: string;
  readonly reportDir: string;
  /** The dr stack, as `--stack` names it (`dr`, `org/dr`, `org/dr-app/dr`): its `Pulumi.<dr>.yaml` is read. */
  readonly stack: string;
  /**
   * Directory of the stack files to rehearse, when not beside Pulumi.yaml: a built-in example's
   * (`--example service`: docs/examples/service). Default: the work directory's own stack files.
   */
  readonly configDir?: string;
  /** `failback` only: simulated days the application serves from DR before the failback. Default 2. */
  readonly daysInDr?: number;
  /**
   * `--seed`: restore durations drawn from the ground truth with its noise, repeatably for one seed.
   * Default: none: the noiseless truth, the same at every run.
   */
  readonly seed?: number;
  /** `--utc`: times in UTC, the rehearsed command's too. Default false: local time, honouring `TZ`. */
  readonly utc?: boolean;
  /**
   * Ask the rehearsed command's confirmation question on this process's terminal, as a real run does,
   * instead of answering it with `--yes`. Default false.
   */
  readonly confirm?: boolean;
}

/** What a rehearsal needs from its process. */
export interface RehearsalDeps {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: NodeJS.ProcessEnv;
  readonly fetch: FetchLike;
  /** Directory scenario files are resolved from. */
  readonly cwd: string;
  /** Whether stdin is a terminal: with {@link RehearsalOptions.confirm}, the question is asked on it. Default false. */
  readonly isTTY?: boolean;
  /** The terminal prompt of the process, for {@link RehearsalOptions.confirm}. Default: answers "no". */
  readonly prompt?: CliDeps["prompt"];
  /** The CLI's entry point, `main` of scripts/cli.ts: the rehearsed command runs through it. */
  readonly runCli: (argv: readonly string[], deps: CliDeps, signal: AbortSignal) => Promise<number>;
}

/**
 * Checks `--` flags against the rehearsed command's list, and the values of those that take seconds
 * with the command's own parser (the same message): a failback's flags are checked before the
 * recovery that precedes it runs.
 */
export function checkPassthrough(command: RehearsedCommand, args: readonly string[]): void {
  const allowed = REHEARSED_COMMANDS[command];
  args.forEach((arg, i) => {
    const [flag, inline] = arg.split(/=(.*)/s);
    if (!arg.startsWith("-")) {
      return;
    }
    if (!allowed.includes(flag)) {
      throw new DrError(
        `'${arg}' cannot be passed to the rehearsed '${command}' (allowed after --: ${allowed.join(", ")})`,
      );
    }
    if (SECONDS_FLAGS.includes(flag)) {
      const value = inline ?? args[i + 1];
      if (value === undefined || (inline === undefined && value.startsWith("-"))) {
        throw new DrError(`'${flag}' needs a number of seconds after it`);
      }
      parseSeconds(flag, value);
    }
  });
}

/** The DR vault's points with the scenario's changes: other outcomes and times, unusable newest points. */
function scenarioPoints(scenario: Scenario, estate: RehearsalEstate, nowMs: number): SimPoint[] {
  const points = recoveryPoints(estate, { nowMs });
  const byArn = (resource: ProtectedResource) => points.filter((p) => p.resourceArn === resource.resourceArn);
  const changed = new Map<SimPoint, Partial<SimPoint>>();
  const change = (point: SimPoint, extra: Partial<SimPoint>) =>
    changed.set(point, { ...changed.get(point), ...extra });
  (scenario.restores ?? []).forEach((rule, i) => {
    for (const resource of matchResources(
      scenario,
      `restores[${i}].resource`,
      rule.resource,
      estate.resources,
    )) {
      const effect = rule.cause
        ? causeEffect(rule.cause, {
            resourceType: resource.resourceType,
            roleArn: estate.backupRoleArn,
            region: estate.drRegion,
            instanceClass: resource.restoreMetadata.DBInstanceClass ?? resource.restoreMetadata.InstanceType,
          })
        : undefined;
      const outcome = rule.outcome ?? (effect ? "FAILED" : undefined);
      const message = rule.message ?? effect?.message;
      for (const point of byArn(resource)) {
        change(point, {
          ...(outcome ? { outcome } : {}),
          ...(message ? { failureMessage: message } : {}),
          ...(effect?.failsUntil ? { failsUntil: effect.failsUntil } : {}),
          ...(effect?.fixKeys ? { fixKeys: effect.fixKeys } : {}),
          ...(rule.minutes ? { restoreMs: rule.minutes * 60_000 } : {}),
        });
      }
    }
  });
  (scenario.newestPoints ?? []).forEach((rule, i) => {
    for (const resource of matchResources(
      scenario,
      `newestPoints[${i}].resource`,
      rule.resource,
      estate.resources,
    )) {
      const newest = byArn(resource)[0];
      if (newest) {
        change(newest, { status: rule.status ?? "PARTIAL", statusMessage: rule.message });
      }
    }
  });
  return points.map((p) => (changed.has(p) ? { ...p, ...changed.get(p) } : p));
}

/**
 * The isolated vault the rehearsal simulates: the one the primary stack deploys; for a scenario that needs one
 * when the stack deploys none, one named as the stack would name it, said so. Undefined: none.
 */
function rehearsedIsolatedVault(
  estate: RehearsalEstate,
  scenario: Scenario,
  out: Output,
): string | undefined {
  if (estate.isolatedVaultName || !scenario.drVaultWiped) {
    return estate.isolatedVaultName;
  }
  const name = `${estate.primaryStack}-isolated-vault`;
  out.warn(
    `the ${estate.primaryStack} stack deploys no logically air-gapped vault (isolation off?): scenario '${scenario.name}' simulates one, '${name}', as isolation would deploy it`,
  );
  return name;
}

/**
 * The attack of {@link Scenario.drVaultWiped}: every DR vault point deleted, then one of the isolated vault's
 * tried, which its compliance lock refuses (simulation/isolatedVault.ts).
 */
function wipeDrVault(out: Output, fake: FakeAws, estate: RehearsalEstate, isolatedVaultName: string): void {
  const dr = [...(fake.vault(estate.drRegion, estate.drVaultName)?.points ?? [])];
  const refusals = dr
    .map((p) => fake.deleteRecoveryPoint(estate.drRegion, estate.drVaultName, p.recoveryPointArn))
    .filter((r) => r !== undefined);
  const [target] = fake.vault(estate.drRegion, isolatedVaultName)?.points ?? [];
  const refused = target
    ? fake.deleteRecoveryPoint(estate.drRegion, isolatedVaultName, target.recoveryPointArn)
    : undefined;
  out.info(
    `attacker (the deployer's role): DeleteRecoveryPoint of the ${dr.length} recovery points in the DR vault '${estate.drVaultName}': ${
      dr.length - refusals.length
    } deleted; in the isolated vault '${isolatedVaultName}': ${refused ?? "deleted"}`,
  );
}

function printEstate(out: Output, estate: RehearsalEstate, points: SimPoint[]): void {
  out.print(
    renderTable(
      ["TYPE", "RESOURCE (prod)", "NAME IN THE REHEARSAL", "POINTS IN DR VAULT", "RESTORE TAKES"],
      estate.resources.map((r) => {
        const mine = points.filter((p) => p.resourceArn === r.resourceArn);
        const restoreMs = mine[0]?.restoreMs ?? r.restoreMinutes * 60_000;
        const outcome = mine[0]?.outcome && mine[0].outcome !== "COMPLETED" ? ` then ${mine[0].outcome}` : "";
        return [
          r.resourceType,
          r.logicalName,
          r.name,
          String(mine.length),
          `${formatDuration(restoreMs)}${outcome}`,
        ];
      }),
    ),
  );
}

const FINAL = new Set(["COMPLETED", "FAILED", "ABORTED"]);

function allJobsFinal(fake: FakeAws): boolean {
  return [...fake.jobs.keys()].every((id) => FINAL.has(String(fake.describeJob(id)?.Status)));
}

/**
 * `dr rehearse`: the real recover or drill command, run through the CLI's own entry point against a
 * local simulation of the AWS APIs it calls, with recovery points made from the repository's stacks
 * and a dr stack evaluated offline. Ends with the report a real run writes, marked as a rehearsal.
 * Returns the exit code of the last run of the rehearsed command.
 */
export async function runRehearsal(
  options: RehearsalOptions,
  deps: RehearsalDeps,
  signal: AbortSignal,
): Promise<number> {
  assertIsolated(deps.env);
  if (options.rehearsalDir === options.realStateDir) {
    throw new DrError(
      `--rehearsal-dir ${options.rehearsalDir} is the state directory of real runs: a rehearsal keeps its journals elsewhere`,
    );
  }
  // A recovery into a stack that is not a dr stack would fail late and misleadingly: refused first.
  options = { ...options, stack: rehearsedStack(options.workDir, options.stack) };
  // Real time while the stacks are evaluated; the simulated clock starts with the simulation.
  let clock: ScaledClock | undefined;
  const out = new Output(
    deps.stdout,
    deps.stderr,
    () => (clock ? clock.now() : Date.now()),
    options.utc ? "UTC" : undefined,
  );
  out.print(REHEARSAL_BANNER);
  const scenario = loadScenario(options.scenario, deps.cwd);
  checkPassthrough(options.command, options.passthrough);
  out.info(`rehearsal of 'dr ${options.command}', scenario '${scenario.name}': ${scenario.description}`);

  const failback = options.command === "failback";
  const { first: firstFlags, retry: retryFlags } = splitRetry(options.passthrough);
  if (retryFlags && !failsARestore(scenario)) {
    throw new DrError(
      `-- --retry-failed retries what the recovery failed, and scenario '${scenario.name}' fails no restore: pick one that does (${BUILT_IN_SCENARIOS.filter(
        failsARestore,
      )
        .map((s) => s.name)
        .join(", ")})`,
    );
  }
  if (!failback && (scenario.failbackBackups ?? []).length > 0) {
    throw new DrError(
      `scenario '${scenario.name}' scripts the failback (failbackBackups): run it with 'dr rehearse failback'`,
    );
  }
  if (!failback && options.daysInDr !== undefined) {
    throw new DrError(
      `--days-in-dr applies to 'dr rehearse failback' (the days the application serves from DR before the failback), not to '${options.command}'`,
    );
  }

  const servers: HealthServer[] = [];
  let fake: FakeAws | undefined;
  let restoreEnv: (() => void) | undefined;
  // The stacks evaluate on the mock engine and the servers start without watching Ctrl-C: it stops the wait.
  const stoppable = <T>(work: Promise<T>): Promise<T> => untilAborted(work, signal);
  try {
    // The stacks' `up` times are simulated ones, once the simulated clock runs.
    const stackClock: Clock = {
      now: () => (clock ?? systemClock).now(),
      sleep: (ms, abort) => (clock ?? systemClock).sleep(ms, abort),
    };
    // Set once the prod stack is read: the dr program's StackReference then names the rehearsal's replicas,
    // as the CLI does (a flip without an S3 restore points the stack at the replica).
    const primary: { outputs?: Record<string, unknown> } = {};
    const stackFor = (deployed: OfflineDrStackOptions["deployed"]) =>
      new OfflineDrStack({
        projectDir: options.workDir,
        configDir: options.configDir,
        stackName: options.stack,
        deployed,
        clock: stackClock,
        primaryOutputs: primary.outputs,
      });
    const primaryStack =
      (await stoppable(stackFor({}).getConfig([`dr-app:primaryStack`])))["dr-app:primaryStack"]
        ?.split("/")
        .pop() ?? "prod";
    out.info(`evaluating the ${primaryStack} stack on Pulumi's mock engine to find what it protects`);
    const read = await stoppable(readEstate(options.workDir, primaryStack, options.configDir));
    const estate = options.seed === undefined ? read : withRestoreNoise(read, options.seed);
    checkScenarioResources(scenario, estate.resources);
    const isolatedVaultName = rehearsedIsolatedVault(estate, scenario, out);
    primary.outputs = replicaOutputs(estate);
    // Made again when the simulated clock starts, so the points' ages do not take in the set-up's real time.
    let points = scenarioPoints(scenario, estate, Date.now());
    out.print("");
    printEstate(out, estate, points);
    out.print("");

    const running = (): FakeAws | undefined => fake;
    const stacks: CycleStacks = {};
    const origins: DrOrigins = new Map();
    // Set once the dr stack is evaluated: what runs its application, which the health check asks too.
    const what: { drCompute?: ComputeOutput } = {};
    // The stack's outputs name the health server, which asks the stack whether it is active (on ECS, whether
    // its newest task definition has a task RUNNING) and whether the DR servers log in to the databases it names.
    const health = await startHealthServer(() => {
      const since = stacks.dr?.activeSince;
      const sim = running();
      return (
        since !== undefined &&
        sim !== undefined &&
        clock !== undefined &&
        allJobsFinal(sim) &&
        (what.drCompute?.kind === "ecs"
          ? serviceServes(sim, estate.drRegion, what.drCompute)
          : clock.now() >= since + INSTANCE_BOOT_MINUTES * 60_000) &&
        sim.loginProblem() === undefined
      );
    });
    servers.push(health);
    const replicas = Object.values(estate.replicaBuckets);
    const drStack = stackFor(deployedOutputs(estate, options.stack, health.url, replicas[0]));
    stacks.dr = drStack;
    let prodHealthUrl = "";
    if (failback) {
      const prodHealth = await startHealthServer(() =>
        stacks.prod && clock
          ? prodServesRestoredData(stacks.prod, clock.now(), INSTANCE_BOOT_MINUTES * 60_000)
          : false,
      );
      servers.push(prodHealth);
      prodHealthUrl = prodHealth.url;
      stacks.prod = offlineProdStack({
        projectDir: options.workDir,
        configDir: options.configDir,
        estate,
        healthUrl: prodHealth.url,
        clock: stackClock,
      });
      // As a deployment with a public name would be configured: the failover switch is rehearsed too.
      const dns = { "dr-app:domainName": REHEARSAL_DOMAIN, "dr-app:route53ZoneId": REHEARSAL_ZONE_ID };
      await drStack.setConfig(dns);
      await stacks.prod.setConfig(dns);
    }
    // What the deployed stacks created beside the data: each stack's database credential secrets, one per database.
    const deployed = [drStack, ...(stacks.prod ? [stacks.prod] : [])];
    const secrets = (
      await stoppable(Promise.all(deployed.map(async (s) => credentialSecrets(await s.planned()))))
    ).flat();
    const drOutputs = await stoppable(drStack.outputs());
    const drCompute: ComputeOutput = drOutputs.compute ?? {
      kind: "autoscaling",
      groupName: groupName(options.stack),
    };
    what.drCompute = drCompute;
    const prodCompute = stacks.prod ? (await stoppable(stacks.prod.outputs())).compute : undefined;
    throwIfInterrupted(signal);

    const simulated = new ScaledClock(options.speed);
    clock = simulated;
    points = scenarioPoints(scenario, estate, simulated.now());
    out.info(
      `clock: ${options.speed}x real time; every time shown from here on is simulated, and local processing takes none of it`,
    );
    fake = await startFakeAws({
      points,
      vaultName: estate.drVaultName,
      primaryVaultName: estate.primaryVaultName,
      // The isolated vault receives the same copies as the DR vault (the rules' copy actions to both).
      ...(isolatedVaultName && {
        isolatedVault: {
          name: isolatedVaultName,
          points: isolatedCopies(points, estate.drRegion, estate.drVaultName),
        },
      }),
      drRegion: estate.drRegion,
      primaryRegion: estate.primaryRegion,
      downRegion: scenario.primary === "answers" ? "none" : estate.primaryRegion,
      throttleEvery: scenario.throttleEvery,
      clock: simulated,
      secrets,
      ...(failback
        ? cycleSimulation({
            estate,
            scenario,
            drStack: options.stack,
            stacks,
            origins,
            healthUrls: { dr: health.url, prod: prodHealthUrl },
            drCredentialSecretArn: drOutputs.dbCredentialSecretArn,
            drCredentialSecretArns: drOutputs.dbCredentialSecretArns,
            compute: {
              dr: drCompute,
              prod: prodCompute ?? { kind: "autoscaling", groupName: groupName(estate.primaryStack) },
            },
          })
        : // The dr stack's ECS service, which its flip scales; an Auto Scaling group's servers are a boot time.
          {
            ecsServices:
              drCompute.kind === "ecs"
                ? [followingService({ region: estate.drRegion, compute: drCompute, stack: () => stacks.dr })]
                : [],
          }),
    });
    if (failback) {
      out.info(
        `the ${estate.primaryStack} stack is offline too (prod's load balancer's health check on ${prodHealthUrl}); both stacks have the public name ${REHEARSAL_DOMAIN}: users follow it as Route 53's failover records answer it (DNS on ${fake.dnsAddress}), its switch simulated; the DR servers log in to each database with its credential secret of the dr stack`,
      );
    }
    const onEcs = [drCompute, ...(prodCompute ? [prodCompute] : [])].map((c) => c.kind === "ecs");
    const services = [
      ...["Backup", "STS", "RDS", "EC2", "DynamoDB", "EFS", "S3", "Secrets Manager"],
      ...(onEcs.includes(true) ? ["ECS"] : []),
      // A failback rehearsal runs both stacks' application: Auto Scaling for a stack not on ECS.
      ...(failback
        ? [...(onEcs.includes(false) ? ["Auto Scaling"] : []), "CloudWatch", "Route 53's answers"]
        : []),
    ];
    out.info(
      `simulated AWS (${services.join(", ")}) on ${fake.url}; primary region ${estate.primaryRegion} ${
        scenario.primary === "answers" ? "still answers" : "is down"
      }; the DR load balancer's health check on ${health.url}`,
    );
    out.info(
      `compute rehearsed: dr's application runs as the ${computeWords(drCompute)}${
        drCompute.kind === "ecs"
          ? ", its tasks started by the flip's desired count and a new task definition revision, behind the load balancer once RUNNING"
          : `, its servers answering ${INSTANCE_BOOT_MINUTES} minutes after the flip`
      }${prodCompute ? `; prod's as the ${computeWords(prodCompute)}` : ""}`,
    );

    // What AWS would not copy into the isolated vault (simulation/isolatedCopyRule.ts), named before the run.
    const gaps = isolatedVaultName ? isolatedGaps(estate, points) : [];
    for (const line of gapLines(isolatedVaultName ?? "", gaps)) {
      out.info(line);
    }
    if (scenario.drVaultWiped && isolatedVaultName) {
      wipeDrVault(out, fake, estate, isolatedVaultName);
    }
    // A dr stack whose outputs do not name the isolated vault (a program before issue 24's outputs) is told
    // its name, as an operator would pass it.
    const isolatedFlags =
      isolatedVaultName && (await stoppable(drStack.outputs())).isolatedVaultName === undefined
        ? ["--isolated-vault", isolatedVaultName]
        : [];

    fs.rmSync(options.rehearsalDir, { recursive: true, force: true });
    fs.mkdirSync(options.rehearsalDir, { recursive: true });
    restoreEnv = applyEnvironment(rehearsalEnvironment(fake.url, estate.drRegion, options.rehearsalDir));

    const label = { scenario: scenario.name, speed: options.speed, compute: computeWords(drCompute) };
    const simulation: FakeAws = fake;
    const cliDeps: CliDeps = {
      stdout: deps.stdout,
      stderr: deps.stderr,
      // Practising the question (--confirm): the real prompt on this terminal; else the rehearsal answers --yes.
      isTTY: options.confirm ? (deps.isTTY ?? false) : false,
      env: process.env,
      clock: simulated,
      // Local processing (calls to the simulation, the mock engine's evaluations) takes no simulated time.
      createClients: (clientOptions) => holdClients(createAwsClients(clientOptions), simulated),
      openStack: async ({ stackName }) =>
        holdStack(
          stacks.prod && stackName?.split("/").pop() === estate.primaryStack ? stacks.prod : drStack,
          simulated,
        ),
      fetch: (url, init) => simulated.hold(() => deps.fetch(url, init)),
      // Route 53's answers for the public name, as the simulation's DNS server gives them.
      ...(failback && {
        resolveAddresses: (hostname: string) =>
          simulated.hold(async () => {
            simulation.resources();
            return simulation.resolver.addresses(hostname);
          }),
      }),
      prompt: (options.confirm && deps.prompt) || (async () => "no"),
      rehearsal: label,
    };
    const globalArgs = [
      "--work-dir",
      options.workDir,
      "--stack",
      options.stack,
      "--state-dir",
      options.rehearsalDir,
      "--report-dir",
      options.reportDir,
      ...(options.utc ? ["--utc"] : []),
    ];
    const run = async (
      command: string,
      flags: readonly string[],
      interruptAfterMs?: number,
    ): Promise<number> => {
      out.print("");
      // An AbortSignal fires "abort" once: a Ctrl-C that came before this run is checked here.
      throwIfInterrupted(signal);
      const yes = options.confirm ? [] : ["--yes"];
      out.print(`$ dr ${[command, ...yes, ...flags].join(" ")}`);
      const attempt = new AbortController();
      const forward = () =>
        attempt.abort(
          new UnresumableInterrupt(
            "the rehearsed run stops here; its simulated restore jobs end with this rehearsal",
          ),
        );
      signal.addEventListener("abort", forward, { once: true });
      const sim = fake as FakeAws;
      const interrupting =
        interruptAfterMs !== undefined
          ? interruptOnceStarted(sim, simulated, interruptAfterMs, attempt, out)
          : undefined;
      try {
        const code = await deps.runCli([...globalArgs, command, ...yes, ...flags], cliDeps, attempt.signal);
        // What a script around the real command would see (P7: refusals and resumes show theirs too).
        out.info(`rehearsal: 'dr ${command}' exited ${code}, as the same real run would`);
        return code;
      } finally {
        signal.removeEventListener("abort", forward);
        interrupting?.cancel();
      }
    };

    // The way there: the rehearsed recover or drill, or for a failback the recovery before it.
    const first = failback ? "recover" : options.command;
    const flags = [...isolatedFlags, ...(failback ? [] : firstFlags)];
    const before = reportFiles(options.reportDir);
    let code: number;
    if (scenario.interruptAt !== undefined) {
      const longest = Math.max(...points.map((p) => p.restoreMs ?? 0));
      code = await run(first, flags, scenario.interruptAt * longest);
      if (code === ExitCode.interrupted && !signal.aborted) {
        out.info(
          "rehearsal: the restore jobs keep running in (simulated) AWS; the operator runs the same command again",
        );
        code = await run(first, flags);
      }
    } else if (scenario.primary === "answers" && first === "recover") {
      code = await run(first, flags);
      if (code === ExitCode.usage && !signal.aborted) {
        out.info(
          "rehearsal: the CLI refused because the primary answers; the incident lead confirms it cannot serve and overrides",
        );
        code = await run(first, [...flags, "--skip-primary-check"]);
      }
    } else {
      code = await run(first, flags);
    }
    if (retryFlags && !signal.aborted) {
      out.info(
        `rehearsal: the operator runs the retry the advice names, with the flags from --retry-failed on: dr ${first} ${retryFlags.join(" ")}`,
      );
      code = await run(first, [...isolatedFlags, ...retryFlags]);
    }
    if (failback) {
      code = await runFailbackLeg(
        {
          out,
          fake,
          clock: simulated,
          estate,
          origins,
          label,
          daysInDr: options.daysInDr ?? DEFAULT_DAYS_IN_DR,
          reportDir: options.reportDir,
          passthrough: options.passthrough,
          run: (command, commandFlags) => run(command, commandFlags),
          signal,
        },
        code,
        newReport<RunReport>(options.reportDir, before, "recover"),
      );
    }
    printSimulationSummary(out, fake, points, simulated, estate.drRegion, isolatedVaultName);
    throwIfInterrupted(signal);
    // The last line is the verdict, as a real run's is: the simulation's summary came after the run's.
    const last = failback
      ? newReport<CycleReport>(options.reportDir, before, "cycle")?.report
      : newReport<RunReport>(options.reportDir, before, first)?.report;
    // A run from the isolated vault alone cannot know of the resources it holds no copy of: the rehearsal,
    // which knows the estate, names them and ends PARTIAL.
    const short = last && last.kind !== "cycle" && scenario.drVaultWiped ? gapVerdict(last, gaps) : undefined;
    if (short) {
      out.info(short.lines[0]);
      out.print(short.lines[1]);
      return Math.max(code, short.exitCode);
    }
    if (last) {
      out.print(last.kind === "cycle" ? cycleVerdictLine(last) : reportVerdictLine(last));
    }
    return code;
  } catch (err) {
    if (err instanceof InterruptedError) {
      out.warn(
        fake
          ? "rehearsal interrupted: unlike a real run it cannot be resumed, its simulated AWS ends with this process; run 'dr rehearse' again to start over"
          : "rehearsal interrupted before its simulation started: nothing ran; run 'dr rehearse' again to start",
      );
      return ExitCode.interrupted;
    }
    throw err;
  } finally {
    restoreEnv?.();
    await Promise.all([fake?.close(), ...servers.map((s) => s.close())]);
  }
}

/** The local name of the dr stack `stack` names, or the reason it is none (exit 2). */
function rehearsedStack(workDir: string, stack: string): string {
  try {
    return readDrStack(loadProject(workDir), stack, "dr rehearse recovers into a dr stack (role: dr)").name;
  } catch (err) {
    if (err instanceof ProjectConfigError) throw new DrError(err.message);
    throw err;
  }
}

/** Aborts `attempt` (the operator's Ctrl-C) `afterMs` of simulated time after the first restore job starts. */
function interruptOnceStarted(
  fake: FakeAws,
  clock: ScaledClock,
  afterMs: number,
  attempt: AbortController,
  out: Output,
): { cancel(): void } {
  const stop = new AbortController();
  void (async () => {
    try {
      while (fake.jobs.size === 0) {
        // Every 50 ms of real time: looking takes no simulated time.
        await systemClock.sleep(50, stop.signal);
      }
      await clock.sleep(afterMs, stop.signal);
      out.print("");
      out.print("^C  (the rehearsal presses Ctrl-C)");
      attempt.abort();
    } catch {
      // Cancelled: the run ended before the interruption was due.
    }
  })();
  return { cancel: () => stop.abort() };
}

function printSimulationSummary(
  out: Output,
  fake: FakeAws,
  points: SimPoint[],
  clock: ScaledClock,
  drRegion: string,
  isolatedVaultName: string | undefined,
): void {
  const starts = [...fake.starts.values()].reduce((a, b) => a + b, 0);
  out.print("");
  out.info(
    `rehearsal: the simulation answered ${fake.requests.length} AWS requests (${fake.throttled} throttled); ` +
      `${starts} StartRestoreJob call(s) made ${fake.jobs.size} restore job(s) from ${points.length} recovery points${
        isolatedVaultName
          ? ` in the DR vault and ${fake.vault(drRegion, isolatedVaultName)?.points.length ?? 0} in the isolated vault '${isolatedVaultName}'`
          : ""
      }`,
  );
  out.info(
    `rehearsal: local processing: ${(clock.localProcessingMs / 1000).toFixed(1)} s real (AWS calls to the simulation, the mock engine's updates), not counted in the simulated times or the measured RTO`,
  );
}

/**
 * The prod stack's bucket outputs as the rehearsal deployed them: its application bucket (the first
 * replicated) and the replicas in the DR region, by source bucket.
 */
function replicaOutputs(estate: RehearsalEstate): Record<string, unknown> {
  const sources = Object.keys(estate.replicaBuckets);
  return {
    replicaBuckets: estate.replicaBuckets,
    replicaBucketArns: Object.values(estate.replicaBuckets).map((name) => `arn:aws:s3:::${name}`),
    ...(sources.length > 0 ? { appBucketName: sources[0] } : {}),
    ...(estate.dataInventory && { dataInventory: estate.dataInventory }),
  };
}

/**
 * The flags of the first run and, from `--retry-failed` on, of the retry after it (the retry's own
 * `--metadata`: another instance class or name); no retry without `--retry-failed`.
 */
export function splitRetry(flags: readonly string[]): { first: string[]; retry?: string[] } {
  const at = flags.indexOf("--retry-failed");
  return at < 0 ? { first: [...flags] } : { first: flags.slice(0, at), retry: flags.slice(at) };
}

/** Whether a restore of the scenario fails, so that a retry has something to retry. */
function failsARestore(scenario: Scenario): boolean {
  return (scenario.restores ?? []).some(
    (r) => r.cause !== undefined || (r.outcome !== undefined && r.outcome !== "COMPLETED"),
  );
}
