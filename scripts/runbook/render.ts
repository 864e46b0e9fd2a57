// The operator runbook in Markdown: values, failover steps with commands and timings, rollback, failback.
import {
  BackupRuleArgs,
  copyLifecycle,
  DEFAULT_COMPLETION_WINDOW_MINUTES,
  DEFAULT_SCHEDULE,
  DEFAULT_START_WINDOW_MINUTES,
  LifecycleArgs,
} from "@restorekit/backup-restore-dr";
import { FAILOVER_SWITCH, failoverAlarmName } from "../../stacks/dnsFailover";
import { Deployment } from "../deployment/model";
import { failbackSteps } from "../recovery/failback/steps";
import { describeCompute } from "../recovery/compute/described";
import type { DataEntrySettings } from "../../stacks/config/settings";

/** What the runbook is written from. */
export interface RunbookInput {
  /** The deployment, from the stacks' config. */
  readonly deployment: Deployment;
  /** Outputs of the prod stack (`pulumi stack output --json`); empty when not read. */
  readonly prodOutputs: Readonly<Record<string, unknown>>;
  /** Outputs of the dr stack; empty when not read. */
  readonly drOutputs: Readonly<Record<string, unknown>>;
  /** Where the outputs came from, e.g. `none (config only)` or `the Automation API`. */
  readonly outputsSource: string;
  /** The command that writes this runbook again. */
  readonly regenerate: string;
  /**
   * Where this repository is checked out, with `npm ci` run in it, on the machine the runbook's commands run
   * on: they start the CLI by its launcher's path there, `$DR_CHECKOUT/scripts/bin/restorekit-dr.js`.
   */
  readonly checkout: string;
  /** The project's directory (Pulumi.yaml) when it is not the checkout's root. @default the checkout */
  readonly workDir?: string;
}

/**
 * How the runbook starts the CLI: the launcher of the checkout named once at the top, by its path. It works
 * in any directory and from cron, and never asks a package registry (`npx dr` runs a public package).
 */
export const CLI = '"$DR_CHECKOUT/scripts/bin/restorekit-dr.js"';

/** How long a step takes, in minutes, and why. */
export interface StepTiming {
  readonly step: string;
  readonly minMinutes: number;
  readonly maxMinutes: number;
  readonly basis: string;
}

/** Added to a restore whose recovery point is in cold storage (AWS Backup: "typically 4 hours more"). */
export const COLD_RESTORE_EXTRA_MINUTES = 240;

/** The steps of a failover with the time each takes, from the guide, AWS's documentation and the stacks. */
export function failoverTimings(view: Deployment): StepTiming[] {
  const compute = describeCompute(view.dr.environment.compute);
  const dns = view.prod.environment.dns
    ? {
        step: `DNS: ${view.prod.environment.dns.domainName} follows the DR load balancer`,
        minMinutes: 1,
        maxMinutes: 5,
        basis: "alias record to the load balancer (60-second TTL); clients that cache longer take longer",
      }
    : {
        step: "Clients switch to the DR load balancer's address",
        minMinutes: 1,
        maxMinutes: 5,
        basis: "no DNS name is configured: hand out the DR load balancer's DNS name",
      };
  return [
    {
      step: "1. Confirm the primary region is down",
      minMinutes: 5,
      maxMinutes: 15,
      basis: "probes and the incident decision",
    },
    { step: "2. `dr status`", minMinutes: 1, maxMinutes: 2, basis: "lists the DR vault's recovery points" },
    {
      step: "3. `dr recover --dry-run`",
      minMinutes: 1,
      maxMinutes: 2,
      basis: "chooses points, reads restore metadata",
    },
    {
      step: "4a. Restores, in parallel",
      minMinutes: 15,
      maxMinutes: 45,
      basis: "RDS restore 15-45 min (the guide); EBS volumes and small tables restore faster",
    },
    {
      step: `4b. \`pulumi up\` of ${view.dr.stack} to active (${view.dr.activeCapacity.desiredCapacity} ${compute.unit}s)`,
      minMinutes: 5,
      maxMinutes: 10,
      basis: compute.startup,
    },
    { step: "4c. Health check", minMinutes: 1, maxMinutes: 10, basis: "`--health-timeout` 600 s" },
    { ...dns, step: `5. ${dns.step}` },
  ];
}

