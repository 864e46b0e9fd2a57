// Alerts in both regions: SNS topics, EventBridge rules on failed jobs and vault changes, vault alarms.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ComponentContext } from "./context";
import { KEY_DESTRUCTION_ACTIONS } from "./keyPolicy";
import { EVENT_RULE_NAME, physicalName, SNS_TOPIC_NAME } from "./naming";

/** Alerts on failed, aborted and expired backup, copy and restore jobs, in both regions. */
export interface MonitoringArgs {
  /**
   * Create the alerting. Turn off only when another system already watches AWS Backup.
   * Default: true.
   */
  readonly enabled?: boolean;
  /**
   * Email addresses subscribed to the alert topics (each address confirms by email).
   * Default: none: subscribe your pager or chat integration to the `alertTopicArns` yourself.
   */
  readonly emailAddresses?: string[];
  /**
   * CloudWatch alarms on the AWS/Backup job failure metrics of each vault, notifying the same topics.
   * Default: true.
   */
  readonly alarms?: boolean;
}

/**
 * Job kinds AWS Backup reports to EventBridge, with the detail field carrying the job's state. A copy job
 * runs in the region of its source vault, and is reported there only (its EventBridge events, the source
 * vault's COPY_JOB_* notifications and the NumberOfCopyJobs* metrics): the plan copies primary to DR, so
 * copy jobs are watched in the primary region alone.
 */
export const MONITORED_JOBS = [
  { kind: "backup", detailType: "Backup Job State Change", stateField: "state", primaryOnly: false },
  { kind: "copy", detailType: "Copy Job State Change", stateField: "state", primaryOnly: true },
  { kind: "restore", detailType: "Restore Job State Change", stateField: "status", primaryOnly: false },
] as const;

/** A job kind AWS Backup reports: backup, copy or restore. */
export type JobKind = (typeof MONITORED_JOBS)[number]["kind"];

/** Job end states that need a human. */
export const ALERTING_JOB_STATES = ["FAILED", "ABORTED", "EXPIRED"] as const;

/**
 * Vault events AWS still emits that only ever mean trouble. The `BACKUP_JOB_FAILED` family is deprecated
 * and silent; backup and restore failures arrive as `..._COMPLETED` with a failed state, which would also
 * mail every success, so those are caught by the EventBridge rules instead.
 */
export const VAULT_FAILURE_EVENTS = [
  "COPY_JOB_FAILED",
  "S3_BACKUP_OBJECT_FAILED",
  "S3_RESTORE_OBJECT_FAILED",
] as const;

/**
 * The calls that lift a vault's protection (its access policy, its Vault Lock) or delete it. Each one
 * alerts, whoever makes it: when the vaults name no deployer, anyone IAM allows may replace the policy
 * (see `vaults.deployerPrincipalArns`), and this alert is what keeps that from happening silently.
 * EventBridge receives these CloudTrail management events only while a trail with logging enabled records
 * them in the vault's region (EventBridge user guide, "Events from AWS services").
 */
export const VAULT_PROTECTION_CALLS = [
  "PutBackupVaultAccessPolicy",
  "DeleteBackupVaultAccessPolicy",
  "PutBackupVaultLockConfiguration",
  "DeleteBackupVaultLockConfiguration",
  "DeleteBackupVault",
] as const;

/**
 * The KMS calls that destroy a key or lift its protection (the key policy's denied actions, see
 * `vaults.protectKeys`), as CloudTrail names them: the rule matches each one, allowed or denied, since a
 * denied attempt by an admin is the attack this protection is for. CloudTrail records denied calls too
 * (CloudTrail user guide, "errorCode" in the record contents), and these are management events; whether
 * EventBridge delivers a denied call is unverified (no source says so): the alert is sure only for calls
 * that succeed.
 */
export const KEY_PROTECTION_CALLS = KEY_DESTRUCTION_ACTIONS.map((action) => action.replace(/^kms:/, ""));

/** AWS/Backup metrics counting failed jobs, per vault: the primary vault's alarms. */
export const FAILURE_METRICS = [
  "NumberOfBackupJobsFailed",
  "NumberOfCopyJobsFailed",
  "NumberOfRestoreJobsFailed",
] as const;

