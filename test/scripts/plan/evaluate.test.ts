import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { BackupPlanPresets } from "@restorekit/backup-restore-dr";
import { loadPriceBook } from "../../../scripts/cost/prices";
import { loadProject, resolveStackConfig } from "../../../scripts/deployment/projectConfig";
import { ProjectChanges, projectCopy } from "../../helpers/projectCopy";
import { evaluatePlan, PlanResult, primaryPlaceholderOutputs } from "../../../scripts/plan/evaluate";
import { wrapLine } from "../../../scripts/output";
import { keyInputs, resourceCounts, shortType } from "../../../scripts/plan/display";
import { hourlyCharges } from "../../../scripts/plan/hourlyCharges";
import { auditFrameworkCost, UNSCOPED_AUDIT } from "../../../scripts/cost/auditFramework";
import { renderFlip, renderPosture } from "../../../scripts/plan/posture";
import { renderText as renderWithPrices, TEXT_WIDTH } from "../../../scripts/plan/render";

/** The price file `dr cost` reads by default, which the plan prices its hourly items from. */
const prices = loadPriceBook();
const renderText = (result: PlanResult) => renderWithPrices(result, prices);

const PROJECT_DIR = path.resolve(__dirname, "..", "..", "..");

function find(result: PlanResult, type: string, name: string) {
  const found = result.resources.filter((r) => r.type === type && r.name === name);
  expect(found, `${type} ${name}`).to.have.length(1);
  return found[0];
}