function minutesText(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

function str(outputs: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = outputs[key];
  return typeof value === "string" && value !== "" ? value : undefined;
}

function record(outputs: Readonly<Record<string, unknown>>, key: string): Record<string, string> {
  const value = outputs[key];
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === "string"))
    : {};
}

interface Variable {
  readonly name: string;
  readonly value?: string;
  /** The shell that gets the value at run time when `value` is unknown. */
  readonly lookup: string;
  readonly meaning: string;
}

function variables(input: RunbookInput): Variable[] {
  const { deployment: view, prodOutputs: prod, drOutputs: dr } = input;
  const appBucket = str(prod, "appBucketName");
  const replicas = { ...record(prod, "replicaBuckets"), ...record(dr, "replicaBuckets") };
  const out = (stack: string, key: string) => `$(pulumi stack output ${key} --stack ${stack})`;
  const vars: Variable[] = [
    {
      name: "PRIMARY_REGION",
      value: view.prod.primaryRegion,
      lookup: "",
      meaning: "primary region (prod stack)",
    },
    { name: "DR_REGION", value: view.prod.drRegion, lookup: "", meaning: "DR region (dr stack)" },
    { name: "PROD_STACK", value: view.prod.stack, lookup: "", meaning: "the prod stack" },
    { name: "DR_STACK", value: view.dr.stack, lookup: "", meaning: "the dr stack" },
    {
      name: "PRIMARY_VAULT",
      value: str(dr, "primaryVaultName") ?? str(prod, "primaryVaultName"),
      lookup: out(view.dr.stack, "primaryVaultName"),
      meaning: `AWS Backup vault in ${view.prod.primaryRegion}`,
    },
    {
      name: "PRIMARY_VAULT_ARN",
      value: str(prod, "primaryVaultArn"),
      lookup: out(view.prod.stack, "primaryVaultArn"),
      meaning: "its ARN (copies back to the primary)",
    },
    {
      name: "DR_VAULT",
      value: str(dr, "drVaultName") ?? str(prod, "drVaultName"),
      lookup: out(view.dr.stack, "drVaultName"),
      meaning: `AWS Backup vault in ${view.prod.drRegion}, holding the copies`,
    },
    {
      name: "BACKUP_ROLE_ARN",
      value: str(dr, "backupRoleArn") ?? str(prod, "backupRoleArn"),
      lookup: out(view.dr.stack, "backupRoleArn"),
      meaning: "role AWS Backup restores and copies with",
    },
    {
      name: "PRIMARY_HEALTH_URL",
      value: str(prod, "healthCheckUrl"),
      lookup: out(view.prod.stack, "healthCheckUrl"),
      meaning: "the application's health check through the primary load balancer",
    },
    {
      name: "DR_HEALTH_URL",
      value: str(dr, "healthCheckUrl"),
      lookup: out(view.dr.stack, "healthCheckUrl"),
      meaning: "the same through the DR load balancer",
    },
    {
      name: "APP_BUCKET",
      value: appBucket,
      lookup: out(view.prod.stack, "appBucketName"),
      meaning: `the application bucket in ${view.prod.primaryRegion}`,
    },
    {
      name: "REPLICA_BUCKET",
      value: (appBucket !== undefined ? replicas[appBucket] : undefined) ?? str(dr, "appBucketName"),
      lookup: out(view.dr.stack, "appBucketName"),
      meaning: `its replica in ${view.prod.drRegion}, which the application uses in DR`,
    },
    {
      name: "PROD_DB_ENDPOINT",
      value: str(prod, "dbEndpoint"),
      lookup: out(view.prod.stack, "dbEndpoint"),
      meaning: `the primary database (${view.prod.database.engine})`,
    },
  ];
  if (view.prod.environment.dns) {
    vars.push({
      name: "APP_DOMAIN",
      value: view.prod.environment.dns.domainName,
      lookup: "",
      meaning: "the public DNS name",
    });
  }
  return vars;
}

function lifecycleText(lifecycle: LifecycleArgs): string {
  const cold = lifecycle.moveToColdStorageAfterDays;
  return cold === undefined
    ? `kept ${lifecycle.deleteAfterDays} days`
    : `cold after ${cold} days, deleted after ${lifecycle.deleteAfterDays}`;
}