/** The DR vault's alarms: no copy job runs from it, so its copy-job metric never moves. */
export const DR_FAILURE_METRICS = FAILURE_METRICS.filter((metric) => metric !== "NumberOfCopyJobsFailed");

/** The vault failure events of a region: copy jobs report in the primary (source) region only. */
function vaultFailureEvents(role: MonitoredVault["role"]): string[] {
  return VAULT_FAILURE_EVENTS.filter((event) => role === "primary" || event !== "COPY_JOB_FAILED");
}

/** The vault of one region, as monitoring needs it. */
export interface MonitoredVault {
  readonly role: "primary" | "dr";
  readonly region: string;
  readonly vaultName: pulumi.Output<string>;
}

/**
 * Creates, in each vault's region: an SNS topic that AWS Backup and EventBridge may publish to, optional
 * email subscriptions, EventBridge rules for backup, copy and restore jobs ending FAILED, ABORTED or
 * EXPIRED and for calls lifting the vault's protection, the vault's failure notifications, and CloudWatch alarms on its failure metrics. Returns the
 * topic ARNs, primary first.
 */
export function createMonitoring(ctx: ComponentContext, args: MonitoringArgs, vaults: MonitoredVault[]) {
  return vaults.map((vault) => createRegionalMonitoring(ctx, args, vault).arn);
}

/** One EventBridge rule of an alert topic: its logical name's suffix, its description and its pattern. */
interface AlertRule {
  readonly key: string;
  readonly description: string;
  readonly eventPattern: string;
}

/** The rules for `jobs` ending FAILED, ABORTED or EXPIRED, described with `label`. */
function jobAlertRules(jobs: readonly JobKind[], label: string): AlertRule[] {
  return MONITORED_JOBS.filter((job) => jobs.includes(job.kind)).map((job) => ({
    key: `${job.kind}-job-alerts`,
    description: `${job.detailType} to ${ALERTING_JOB_STATES.join(", ")} (${label})`,
    eventPattern: JSON.stringify({
      source: ["aws.backup"],
      "detail-type": [job.detailType],
      detail: { [job.stateField]: [...ALERTING_JOB_STATES] },
    }),
  }));
}

/**
 * An SNS topic `<prefix>-alerts` in `region` that AWS Backup, EventBridge and CloudWatch may publish to,
 * an EventBridge rule `<prefix>-<key>` per rule targeting it, and optional email subscriptions.
 */
function createAlertTopic(
  prefix: string,
  region: string,
  alertRules: readonly AlertRule[],
  emailAddresses: readonly string[],
  tags: { [key: string]: pulumi.Input<string> },
  opts: pulumi.CustomResourceOptions,
): aws.sns.Topic {
  const topicName = `${prefix}-alerts`;
  const topic = new aws.sns.Topic(
    topicName,
    { region, name: physicalName(topicName, SNS_TOPIC_NAME), tags },
    opts,
  );
  const rules = alertRules.map((rule) => {
    const ruleName = `${prefix}-${rule.key}`;
    return new aws.cloudwatch.EventRule(
      ruleName,
      {
        region,
        name: physicalName(ruleName, EVENT_RULE_NAME),
        description: rule.description,
        eventPattern: rule.eventPattern,
        tags,
      },
      opts,
    );
  });
  new aws.sns.TopicPolicy(
    `${prefix}-alerts-policy`,
    {
      region,
      arn: topic.arn,
      policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AwsBackupVaultNotifications",
            Effect: "Allow",
            Principal: { Service: "backup.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topic.arn,
          },
          {
            Sid: "EventBridgeJobAlerts",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topic.arn,
            Condition: { ArnEquals: { "aws:SourceArn": rules.map((rule) => rule.arn) } },
          },
          {
            Sid: "CloudWatchAlarms",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topic.arn,
          },
        ],
      }),
    },
    opts,
  );
  alertRules.forEach((rule, index) => {
    new aws.cloudwatch.EventTarget(
      `${prefix}-${rule.key}`,
      { region, rule: rules[index].name, arn: topic.arn },
      opts,
    );
  });
  emailAddresses.forEach((address, index) => {
    new aws.sns.TopicSubscription(
      `${prefix}-alerts-email-${index}`,
      { region, topic: topic.arn, protocol: "email", endpoint: address },
      opts,
    );
  });
  return topic;
}