describe("offline plan: evaluation and rendering", function () {
  this.timeout(60_000);
  let prod: PlanResult;
  let standby: PlanResult;

  before(async () => {
    prod = await evaluatePlan({ projectDir: PROJECT_DIR, stack: "prod" });
    standby = await evaluatePlan({ projectDir: PROJECT_DIR, stack: "dr" });
  });

  it("renders prod as a preview: header, resource table, outputs, posture, hourly charges, diagnostics", () => {
    const text = renderText(prod);
    const lines = text.split("\n");
    expect(lines[0]).to.match(/^Previewing update \(prod\) offline: /);
    expect(lines[1]).to.equal(
      "Config: Pulumi.yaml defaults + Pulumi.prod.yaml; role primary, aws:region us-east-1",
    );
    expect(text).to.match(
      /\+ aws:autoscaling:Group\s+app-asg\s+us-east-1\s+minSize=2 desiredCapacity=3 maxSize=10/,
    );
    expect(text).to.match(/\+ aws:backup:Selection\s+app-selection\s+us-east-1\s+selectionTags=backup=true/);
    expect(text).to.match(
      /\+ aws:ec2:SecurityGroup\s+app-db-sg\s+us-east-1\s+ingress=tcp\/5432<-sg:<unknown> egress=none/,
    );
    expect(text).to.contain("  primaryVaultName: <unknown>");
    // The database windows chosen from the seed plan, clear of the daily 03:00 UTC rule copied to DR.
    expect(text).to.match(
      /\+ aws:rds:Instance\s+app-db\s+us-east-1\s+[^+]*backupWindow=00:10-00:40\s+maintenanceWindow=sun:02:10-sun:02:40/,
    );
    expect(text).to.match(/us-west-2\s+dr\s+1680 min\s+yes\s+97 d\s+7 d\s+governance \(min 3 d, max 97 d\)/);
    expect(text).to.contain("  Copies to us-west-2: daily-backup");
    // No warning about the database password: each stack keeps the credential in its own region.
    // Only the warnings that the database and the volume, under AWS managed keys, miss the isolated vault.
    expect(prod.diagnostics.map((d) => [d.severity, d.message.split(" is not in")[0]])).to.deep.equal([
      ["warning", "data entry 'db' (rds)"],
      ["warning", "data entry 'volume' (ebs)"],
    ]);
    expect(prod.diagnostics.some((d) => /password/i.test(d.message))).to.equal(false);
  });

  it("evaluates dr standby at zero in us-west-2, reading prod through a placeholder StackReference", () => {
    expect(standby.diagnostics).to.deep.equal([]);
    expect(standby).to.deep.include({ role: "dr", mode: "standby", region: "us-west-2" });
    expect(find(standby, "aws:autoscaling/group:Group", "app-asg").inputs).to.deep.include({
      minSize: 0,
      desiredCapacity: 0,
      maxSize: 0,
    });
    expect(standby.stackReferences).to.have.length(1);
    expect(standby.stackReferences[0].note).to.match(/^from prod stack \(offline placeholder/);
    expect(standby.outputs?.drVaultName).to.equal("<prod:drVaultName>");
    expect(standby.posture).to.equal(undefined);
    expect(hourlyCharges(standby.resources, prices)).to.deep.equal([
      {
        charge: "app-alb: application load balancer (hours, LCUs and its public IPv4 addresses)",
        monthlyUsd: 23.73,
        arithmetic:
          "1 ALB x 730 h x $0.0225 + 2 public IPv4 x 730 h x $0.005 = $23.73; LCUs with traffic on top",
      },
      {
        // Without NAT: the EC2 API endpoint the servers attach their data volume through, and Secrets
        // Manager's for their database credential (stacks/interfaceEndpoints.ts).
        charge: "app-ec2-endpoint, app-secretsmanager-endpoint: interface VPC endpoints",
        monthlyUsd: 29.2,
        arithmetic: "4 endpoint-AZ x 730 h x $0.01 = $29.20",
      },
    ]);
    expect(renderText(standby)).to.contain("DR posture: mode standby, capacity 0/0/0 (min/desired/max)");
  });

  it("states which data prod's servers use: its own, or what a failback restored", async () => {
    expect(renderText(prod)).to.contain(
      "  Data the servers use: prod's own (no failed-back identifiers set)",
    );
    const failedBack = await evaluatePlan({
      projectDir: PROJECT_DIR,
      stack: "prod",
      configOverrides: { restoredTableName: "fb-20261130t180000c4-app-table" },
    });
    expect(renderText(failedBack).replace(/\n +/g, " ")).to.contain(
      "Failed-back data the servers use (the rest is prod's own; the pre-disaster resources stay): " +
        "restoredTableName=fb-20261130t180000c4-app-table",
    );
  });

  it("states the dr stack's protection of restored data, with prod's plan from Pulumi.prod.yaml", () => {
    const text = renderText(standby).replace(/\n {8}/g, " ");
    for (const line of [
      "  Restored data protection (exists in standby; selects nothing until a recovery restores tagged resources):",
      "    Selects resources in us-west-2 tagged backup=true (prod's data: RDS, DynamoDB, EBS, S3)",
      "    Stores in <prod:drVaultName>: daily-backup, hourly-backup; first recovery point within 180 min of a restore",
      "    Copies to <prod:primaryVaultArn>: daily-backup; within 1680 min once us-east-1 answers",
      "    While us-east-1 is down: a copy to us-east-1 that cannot start retries for 2 hours (CREATED), then fails;",
    ]) {
      expect(text).to.contain(line);
    }
    // Pulumi.prod.yaml names backupPlan seed; copyLandingMinutes is the project default.
    const plan = standby.stackReferences[0].outputs.restoredDataPlan as Record<string, unknown>;
    expect(plan).to.deep.equal({
      rules: BackupPlanPresets.seed().rules,
      selectionTags: { backup: "true" },
      copyLandingMinutes: 60,
      databaseWindows: { backupWindow: "00:10-00:40", maintenanceWindow: "sun:02:10-sun:02:40" },
    });
  });

  it("with auditFramework, prices the framework's control evaluations as dr cost does: unverified, over the resources its controls' tag selects", async () => {
    const dir = projectCopy({ set: { prod: { auditFramework: "true" } } });
    try {
      const audited = await evaluatePlan({ projectDir: dir, stack: "prod" });
      const framework = find(audited, "aws:backup/framework:Framework", "app-audit");
      expect(framework.inputs.region).to.equal("us-east-1");
      const charges = hourlyCharges(audited.resources, prices).filter((c) =>
        c.charge.startsWith("app-audit"),
      );
      expect(charges).to.deep.equal([
        {
          charge: "app-audit: AWS Backup Audit Manager control evaluations (us-east-1), unverified price",
          monthlyUsd: 0.49,
          arithmetic:
            "4 controls (RESTORE_TIME_FOR_RESOURCES_MEET_TARGET, BACKUP_LAST_RECOVERY_POINT_CREATED, BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION, BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK) x 4 resources x 30.42 days (assumed: each control evaluates each resource once a day) = 486.67 evaluations x $0.001/evaluation = $0.49",
        },
      ]);
      expect(
        hourlyCharges(prod.resources, prices).filter((c) => c.charge.includes("Audit Manager")),
      ).to.deep.equal([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("GIVEN a framework whose controls have no tag scope THEN neither dr plan nor dr cost prices it at $0: both say it is not estimated", () => {
    const controls = [{ name: "RESTORE_TIME_FOR_RESOURCES_MEET_TARGET" }];
    const framework = { type: "aws:backup/framework:Framework", name: "app-audit", custom: true };
    const tagged = { type: "aws:rds/instance:Instance", name: "db", custom: true };
    const charges = hourlyCharges(
      [
        { ...framework, inputs: { region: "us-east-1", controls } },
        { ...tagged, inputs: { instanceClass: "db.t3.micro", tags: { backup: "true" } } },
      ],
      prices,
    ).filter((c) => c.charge.startsWith("app-audit"));
    expect(charges).to.deep.equal([
      { charge: "app-audit: AWS Backup Audit Manager control evaluations", arithmetic: UNSCOPED_AUDIT },
    ]);
    const cost = auditFrameworkCost({ controls: controls.map((c) => c.name) }, "us-east-1", prices);
    expect(cost.lines).to.deep.equal([]);
    expect(cost.notes).to.deep.equal([
      `${UNSCOPED_AUDIT} (us-east-1: RESTORE_TIME_FOR_RESOURCES_MEET_TARGET).`,
    ]);
  });

  it("prices what bills by the hour from the cost command's price file, and says what it has no price for", () => {
    expect(prices.prices.natGatewayHour.usd).to.equal(0.045);
    expect(hourlyCharges(prod.resources, prices)).to.deep.equal([
      {
        charge: "app-vpc: NAT gateways (Single) and their Elastic IPs",
        monthlyUsd: 36.5,
        arithmetic: "1 NAT gateway x 730 h x $0.045 + 1 Elastic IP x 730 h x $0.005 = $36.50",
      },
      {
        charge: "app-alb: application load balancer (hours, LCUs and its public IPv4 addresses)",
        monthlyUsd: 23.73,
        arithmetic:
          "1 ALB x 730 h x $0.0225 + 2 public IPv4 x 730 h x $0.005 = $23.73; LCUs with traffic on top",
      },
      {
        charge: "app-db: RDS db.t3.medium",
        arithmetic: "no RDS db.t3.medium price in the price file: see https://aws.amazon.com/rds/pricing/",
      },
      {
        charge: "app-asg: 3 EC2 instance(s) (min 2)",
        arithmetic:
          "no EC2 t3.small price in the price file: see https://aws.amazon.com/ec2/pricing/on-demand/",
      },
    ]);
    const text = renderText(prod);
    expect(text).to.contain("  app-vpc: NAT gateways (Single) and their Elastic IPs: $36.50/month\n");
    expect(text).to.contain("  app-db: RDS db.t3.medium: not priced\n");
    expect(text).to.contain("  Priced items: $60.23/month");
  });

  it("keeps every line of the text plan within 120 columns", () => {
    for (const result of [prod, standby]) {
      const long = renderText(result)
        .split("\n")
        .filter((line) => line.length > TEXT_WIDTH);
      expect(long, result.stack).to.deep.equal([]);
    }
    // A row too wide for the table puts its inputs on the next line, in full.
    expect(renderText(prod)).to.contain(
      "\n      daily-backup: cron(0 3 * * ? *) keep 97d cold 7d copy->us-west-2 (DR) copy->us-west-2 (DR) again; hourly-backup:\n",
    );
  });

  it("prints each structured value as complete JSON that JSON.parse reads back: nested, never wrapped or cut", () => {
    /** The value the text prints for `key` in the section that starts with `heading`, parsed. */
    const printed = (text: string, heading: string, key: string): unknown => {
      const lines = text.slice(text.indexOf(`\n${heading}`) + 1).split("\n");
      const at = lines.findIndex((line) => line.startsWith(`  ${key}:`));
      expect(at, `${heading} ${key}`).to.be.greaterThan(0);
      const inline = lines[at].slice(`  ${key}:`.length).trim();
      if (inline !== "") return JSON.parse(inline);
      const block = lines.slice(at + 1);
      const end = block.findIndex((line) => !line.startsWith("    "));
      return JSON.parse(block.slice(0, end).join("\n"));
    };
    const text = renderText(standby);
    expect(text).to.not.contain("…");
    const reference = standby.stackReferences[0].outputs;
    const restoredDataPlan = printed(text, "StackReference prod:", "restoredDataPlan") as Record<
      string,
      never
    >;
    expect(restoredDataPlan).to.deep.equal(reference.restoredDataPlan);
    expect(restoredDataPlan.rules[0]).to.deep.include({
      name: "daily-backup",
      schedule: "cron(0 3 * * ? *)",
    });
    expect(restoredDataPlan.rules[0]).to.have.nested.property("lifecycle.deleteAfterDays", 97);
    expect(printed(text, "StackReference prod:", "failoverSwitch")).to.have.nested.property(
      "dimensions.DomainName",
      "",
    );
    const outputs = standby.outputs ?? {};
    for (const [key, value] of Object.entries(outputs)) {
      if (typeof value !== "object" || key === "restoredDataProtection") continue;
      expect(printed(text, "Outputs:", key), key).to.deep.equal(value);
    }
    expect(printed(text, "Outputs:", "restoredSettings")).to.have.nested.property(
      "selectionTags.backup",
      "true",
    );
    for (const [key, value] of Object.entries(prod.outputs ?? {})) {
      if (typeof value !== "object" || key === "posture") continue;
      expect(printed(renderText(prod), "Outputs:", key), key).to.deep.equal(value);
    }
    // The dr stack's protection of restored data is the DR posture's subject, printed there readably.
    expect(text).to.contain("\n  restoredDataProtection: (below)\n");
  });

  it("wraps a long line at spaces with a hanging indent, and cuts a word longer than a line", () => {
    expect(wrapLine(`  ${"word ".repeat(30).trim()}`, 40)).to.deep.equal([
      "  word word word word word word word",
      "      word word word word word word word",
      "      word word word word word word word",
      "      word word word word word word word",
      "      word word",
    ]);
    expect(wrapLine(`  key=${"x".repeat(60)}`, 40)).to.deep.equal([`  key=${"x".repeat(33)}…`]);
  });

  it("counts the resources of each type, the most numerous first", () => {
    const counts = resourceCounts(prod.resources);
    expect(counts.reduce((sum, [, count]) => sum + count, 0)).to.equal(prod.resources.length);
    expect(Object.fromEntries(counts)).to.deep.include({
      "aws:backup/vault:Vault": 2,
      "aws:kms/key:Key": 2,
      "aws:backup/plan:Plan": 1,
    });
    expect(counts.map(([, count]) => count)).to.deep.equal(
      [...counts.map(([, count]) => count)].sort((a, b) => b - a),
    );
    const [[firstType, firstCount]] = counts;
    expect(renderText(prod)).to.contain(`\nBy type: ${firstCount} ${shortType(firstType)}, `);
  });

  it("reports an objective the plan cannot meet with the component's message and arithmetic", async () => {
    const result = await evaluatePlan({
      projectDir: PROJECT_DIR,
      stack: "prod",
      configOverrides: { rpoMinutes: "1440" },
    });
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors).to.have.length(1);
    expect(errors[0].message).to.match(
      /^Running program 'stacks\/index.ts' failed with an unhandled exception:\n/,
    );
    expect(errors[0].message).to.contain(
      'BackupRestoreDR "app": objectives.rpoMinutes (1440) cannot be met in the dr region us-west-2: worst case 1680 min',
    );
    expect(result.outputs).to.equal(undefined);
    expect(renderText(result)).to.contain("error: preview failed");
  });

  it("reports a missing stack file as pulumi does, before running anything", async () => {
    const result = await evaluatePlan({ projectDir: PROJECT_DIR, stack: "staging" });
    expect(result.resources).to.deep.equal([]);
    expect(renderText(result)).to.equal(
      `error: no stack named 'staging' found: no Pulumi.staging.yaml in ${PROJECT_DIR}; stacks found: dr, prod\n`,
    );
  });

  it("shows secrets as [secret], in inputs and in the config", async () => {
    const result = await evaluatePlan({
      projectDir: PROJECT_DIR,
      stack: "prod",
      configOverrides: { dbPassword: "correct-horse-battery" },
    });
    expect(find(result, "aws:rds/instance:Instance", "app-db").inputs.password).to.equal("[secret]");
    expect(result.config["dr-app:dbPassword"].value).to.equal("[secret]");
    expect(JSON.stringify(result)).not.to.contain("correct-horse-battery");
  });

  it("shortens type tokens as pulumi does, and summarises the backup plan's rules", () => {
    expect(shortType("aws:autoscaling/group:Group")).to.equal("aws:autoscaling:Group");
    expect(shortType("awsx:ec2:Vpc")).to.equal("awsx:ec2:Vpc");
    expect(
      keyInputs(find(prod, "aws:backup/plan:Plan", "app-plan"), { primary: "us-east-1", dr: "us-west-2" }),
    ).to.equal(
      "daily-backup: cron(0 3 * * ? *) keep 97d cold 7d copy->us-west-2 (DR) copy->us-west-2 (DR) again; hourly-backup: cron(0 * * * ? *) keep 3d",
    );
  });

  it("labels each rule's copy by the region it lands in: prod's in the DR region, the dr stack's in the primary", () => {
    expect(renderText(standby)).to.match(
      /\+ aws:backup:Plan\s+app-restored-plan\s+us-west-2\s+daily-backup: cron\(0 3 \* \* \? \*\) keep 97d cold 7d copy->us-east-1 \(primary\); hourly-backup: /,
    );
    expect(renderText(standby)).to.not.contain("copy->DR");
    // prod's second copy lands in the DR region too, in the isolated vault.
    expect(renderText(prod)).to.match(
      /app-plan\s+us-east-1\s+daily-backup: [^\n]* copy->us-west-2 \(DR\) copy->us-west-2 \(DR\) again;/,
    );
    // A destination whose ARN is known names its own region, whatever the pair.
    const plan = find(standby, "aws:backup/plan:Plan", "app-restored-plan");
    const rules = plan.inputs.rules as Record<string, unknown>[];
    const elsewhere = {
      ...plan,
      inputs: {
        ...plan.inputs,
        rules: [
          {
            ...rules[0],
            copyActions: [
              { destinationVaultArn: "arn:aws:backup:eu-central-1:111122223333:backup-vault:vault" },
            ],
          },
        ],
      },
    };
    expect(keyInputs(elsewhere, { primary: "us-east-1", dr: "us-west-2" })).to.equal(
      "daily-backup: cron(0 3 * * ? *) keep 97d cold 7d copy->eu-central-1",
    );
  });

  it("renders a posture with a lock and without an objective", () => {
    const region = { rpoArithmetic: "a", rules: ["daily"], longestRetentionDays: 35 };
    const lines = renderPosture({
      primary: { ...region, region: "eu-west-1", worstCaseRpoMinutes: 300 },
      dr: {
        ...region,
        region: "eu-central-1",
        worstCaseRpoMinutes: 360,
        lock: { mode: "compliance", minRetentionDays: 7, changeableForDays: 3 },
      },
      replicatedBuckets: 2,
      replicationRpoMinutes: 15,
    });
    expect(lines[1]).to.equal("  Objectives: RPO none, RTO none");
    expect(lines.join("\n")).to.match(
      /eu-central-1\s+dr\s+360 min\s+no objective\s+35 d\s+never\s+compliance \(min 7 d, immutable after 3 d\)/,
    );
    expect(lines.join("\n")).to.contain(
      "S3 replication: 2 bucket(s) to eu-central-1, within 15 min (Replication Time Control)",
    );
  });

  it("rejects a restored bucket that is neither a replica nor named by the recovery CLI", async () => {
    const result = await evaluatePlan({
      projectDir: PROJECT_DIR,
      stack: "dr",
      mode: "active",
      configOverrides: { restoredBucketName: "someone-elses-bucket" },
    });
    expect(result.diagnostics.map((d) => d.message)).to.include(
      "Configuration 'dr-app:restoredBucketName' value 'someone-elses-bucket' must be a replica bucket of the prod " +
        "stack (<prod:replicaBucketNames[0]>) or a restored bucket named dr-... or drill-...: the servers are " +
        "granted no other bucket",
    );
  });

  it("prints what a flip from standby changes and the control planes it calls", async () => {
    const active = await evaluatePlan({
      projectDir: PROJECT_DIR,
      stack: "dr",
      mode: "active",
      configOverrides: {
        restoredDbEndpoint: "dr-20261123t093000a7-app-db.xyz.us-west-2.rds.amazonaws.com:5432",
      },
    });
    const text = renderText(active);
    const posture = text.indexOf("DR posture: mode active");
    const flip = text.indexOf(
      "Flip from standby (this config with dr-app:mode standby and no restored identifiers) changes:",
    );
    expect(posture).to.be.greaterThan(0);
    expect(flip).to.be.greaterThan(posture);
    expect(text.slice(flip).split("\n").slice(0, 4)).to.deep.equal([
      "Flip from standby (this config with dr-app:mode standby and no restored identifiers) changes:",
      "  ~ aws:autoscaling:Group app-asg: desiredCapacity, maxSize, minSize",
      "  ~ aws:ec2:LaunchTemplate app-launch-template: userData",
      "  Control planes called: Auto Scaling (us-west-2), EC2 (us-west-2); outside us-west-2: none.",
    ]);
    expect(standby.flip).to.equal(undefined);
  });

  it("says when a flip is not statically stable, naming the resource and the keys", () => {
    const lines = renderFlip(
      [
        {
          type: "aws:iam/rolePolicy:RolePolicy",
          name: "app-instance-data",
          kind: "changed",
          keys: ["policy"],
          region: "global",
        },
      ],
      "us-west-2",
    );
    expect(lines.slice(1)).to.deep.equal([
      "  ~ aws:iam:RolePolicy app-instance-data: policy",
      "  Control planes called: none; outside us-west-2: IAM (global, us-east-1).",
      "  Not statically stable: a flip must change only the Auto Scaling group and the launch template, but",
      "    aws:iam/rolePolicy:RolePolicy app-instance-data changes policy",
    ]);
  });

  it("prints the monthly cost of the interface endpoints under what bills by the hour", async () => {
    const result = await evaluatePlan({
      projectDir: PROJECT_DIR,
      stack: "dr",
      configOverrides: { interfaceEndpoints: "true" },
    });
    expect(
      hourlyCharges(result.resources, prices).map(({ charge, arithmetic }) => [charge, arithmetic]),
    ).to.deep.equal([
      [
        "app-alb: application load balancer (hours, LCUs and its public IPv4 addresses)",
        "1 ALB x 730 h x $0.0225 + 2 public IPv4 x 730 h x $0.005 = $23.73; LCUs with traffic on top",
      ],
      [
        "app-ssm-endpoint, app-ssmmessages-endpoint, app-ec2messages-endpoint, app-logs-endpoint, app-ec2-endpoint, app-secretsmanager-endpoint: interface VPC endpoints",
        "12 endpoint-AZ x 730 h x $0.01 = $87.60",
      ],
    ]);
    expect(renderText(result)).to.contain("  app-ssm-endpoint, app-ssmmessages-endpoint");
  });
});

describe("offline plan: the prod stack a dr stack reads (placeholder StackReference)", () => {
  const made: string[] = [];
  after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  /** The placeholder the dr stack of a copy of the repository's files gets. */
  function placeholderWith(changes: ProjectChanges) {
    const dir = projectCopy(changes);
    made.push(dir);
    const project = loadProject(dir);
    return primaryPlaceholderOutputs(project, resolveStackConfig(project, "dr"));
  }

  it("GIVEN Pulumi.prod.yaml THEN its settings give the numbers: objectives, buckets, database port", () => {
    const fixture = placeholderWith({
      set: { prod: { rpoMinutes: "1700", dbEngine: "mysql" } },
      append: { prod: "  dr-app:replicatedBuckets:\n    - legacy-reports\n" },
    });
    expect(fixture.note).to.equal(
      "from prod stack (offline placeholder: names and ARNs from a deployment; numbers from Pulumi.prod.yaml)",
    );
    expect(fixture.outputs).to.deep.include({ rpoMinutes: 1700, rtoMinutes: 480, dbPort: 3306 });
    expect(fixture.outputs.replicaBuckets).to.deep.equal({
      "<prod:appBucketName>": "<prod:replicaBucketNames[0]>",
      "legacy-reports": "<prod:replicaBucketNames[1]>",
    });
  });

  it("GIVEN a Pulumi.prod.yaml the program rejects THEN the note names its problem and the defaults are used", () => {
    const fixture = placeholderWith({ set: { prod: { rpoMinutes: "0" } } });
    expect(fixture.note).to.equal(
      "from prod stack (offline placeholder: Pulumi.prod.yaml: Configuration 'dr-app:rpoMinutes' value '0' is outside of the legal range (min 1, inclusive), project defaults used)",
    );
    expect(fixture.outputs).to.deep.include({ rpoMinutes: 1800, region: "us-east-1", drRegion: "us-west-2" });
  });

  it("GIVEN a Pulumi.prod.yaml of a dr stack THEN the note says so and the defaults are used", () => {
    const fixture = placeholderWith({
      files: { "Pulumi.prod.yaml": fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dr.yaml"), "utf8") },
    });
    expect(fixture.note).to.equal(
      "from prod stack (offline placeholder: Pulumi.prod.yaml has role dr, project defaults used)",
    );
  });

  it("GIVEN no Pulumi.prod.yaml THEN the project's defaults in the dr stack's regions", () => {
    const fixture = placeholderWith({ omit: ["prod"] });
    expect(fixture.note).to.equal(
      "from prod stack (offline placeholder: no Pulumi.prod.yaml here, project defaults used)",
    );
    expect(fixture.outputs).to.deep.include({ region: "us-east-1", drRegion: "us-west-2", dbPort: 5432 });
  });
});