function ruleRow(rule: BackupRuleArgs): string {
  const copy = copyLifecycle(rule);
  return `| \`${rule.name}\` | \`${rule.schedule ?? DEFAULT_SCHEDULE}\` ${rule.scheduleTimezone ?? "UTC"} | ${rule.startWindowMinutes ?? DEFAULT_START_WINDOW_MINUTES} / ${rule.completionWindowMinutes ?? DEFAULT_COMPLETION_WINDOW_MINUTES} min | ${lifecycleText(rule.lifecycle)} | ${copy ? `yes: ${lifecycleText(copy)}` : "no (primary region only)"} |`;
}

/**
 * The operator's failover switch (stacks/dnsFailover.ts): one CloudWatch data point in the DR region, a
 * data-plane call there. 1 serves the public name from the DR region, 0 from the primary.
 */
export function switchCommand(drRegion: string, domain: string, value: 0 | 1): string {
  return (
    `aws cloudwatch put-metric-data --region ${drRegion} --namespace ${FAILOVER_SWITCH.namespace} ` +
    `--metric-name ${FAILOVER_SWITCH.metricName} --dimensions ${FAILOVER_SWITCH.dimension}=${domain} --value ${value}`
  );
}

/** What each kind of the data inventory becomes in a recovery (in DR) and a failback (in prod). */
const KIND_RESTORE: Readonly<Record<DataEntrySettings["kind"], { restored: string; back: string }>> = {
  rds: {
    restored: "a new DB instance from its newest point; its own credential secret gets a new master password",
    back: "a final backup, copied and restored in prod as an `fb-` DB instance; new master password in prod's secret",
  },
  aurora: {
    restored:
      "a new DB cluster (the stack adds its DB instance; usable once that is available); new master password",
    back: "a final backup, copied and restored in prod as an `fb-` cluster with a DB instance; new master password",
  },
  dynamodb: {
    restored: "a new table from its newest point (PITR and tags set again)",
    back: "a final backup, copied and restored in prod as an `fb-` table",
  },
  ebs: {
    restored: "a new volume from its newest snapshot",
    back: "a final snapshot, copied and restored in prod as a new volume",
  },
  efs: {
    restored: "a new file system (data under `aws-backup-restore_<time>`), mount targets from the stack",
    back: "a final backup, copied and restored in prod as a new file system",
  },
  s3: {
    restored: "its replica bucket in DR, or a new bucket restored from its newest point",
    back: "the objects written in DR since the recovery copied back into its own prod bucket (every bucket, three at a time)",
  },
};

/** One row per data inventory entry: its logical name, kind, and what `column` says it becomes. */
function inventoryRows(data: readonly DataEntrySettings[], column: "restored" | "back"): string[] {
  return [
    `| entry | kind | ${column === "restored" ? "restored as" : "brought back as"} |`,
    "|---|---|---|",
    ...data.map((entry) => `| \`${entry.name}\` | ${entry.kind} | ${KIND_RESTORE[entry.kind][column]} |`),
  ];
}

function code(lang: string, lines: string[]): string[] {
  return ["```" + lang, ...lines, "```"];
}

/**
 * The operator runbook of a deployment, in Markdown: values to set, the steps of a failover with the
 * exact commands, what each takes and what to check after it, how to roll back, how to fail back to the
 * primary region, and the drill schedule. Pure: the same input gives the same text (no clock), so a
 * committed example can be checked against it. Values the input lacks (stack outputs not read) are
 * written as `pulumi stack output` look-ups and marked PLACEHOLDER.
 */