/** Arguments of {@link createJobAlerts}. */
export interface JobAlertsArgs {
  /** The region whose jobs are watched: a copy job reports in its source vault's region. */
  readonly region: string;
  /** The job kinds to alert on. */
  readonly jobs: readonly JobKind[];
  /** Said in each rule's description, e.g. the stack the jobs belong to. */
  readonly label: string;
  /**
   * Email addresses subscribed to the topic (each address confirms by email).
   * Default: none.
   */
  readonly emailAddresses?: string[];
  /**
   * Tags of the topic and the rules.
   * Default: none.
   */
  readonly tags?: { [key: string]: pulumi.Input<string> };
}

/**
 * Alerts on AWS Backup jobs of one region that the component does not run, e.g. a plan of your own in the
 * DR region: the same topic and EventBridge rules as the component's monitoring (`<name>-alerts`, and
 * `<name>-<kind>-job-alerts` for jobs ending FAILED, ABORTED or EXPIRED). Returns the topic.
 */
export function createJobAlerts(
  name: string,
  args: JobAlertsArgs,
  opts: pulumi.CustomResourceOptions = {},
): aws.sns.Topic {
  return createAlertTopic(
    name,
    args.region,
    jobAlertRules(args.jobs, args.label),
    args.emailAddresses ?? [],
    args.tags ?? {},
    opts,
  );
}

function createRegionalMonitoring(ctx: ComponentContext, args: MonitoringArgs, vault: MonitoredVault) {
  const { region, role } = vault;
  const prefix = `${ctx.name}-${role}`;
  const jobs = MONITORED_JOBS.filter((job) => role === "primary" || !job.primaryOnly).map((job) => job.kind);
  const protectionRule: AlertRule = {
    key: "vault-protection-alerts",
    description: `Calls changing a vault's access policy or lock, or deleting a vault (${ctx.name}, ${role})`,
    // Any vault of the region: a filter on the request's vault name would rest on CloudTrail's field
    // naming, and a pattern that never matches fails silently.
    eventPattern: JSON.stringify({
      source: ["aws.backup"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: { eventSource: ["backup.amazonaws.com"], eventName: [...VAULT_PROTECTION_CALLS] },
    }),
  };
  const keyRule: AlertRule = {
    key: "key-protection-alerts",
    description: `Calls scheduling the deletion of, disabling or replacing the policy of a KMS key (${ctx.name}, ${role})`,
    // Any key of the region, as for the vaults: these calls are rare, and a pattern narrowed to the vault
    // key's ARN would miss a key brought by the user under another name.
    eventPattern: JSON.stringify({
      source: ["aws.kms"],
      "detail-type": ["AWS API Call via CloudTrail"],
      detail: { eventSource: ["kms.amazonaws.com"], eventName: [...KEY_PROTECTION_CALLS] },
    }),
  };
  const topic = createAlertTopic(
    prefix,
    region,
    [...jobAlertRules(jobs, `${ctx.name}, ${role}`), protectionRule, keyRule],
    args.emailAddresses ?? [],
    ctx.tags,
    ctx.child,
  );
  new aws.backup.VaultNotifications(
    `${prefix}-vault-notifications`,
    {
      region,
      backupVaultName: vault.vaultName,
      snsTopicArn: topic.arn,
      backupVaultEvents: vaultFailureEvents(role),
    },
    ctx.child,
  );
  if (args.alarms ?? true) {
    for (const metric of role === "primary" ? FAILURE_METRICS : DR_FAILURE_METRICS) {
      new aws.cloudwatch.MetricAlarm(
        `${prefix}-${metric}`,
        {
          region,
          alarmDescription: `AWS Backup ${metric} in ${role} vault of ${ctx.name}`,
          namespace: "AWS/Backup",
          metricName: metric,
          dimensions: { BackupVaultName: vault.vaultName },
          statistic: "Sum",
          period: 3600,
          evaluationPeriods: 1,
          threshold: 0,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "notBreaching",
          alarmActions: [topic.arn],
          tags: ctx.tags,
        },
        ctx.child,
      );
    }
  }
  return topic;
}