export function renderRunbook(input: RunbookInput): string {
  const view = input.deployment;
  const { primaryRegion: primary, drRegion: drRegion } = view.prod;
  const prodStack = view.prod.stack;
  const drStack = view.dr.stack;
  const drCompute = describeCompute(view.dr.environment.compute);
  const prodUnit = describeCompute(view.prod.environment.compute).unit;
  const posture = view.posture;
  const vars = variables(input);
  const placeholders = vars.filter((v) => v.value === undefined);
  const drWorst = posture.dr.worstCaseRpoMinutes;
  const primaryWorst = posture.primary.worstCaseRpoMinutes;
  const coldDays = posture.dr.coldStorageAfterDays;
  const timings = failoverTimings(view);
  const fastest = timings.reduce((sum, t) => sum + t.minMinutes, 0);
  const slowest = timings.reduce((sum, t) => sum + t.maxMinutes, 0);
  const rto = view.prod.objectives.rtoMinutes;
  const rpo = view.prod.objectives.rpoMinutes;
  const domain = view.prod.environment.dns?.domainName;
  const replicated =
    view.prod.replication.replicateAppBucket || view.prod.replication.extraBuckets.length > 0;

  const lines: string[] = [
    `# Disaster recovery runbook: ${view.project} (${prodStack} in ${primary}, ${drStack} in ${drRegion})`,
    "",
    `<!-- Generated by \`${input.regenerate}\` from ${view.files.join(", ")}; stack outputs: ${input.outputsSource}. Do not edit by hand: change the stacks' config and generate it again. -->`,
    "",
    `Backup and restore: the data of \`${prodStack}\` is backed up in ${primary} and copied to ${drRegion}; the \`${drStack}\` stack waits in ${drRegion} at zero capacity (mode \`${view.dr.mode}\`). In a disaster you restore the newest good copies in ${drRegion}, switch \`${drStack}\` to \`active\` and move traffic there. Follow the steps in order; each says what it takes and what to check before the next.`,
    "",
  ];
  if (placeholders.length > 0) {
    lines.push(
      `> **PLACEHOLDER values.** This runbook was written without stack outputs (${input.outputsSource}). ${placeholders.length} values below are \`pulumi stack output\` look-ups marked \`PLACEHOLDER\`; they resolve when run, but only while the Pulumi state backend is reachable. Generate the runbook with \`${CLI} runbook --from-stack\` (or \`--outputs <file>\`) after every deployment so the real names are printed here, and keep a copy outside ${primary}.`,
      "",
    );
  }
  lines.push(
    "## At a glance",
    "",
    "| | |",
    "|---|---|",
    `| Primary | stack \`${prodStack}\`, region \`${primary}\` |`,
    `| DR | stack \`${drStack}\`, region \`${drRegion}\`, mode \`${view.dr.mode}\`, NAT gateways \`${view.dr.environment.natGateways}\` |`,
    `| Backup plan | \`${view.prod.backupPlanName}\`: ${view.prod.plan.rules.map((r) => `\`${r.name}\``).join(", ")} |`,
    `| RPO objective | ${rpo} min; worst case in ${drRegion}: **${drWorst === undefined ? "unbounded" : `${drWorst} min`}** (${posture.dr.rpoArithmetic}) |`,
    `| Worst case in ${primary} | ${primaryWorst === undefined ? "unbounded" : `${primaryWorst} min`} (${posture.primary.rpoArithmetic}), lost with the region |`,
    `| RTO objective | ${rto} min; expected failover ${minutesText(fastest)} to ${minutesText(slowest)} from warm storage, ${minutesText(fastest + COLD_RESTORE_EXTRA_MINUTES)} to ${minutesText(slowest + COLD_RESTORE_EXTRA_MINUTES)} from cold |`,
    `| RTO forecast | ${
      posture.rtoForecast === undefined
        ? "none (the component's rtoForecast is unset)"
        : `**${posture.rtoForecast.minutes} min** until the application answers, ${posture.rtoForecast.meetsRto === false ? "**NOT** within" : "within"} ${rto} min (${posture.rtoForecast.arithmetic}); full performance at ${posture.rtoForecast.fullPerformanceMinutes} min. Model terms before calibration: \`${CLI} status\` compares them with measured restores`
    } |`,
    `| Retention | ${primary}: up to ${posture.primary.longestRetentionDays ?? "-"} days; ${drRegion}: up to ${posture.dr.longestRetentionDays ?? "-"} days${coldDays === undefined ? "" : `, cold after ${coldDays} days for the types with cold storage (DynamoDB, EFS, and EBS in rules that opt in to archiving; never RDS)`} |`,
    `| S3 | ${replicated ? `${posture.replicatedBuckets} bucket(s) replicated to ${drRegion} (${view.prod.replication.replicaStorageClass}${view.prod.replication.replicationTimeControl ? ", Replication Time Control: 15 min" : ", no Replication Time Control: no time bound"})` : "not replicated"} |`,
    `| Vault Lock | ${posture.primary.lock?.mode ?? "none"} |`,
    `| Public name | ${domain ? `\`${domain}\` (Route 53 zone \`${view.prod.environment.dns?.zoneId}\`): failover records, PRIMARY on \`${prodStack}\`, SECONDARY on \`${drStack}\`; moved by the failover switch in ${drRegion} (Step 5), never by a stack update` : "none configured: clients use the load balancer's DNS name"} |`,
    "",
    "### The backup plan",
    "",
    "| rule | schedule | start / complete within | lifecycle | copied to DR |",
    "|---|---|---|---|---|",
    ...view.prod.plan.rules.map(ruleRow),
    "",
    "## Before you start",
    "",
    `- This repository checked out, with \`npm ci\` run in it (\`$DR_CHECKOUT\` below), AWS credentials that work in ${drRegion} (\`aws sts get-caller-identity\`), and the Pulumi CLI logged in to the backend that holds \`${prodStack}\` and \`${drStack}\` (\`pulumi whoami\`). If that backend lives in ${primary}, it may be down with it: keep this runbook, with its values filled in, somewhere else.`,
    `- The recovery CLI is started by its path, \`${CLI}\`: that works in any directory, from cron too, and never asks a package registry. Never type \`npx dr\`: \`dr\` on the public npm registry is an unrelated package, which npx installs and runs outside the checkout (without asking when there is no terminal).`,
    `- One incident lead decides; one operator types. Write down the time of every step: the recover report measures the RTO, but not the decision before it.`,
    ...(view.prod.database.password !== undefined
      ? []
      : [
          `- \`dr-app:dbPassword\` is not set on \`${prodStack}\`: RDS keeps the master password in Secrets Manager in ${primary}, unreachable during the outage. Reset it on the restored instance (\`aws rds modify-db-instance --db-instance-identifier <restored id> --master-user-password <new> --apply-immediately --region ${drRegion}\`) and give it to the application.`,
        ]),
    "",
    "Set these in the shell first (every command below uses them):",
    "",
    ...code("bash", [
      `export DR_CHECKOUT="${input.checkout}"  # this repository, npm ci run in it; the CLI is its scripts/bin/restorekit-dr.js`,
      `export DR_WORK_DIR="${input.workDir ?? "$DR_CHECKOUT"}"  # the project (Pulumi.yaml) it acts on, from any directory`,
      `cd "$DR_WORK_DIR"  # the pulumi commands below read the project in the current directory`,
      ...vars.map((v) =>
        v.value !== undefined
          ? `export ${v.name}="${v.value}"  # ${v.meaning}`
          : `export ${v.name}="${v.lookup}"  # PLACEHOLDER: ${v.meaning}`,
      ),
    ]),
    "",
    "## Step 1: confirm the primary region is down",
    "",
    `Takes 5-15 min. Failing over while ${primary} still serves writes splits the data in two, so check three ways before deciding:`,
    "",
    ...code("bash", [
      `# The application, through the primary load balancer: expect a time-out or 5xx`,
      `curl --silent --show-error --max-time 10 --output /dev/null --write-out '%{http_code}\\n' "$PRIMARY_HEALTH_URL"`,
      `# The AWS APIs in ${primary}: expect time-outs or 5xx (an AccessDenied or a 200 means the region answers)`,
      `aws backup describe-backup-vault --backup-vault-name "$PRIMARY_VAULT" --region ${primary} --cli-connect-timeout 10 --cli-read-timeout 10`,
      `aws ec2 describe-instance-status --region ${primary} --max-items 5 --cli-connect-timeout 10 --cli-read-timeout 10`,
      `# AWS's own view: https://health.aws.amazon.com/health/status (${primary} events)`,
    ]),
    "",
    `**Check:** the application fails and the ${primary} APIs do not answer, or AWS Health reports a regional event. If only the application fails while the region answers, this is an application incident: do not fail over. \`dr recover\` makes the same API probe and refuses when ${primary} answers, unless given \`--skip-primary-check\`.`,
    "",
    "## Step 2: check what there is to restore",
    "",
    "Takes 1-2 min.",
    "",
    ...code("bash", [
      `${CLI} status --stack ${drStack}`,
      `# the same, by hand:`,
      `aws backup list-recovery-points-by-backup-vault --backup-vault-name "$DR_VAULT" --region ${drRegion} \\`,
      `  --query "RecoveryPoints[?Status=='COMPLETED'].{Type:ResourceType,Created:CreationDate,Storage:StorageClass}" --output table`,
      ...(replicated
        ? [
            `aws s3api list-objects-v2 --bucket "$REPLICA_BUCKET" --region ${drRegion} --max-items 5 --query 'Contents[].{Key:Key,Modified:LastModified}'`,
          ]
        : []),
    ]),
    "",
    `**Check:** exit code 0 means every protected resource has a COMPLETED recovery point in \`$DR_VAULT\` within the RPO (${rpo} min; the plan's worst case there is ${drWorst ?? "unbounded"} min); exit 1 lists the findings. A finding is not a stop: decide whether the newest point is good enough (\`--as-of\` picks an older one). Points older than ${coldDays ?? "the cold-storage day"} days of a type with cold storage are in cold storage: their restore takes about 4 h longer (AWS Backup), and EBS Snapshots Archive can take up to 72 h.`,
    "",
    "## Step 3: rehearse the recovery",
    "",
    "Takes 1-2 min. Starts nothing.",
    "",
    ...code("bash", [`${CLI} recover --dry-run --stack ${drStack}`]),
    "",
    `**Check:** one recovery point per resource, each the newest COMPLETED one (note their creation times: that is the data you will have); the restore metadata (instance class, subnet group, security groups in ${drRegion}); the config the CLI will set on \`${drStack}\` (\`dr-app:mode active\` and the \`restored*\` keys). Override what is wrong with \`--metadata type.key=value\`.`,
    "",
    "## Step 4: recover",
    "",
    `Takes ${minutesText(timings[3].minMinutes + timings[4].minMinutes + timings[5].minMinutes)} to ${minutesText(timings[3].maxMinutes + timings[4].maxMinutes + timings[5].maxMinutes)} from warm storage; add about 4 h for a point in cold storage.`,
    "",
    ...code("bash", [`${CLI} recover --yes --stack ${drStack}`]),
    "",
    `It restores the chosen points in parallel in ${drRegion} (RDS 15-45 min, per the guide), sets \`dr-app:mode active\` and the restored identifiers on \`${drStack}\`, runs \`pulumi up\` on it through the Automation API (${view.dr.activeCapacity.desiredCapacity} ${drCompute.unit}s, ${view.dr.activeCapacity.minSize}-${view.dr.activeCapacity.maxSize}; the update changes only ${drCompute.flipped}, in ${drRegion}, and calls no IAM or Route 53 API), waits until every ${drCompute.unit} in service runs the new ${drCompute.version} (\`--rollout-timeout\`, 30 min: one still on the previous configuration would answer the health check too), checks \`$DR_HEALTH_URL\` for up to 10 min and writes the report (measured RTO, achieved RPO) to \`reports/\`.`,
    "",
    `Each entry of \`${prodStack}\`'s data inventory (\`dr-app:data\`), wired by its logical name in \`dr-app:restoredData\`:`,
    "",
    ...inventoryRows(view.prod.data, "restored"),
    "",
    "**Check:**",
    "",
    ...code("bash", [
      `echo $?    # 0 done; 1 partial (a restore failed or unhealthy); 2 bad input, nothing started; 3 failed; 130 interrupted`,
      `pulumi stack output mode --stack ${drStack}    # active`,
      `pulumi config --stack ${drStack} | grep restored`,
      `curl --fail --silent --show-error --max-time 10 "$DR_HEALTH_URL"`,
      `ls -t "$DR_WORK_DIR/reports" | head -2   # the run's report, JSON and Markdown`,
    ]),
    "",
    "If it was interrupted (exit 130) or the shell died, run the same command again: the run journal in `.dr/` keeps every started job, and the re-run waits for them instead of starting new ones.",
    "",
    `If the DR vault's recovery points were deleted or cannot be trusted (someone with the account's credentials), and the stacks deploy an isolated (logically air-gapped) vault: \`dr recover\` already takes a resource's point from it when \`$DR_VAULT\` has no clean one; to take every point from it, add \`--from-isolated\` (and \`--isolated-vault <name or ARN>\` when \`${drStack}\`'s outputs do not name it). The plan lists the resources it holds no copy of (a type AWS Backup does not fully manage, RDS or EBS, copies into it only from a source encrypted with a customer managed key): those come from \`$DR_VAULT\` or not at all.`,
    "",
    ...code("bash", [
      `${CLI} recover --dry-run --from-isolated --stack ${drStack}`,
      `${CLI} recover --yes --from-isolated --stack ${drStack}`,
    ]),
    "",
    "## Step 5: move the traffic",
    "",
    ...(domain
      ? [
          `Takes 2-5 min. Throw the failover switch: one CloudWatch data point in ${drRegion} (a data-plane call there; no Route 53 or IAM call). Route 53's health checkers read it within a minute or two and answer \`${domain}\` with its SECONDARY record, the DR load balancer, once that has healthy ${drCompute.unit}s.`,
          "",
          ...code("bash", [
            switchCommand(drRegion, domain, 1),
            `aws cloudwatch describe-alarms --alarm-names ${failoverAlarmName(domain)} --region ${drRegion} --query 'MetricAlarms[0].StateValue' --output text    # ALARM: serve from ${drRegion}`,
            `dig +short ${domain}`,
            `curl --fail --silent --show-error --max-time 10 "http://${domain}${view.dr.environment.healthCheckPath}"`,
          ]),
          "",
          "**Check:** the name resolves to the DR load balancer's addresses and the application answers. Clients that cache DNS longer than the record's 60-second TTL follow later.",
        ]
      : [
          "No DNS name is configured. Give clients the DR load balancer's name:",
          "",
          ...code("bash", [`pulumi stack output loadBalancerDnsName --stack ${drStack}`]),
        ]),
    "",
    `### While ${drRegion} serves: hold prod as soon as ${primary} is back`,
    "",
    `When ${primary} comes back, \`${prodStack}\`'s ${prodUnit}s start again on the pre-disaster data, and users reach them whenever the DR load balancer has no healthy ${drCompute.unit}; whatever they write there is lost at the failback. \`dr recover\` cannot prevent it (it stays off ${primary}), so hold prod's ${prodUnit}s at zero, then watch \`dr status\`, which reports prod ${prodUnit}s running while \`${drStack}\` is active as a finding (exit 1):`,
    "",
    ...code("bash", [
      `pulumi config set dr-app:holdServers true -s ${prodStack} && pulumi up -s ${prodStack}`,
      `${CLI} status --stack ${drStack}`,
    ]),
    "",
    "`dr failback` lifts the hold itself once prod is on the data brought back.",
    "",
    "## How long it takes",
    "",
    "| step | takes | basis |",
    "|---|---|---|",
    ...timings.map((t) => `| ${t.step} | ${t.minMinutes}-${t.maxMinutes} min | ${t.basis} |`),
    `| **Total, from warm storage** | **${minutesText(fastest)} to ${minutesText(slowest)}** | RTO objective ${rto} min: ${slowest <= rto ? "met" : "NOT met"} at the slow end |`,
    `| **Total, from cold storage** | **${minutesText(fastest + COLD_RESTORE_EXTRA_MINUTES)} to ${minutesText(slowest + COLD_RESTORE_EXTRA_MINUTES)}** | +4 h per AWS Backup's cold restore; RTO ${slowest + COLD_RESTORE_EXTRA_MINUTES <= rto ? "met" : "NOT met"} at the slow end |`,
    "",
    `Restores and the stack update overlap by default (\`--no-overlap\` serializes them), so the real time is usually below the sum. Each drill measures it: replace these figures with your drills' reports.`,
    "",
    "## Roll back: when a step fails",
    "",
    `- **Restore jobs failed** (exit 1): each failed restore has a \`next for <type> <name>\` note in the summary and the report, from AWS's message: a key policy or quota to fix first (a retry alone fails the same way), another name or instance class to pass with \`--metadata\`, or a plain retry. Then start new jobs for the failed ones only (\`dr rehearse --scenario restore-capacity -- --retry-failed --metadata rds.DBInstanceClass=<class>\` practises it):`,
    "",
    ...code("bash", [
      `${CLI} recover --yes --retry-failed --stack ${drStack}   # with --metadata <type>.<key>=<value> when the note says so`,
    ]),
    "",
    `- **\`pulumi up\` of \`${drStack}\` failed** (exit 3): the restored data is kept; only the stack update is to repeat.`,
    "",
    ...code("bash", [
      `pulumi stack history --stack ${drStack}          # the failed update and the one before it`,
      `pulumi config get dr-app:mode --stack ${drStack}`,
      `pulumi refresh --stack ${drStack} --yes          # after an interrupted update: clear pending operations`,
      `${CLI} recover --yes --stack ${drStack}          # re-run: waits for finished restores, retries the update`,
    ]),
    "",
    `- **Stand down** (the primary came back mid-way, or the DR side is unusable): return \`${drStack}\` to zero capacity. The restored resources stay (nothing is deleted); delete them by hand once no longer needed.`,
    "",
    ...code("bash", [
      `pulumi config set dr-app:mode standby --stack ${drStack}`,
      `pulumi up --stack ${drStack} --yes`,
    ]),
    "",
    ...(domain
      ? [
          `  If the switch was already thrown, set it back first, so \`${domain}\` goes back to ${primary}:`,
          "",
          ...code("bash", [switchCommand(drRegion, domain, 0)]),
          "",
        ]
      : []),
    `## Fail back to ${primary}`,
    "",
    `When ${primary} is healthy again. The DR side has taken writes since the failover; \`dr failback\` brings every one of them back before traffic does (it needs the Pulumi CLI and AWS credentials, like \`dr recover\`). Practise it with \`--drill\` while \`${drStack}\` is active, print the plan with this deployment's values, then run it:`,
    "",
    ...code("bash", [
      `${CLI} failback --stack ${drStack} --prod-stack ${prodStack} --drill --yes    # fbdrill- copies in ${primary}, checked, deleted`,
      `${CLI} failback --stack ${drStack} --prod-stack ${prodStack} --dry-run`,
      `${CLI} failback --stack ${drStack} --prod-stack ${prodStack} --yes`,
    ]),
    "",
    `What comes back, per entry of the data inventory (prod's \`dr-app:restoredData\` then names each copy):`,
    "",
    ...inventoryRows(view.prod.data, "back"),
    "",
    "It runs these steps, in order (the same list the command follows):",
    "",
    ...failbackSteps({
      drStack,
      prodStack,
      drRegion,
      primaryRegion: primary,
      domainName: domain,
      drCompute: view.dr.environment.compute,
      prodCompute: view.prod.environment.compute,
    }).map((step, i) => `${i + 1}. **${step.title}**: ${step.detail}`),
    "",
    `Re-run the same command after a crash or Ctrl-C: it resumes at the step it stopped in and starts no job twice. A step that fails stops it before traffic moves (writes stay frozen, ${domain ? `\`${domain}\`` : "the application"} stays on ${drRegion}); the report (\`reports/failback-<run id>.md\`) says which step and why, with the failback time, the freeze window and the writes lost.`,
    "",
    "After it:",
    "",
    `- **Check that protection resumed**: the next backups run in ${primary} and their copies land in ${drRegion} (worst case in ${drRegion}: ${drWorst ?? "unbounded"} min):`,
    "",
    ...code("bash", [
      `aws backup list-backup-jobs --by-backup-vault-name "$PRIMARY_VAULT" --region ${primary} --max-results 10 --query 'BackupJobs[].{Type:ResourceType,State:State,Created:CreationDate}' --output table`,
      `${CLI} status --stack ${drStack}`,
    ]),
    "",
    `- **Clean up**: the resources restored in ${drRegion}, and prod's pre-disaster ones in ${primary}, are never deleted by the recovery CLI. Delete them once \`${prodStack}\` has run a day on the failed-back data and new copies are in \`$DR_VAULT\`.`,
    "",
    "## Drills",
    "",
    "A restore you have not practised is a guess. Every quarter (first week of January, April, July and October):",
    "",
    ...code("bash", [
      `${CLI} status --stack ${drStack}`,
      `${CLI} drill --stack ${drStack}    # restores into drill-named resources, checks them, deletes exactly what it restored`,
    ]),
    "",
    `Once a year, the full drill also switches \`${drStack}\` to active and back. It never throws the failover switch, so production traffic stays where it is${domain ? ` (the SECONDARY record of \`${domain}\` is answered only while the switch is 1)` : ""}:`,
    "",
    ...code("bash", [`${CLI} drill --flip --stack ${drStack}`]),
    "",
    `After each drill, put the report from \`reports/\` in the incident folder, compare its measured RTO with ${rto} min and its achieved RPO with ${rpo} min, fix what was slow or broken, and generate this runbook again (\`${CLI} runbook --from-stack\`).`,
    "",
  );
  return lines.join("\n");
}
