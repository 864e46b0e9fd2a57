import { expect } from "chai";
import { failbackSteps } from "../../../scripts/recovery/failback/steps";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DrError, ExitCode } from "../../../scripts/errors";
import * as runbookCommand from "../../../scripts/commands/runbook";
import { EXAMPLE_COMMAND } from "../../../scripts/runbook/command";
import { Deployment, readDeployment, resolveStackPair } from "../../../scripts/deployment/model";
import { loadProject, resolveStackConfig } from "../../../scripts/deployment/projectConfig";
import { readStackOutputs } from "../../../scripts/runbook/outputs";
import { renderRunbook } from "../../../scripts/runbook/render";
import { runCommand } from "../../helpers/command";
import { projectCopy } from "../../helpers/projectCopy";
import { installPulumiStub, PulumiStub } from "../../fakes/pulumiStub";

const REPO = path.resolve(__dirname, "..", "..", "..");
const EXAMPLE = path.join(REPO, "docs", "runbook-example.md");

const PROD_OUTPUTS = {
  role: "primary",
  region: "us-east-1",
  drRegion: "us-west-2",
  primaryVaultName: "app-primary-vault-3f9a2c1",
  primaryVaultArn: "arn:aws:backup:us-east-1:111122223333:backup-vault:app-primary-vault-3f9a2c1",
  drVaultName: "app-dr-vault-8b7e6d5",
  backupRoleArn: "arn:aws:iam::111122223333:role/app-backup-role-1234567",
  appBucketName: "app-bucket-5e4d3c2",
  replicaBuckets: { "app-bucket-5e4d3c2": "app-replica-0-7a6b5c4" },
  dbEndpoint: "app-db.abc123.us-east-1.rds.amazonaws.com:5432",
  healthCheckUrl: "http://app-alb-111.us-east-1.elb.amazonaws.com/health",
};

const DR_OUTPUTS = {
  role: "dr",
  mode: "standby",
  region: "us-west-2",
  primaryRegion: "us-east-1",
  drVaultName: "app-dr-vault-8b7e6d5",
  primaryVaultName: "app-primary-vault-3f9a2c1",
  backupRoleArn: "arn:aws:iam::111122223333:role/app-backup-role-1234567",
  healthCheckUrl: "http://app-alb-222.us-west-2.elb.amazonaws.com/health",
  loadBalancerDnsName: "app-alb-222.us-west-2.elb.amazonaws.com",
  replicaBuckets: { "app-bucket-5e4d3c2": "app-replica-0-7a6b5c4" },
  appBucketName: "app-replica-0-7a6b5c4",
};

/**
 * The recovery steps (Step 1 to Step 5) rely on the DR region's data planes only (the AWS Fault Isolation
 * Boundaries paper): no IAM, Route 53 (records, health checks, ARC configuration), CloudFront or
 * Organizations call, and no update of a stack but dr.
 */
function expectStaticallyStableRecovery(markdown: string): void {
  const start = markdown.indexOf("## Step 1:");
  const end = markdown.indexOf("## How long it takes");
  expect(start, "Step 1").to.be.greaterThan(0);
  expect(end, "the timings after Step 5").to.be.greaterThan(start);
  const steps = markdown.slice(start, end);
  expect(steps.match(/\baws (iam|route53\S*|cloudfront|organizations)\b/g) ?? []).to.deep.equal([]);
  expect(steps.match(/pulumi up --stack (?!dr\b)\S+/g) ?? []).to.deep.equal([]);
}

function repository(stack = "dr"): Deployment {
  return readDeployment(REPO, stack);
}

/** Runs `dr runbook <args>` in `cwd`, capturing what it writes. */
async function runbook(args: string[], { cwd }: { cwd: string }): Promise<{ out: string; err: string }> {
  const { out, err } = await runCommand(runbookCommand, ["runbook", ...args], { cwd });
  return { out, err };
}

describe("runbook", () => {
  describe("GIVEN the repository's stacks (config only)", () => {
    let text: string;
    before(() => {
      text = renderRunbook({
        deployment: repository(),
        prodOutputs: {},
        drOutputs: {},
        outputsSource: "none read, config only",
        regenerate: EXAMPLE_COMMAND,
        checkout: "/opt/restorekit-dr",
      });
    });

    it("THEN docs/runbook-example.md is what the generator writes (regenerate: npm run runbook -- --out docs/runbook-example.md)", () => {
      expect(fs.readFileSync(EXAMPLE, "utf8")).to.equal(text);
    });

    it("THEN its recovery steps call no IAM and no Route 53 API, and update no stack but dr", () => {
      expectStaticallyStableRecovery(text);
    });

    it("THEN it gives the exact commands, in order, for the dr stack in us-west-2", () => {
      const steps = [
        'aws backup describe-backup-vault --backup-vault-name "$PRIMARY_VAULT" --region us-east-1',
        '"$DR_CHECKOUT/scripts/bin/restorekit-dr.js" status --stack dr',
        'aws backup list-recovery-points-by-backup-vault --backup-vault-name "$DR_VAULT" --region us-west-2',
        '"$DR_CHECKOUT/scripts/bin/restorekit-dr.js" recover --dry-run --stack dr',
        '"$DR_CHECKOUT/scripts/bin/restorekit-dr.js" recover --yes --stack dr',
        '"$DR_CHECKOUT/scripts/bin/restorekit-dr.js" recover --dry-run --from-isolated --stack dr',
        '"$DR_CHECKOUT/scripts/bin/restorekit-dr.js" recover --yes --from-isolated --stack dr',
        "pulumi stack output loadBalancerDnsName --stack dr",
        '"$DR_CHECKOUT/scripts/bin/restorekit-dr.js" recover --yes --retry-failed --stack dr',
        "pulumi stack history --stack dr",
        "pulumi config set dr-app:mode standby --stack dr",
        '"$DR_CHECKOUT/scripts/bin/restorekit-dr.js" failback --stack dr --prod-stack prod --yes',
        '"$DR_CHECKOUT/scripts/bin/restorekit-dr.js" drill --stack dr',
        '"$DR_CHECKOUT/scripts/bin/restorekit-dr.js" drill --flip --stack dr',
      ];
      let from = 0;
      for (const step of steps) {
        const at = text.indexOf(step, from);
        expect(at, `"${step}" after position ${from}`).to.be.greaterThan(-1);
        from = at;
      }
    });

    it("THEN it states the regions, stacks, plan, objectives and the plan's worst-case RPO", () => {
      expect(text).to.contain("# Disaster recovery runbook: dr-app (prod in us-east-1, dr in us-west-2)");
      expect(text).to.contain("| RPO objective | 1800 min; worst case in us-west-2: **1680 min**");
      expect(text).to.contain(
        "1440 (longest gap between runs of cron(0 3 * * ? *) in Etc/UTC) + 180 (completion window) + 60 (copy landing in us-west-2) = 1680 min",
      );
      expect(text).to.contain("| Worst case in us-east-1 | 180 min");
      expect(text).to.contain(
        "| RTO objective | 480 min; expected failover 29 min to 1 h 29 min from warm storage",
      );
      expect(text).to.contain(
        "| `daily-backup` | `cron(0 3 * * ? *)` UTC | 60 / 180 min | cold after 7 days, deleted after 97 | yes: cold after 7 days, deleted after 97 |",
      );
      expect(text).to.contain(
        "| `hourly-backup` | `cron(0 * * * ? *)` UTC | 60 / 120 min | kept 3 days | no (primary region only) |",
      );
      expect(text).to.contain("RDS 15-45 min, per the guide");
      expect(text).to.contain("their restore takes about 4 h longer");
    });

    it("THEN every value only the stacks know is a marked pulumi stack output look-up", () => {
      expect(text).to.contain(
        'export DR_VAULT="$(pulumi stack output drVaultName --stack dr)"  # PLACEHOLDER',
      );
      expect(text).to.contain(
        'export PRIMARY_VAULT="$(pulumi stack output primaryVaultName --stack dr)"  # PLACEHOLDER',
      );
      expect(text).to.contain('export DR_REGION="us-west-2"  # DR region');
      expect(text).to.contain("> **PLACEHOLDER values.**");
    });

    it("THEN it says to hold prod once the primary region is back, and that dr status reports it", () => {
      const hold = text.slice(
        text.indexOf("### While us-west-2 serves"),
        text.indexOf("## How long it takes"),
      );
      expect(hold).to.contain("pulumi config set dr-app:holdServers true -s prod && pulumi up -s prod");
      expect(hold).to.contain("reports prod servers running while `dr` is active as a finding (exit 1)");
    });

    it("THEN the fail-back is dr failback's own steps, in its order, with this deployment's names", () => {
      const failBack = text.slice(text.indexOf("## Fail back to us-east-1"), text.indexOf("## Drills"));
      expect(failBack).to.contain(
        '"$DR_CHECKOUT/scripts/bin/restorekit-dr.js" failback --stack dr --prod-stack prod --dry-run',
      );
      const steps = failbackSteps({
        drStack: "dr",
        prodStack: "prod",
        drRegion: "us-west-2",
        primaryRegion: "us-east-1",
      });
      let at = 0;
      steps.forEach((step, i) => {
        const line = `${i + 1}. **${step.title}**: ${step.detail}`;
        expect(failBack.indexOf(line, at), line).to.be.greaterThan(at);
        at = failBack.indexOf(line, at);
      });
      expect(failBack).not.to.contain("pg_dump");
    });
  });

  describe("GIVEN the service example's stacks (two databases, three tables, a file system, two buckets)", () => {
    let text: string;
    before(() => {
      const example = (stack: string) =>
        fs.readFileSync(path.join(REPO, "docs", "examples", "service", `Pulumi.${stack}.yaml`), "utf8");
      const dir = projectCopy({
        files: { "Pulumi.prod.yaml": example("prod"), "Pulumi.dr.yaml": example("dr") },
      });
      try {
        text = renderRunbook({
          deployment: readDeployment(dir, "dr"),
          prodOutputs: {},
          drOutputs: {},
          outputsSource: "none",
          regenerate: "x",
          checkout: "/opt/restorekit-dr",
        });
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("THEN the recovery step names each inventory entry and what it is restored as", () => {
      const step = text.slice(text.indexOf("## Step 4: recover"), text.indexOf("## Step 5:"));
      for (const row of [
        "| `orders-db` | rds | a new DB instance from its newest point; its own credential secret gets a new master password |",
        "| `users-db` | rds |",
        "| `orders` | dynamodb |",
        "| `sessions` | dynamodb |",
        "| `events` | dynamodb |",
        "| `shared` | efs | a new file system (data under `aws-backup-restore_<time>`), mount targets from the stack |",
        "| `assets` | s3 |",
        "| `exports` | s3 |",
      ]) {
        expect(step).to.contain(row);
      }
    });

    it("THEN the failback section names each entry and what comes back", () => {
      const failback = text.slice(text.indexOf("## Fail back to"));
      expect(failback).to.contain(
        "| `users-db` | rds | a final backup, copied and restored in prod as an `fb-` DB instance; new master password in prod's secret |",
      );
      expect(failback).to.contain(
        "| `exports` | s3 | the objects written in DR since the recovery copied back into its own prod bucket (every bucket, three at a time) |",
      );
    });

    it("THEN the recovery and the failback steps name the ECS service's calls, not an Auto Scaling group's", () => {
      // Its timings and the warning about prod's pre-disaster data say tasks as well.
      expect(text).to.match(/4b\. `pulumi up` of dr to active \(\d+ tasks\)/);
      expect(text).to.contain(
        "task start (provisioning, image pull) and the ECS service's 300 s health-check grace",
      );
      expect(text).to.contain(
        "so hold prod's tasks at zero, then watch `dr status`, which reports prod tasks running while",
      );
      const recover = text.slice(text.indexOf("## Step 4: recover"), text.indexOf("## Step 5:"));
      expect(recover).to.contain(
        "the update changes only the ECS service's desired count and its task definition, in us-west-2, and calls no IAM or Route 53 API), waits until every task in service runs the new task definition revision (`--rollout-timeout`, 30 min",
      );
      const failback = text.slice(
        text.indexOf("It runs these steps, in order"),
        text.indexOf("Re-run the same command"),
      );
      expect(failback).to.not.match(/Auto Scaling|DescribeInstances|launch template|server/);
      for (const step of [
        "**Write freeze: `prod`'s tasks held at zero, then `dr`'s tasks to zero**: `prod` config holdServers=true, then `pulumi up` (only the ECS service changes: UpdateService desiredCount 0); ECS ListTasks/DescribeTasks of prod's service and ELB DescribeTargetHealth of its target group until no task is left short of STOPPED and no target may take a request (draining ones included) (with dr's tasks gone Route 53 answers prod's record whatever its health, and prod's tasks run the pre-disaster data). Then `dr` config drActiveMinSize=0 and drActiveDesiredCapacity=0, then `pulumi up` (only the ECS service changes: UpdateService desiredCount 0); ECS ListTasks/DescribeTasks of dr's service and ELB DescribeTargetHealth of its target group until no task is left short of STOPPED and no target may take a request (draining ones included).",
        "A re-run first checks the freeze still holds (capacity 0, no dr task)",
        "then `pulumi up`: the tasks start on the restored data (a new task definition revision), every S3 object already back.",
        "While `prod`'s tasks are still held at zero, for every bucket",
        "**`prod`'s health checked**: ECS DescribeServices, DescribeTaskDefinition and ListTasks/DescribeTasks, and ELB DescribeTargetHealth, in us-east-1 until the PRIMARY deployment of prod's service runs the family's latest task definition revision, no older deployment runs a task, and every task of it is healthy in the target group with no other target healthy (a deployment the circuit breaker rolled back stops here; --rollout-timeout); then GET of prod's health check URL",
        "its restored identifiers removed, then `pulumi up` (the ECS service's desired count 0, UpdateService: standby runs no task).",
      ]) {
        expect(failback).to.contain(step);
      }
    });
  });
  describe("GIVEN --outputs and --prod-outputs files", () => {
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "runbook-outputs-"));
      fs.writeFileSync(path.join(dir, "dr.json"), JSON.stringify(DR_OUTPUTS));
      fs.writeFileSync(path.join(dir, "prod.json"), JSON.stringify(PROD_OUTPUTS));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("THEN the real names replace the placeholders", async () => {
      const { out } = await runbook(
        [
          "--work-dir",
          REPO,
          "--outputs",
          path.join(dir, "dr.json"),
          "--prod-outputs",
          path.join(dir, "prod.json"),
        ],
        { cwd: dir },
      );
      expect(out).to.not.contain("PLACEHOLDER");
      expect(out).to.contain('export DR_VAULT="app-dr-vault-8b7e6d5"');
      expect(out).to.contain('export PRIMARY_VAULT="app-primary-vault-3f9a2c1"');
      expect(out).to.contain('export REPLICA_BUCKET="app-replica-0-7a6b5c4"');
      expect(out).to.contain(
        'export PRIMARY_HEALTH_URL="http://app-alb-111.us-east-1.elb.amazonaws.com/health"',
      );
      expect(out).to.contain("stack outputs: read from dr.json and prod.json");
    });

    it("THEN --out writes the file and says where", async () => {
      const file = path.join(dir, "out", "RUNBOOK.md");
      const { out, err } = await runbook(
        ["--work-dir", REPO, "--outputs", path.join(dir, "dr.json"), "--out", file],
        { cwd: dir },
      );
      expect(out).to.equal("");
      expect(err).to.contain("RUNBOOK.md");
      expect(fs.readFileSync(file, "utf8")).to.contain('export DR_VAULT="app-dr-vault-8b7e6d5"');
    });
  });

  describe("GIVEN --from-stack", () => {
    let stub: PulumiStub;
    beforeEach(() => {
      stub = installPulumiStub({ outputs: DR_OUTPUTS });
      stub.update((state) => {
        state.stacks.prod.outputs = PROD_OUTPUTS;
      });
      for (const file of ["Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.dr.yaml"]) {
        fs.copyFileSync(path.join(REPO, file), path.join(stub.workDir, file));
      }
    });
    afterEach(() => stub.dispose());

    it("THEN reads both stacks' outputs through the Automation API and changes nothing", async () => {
      const { out } = await runbook(["--from-stack", "--pulumi-root", stub.root], { cwd: stub.workDir });
      expect(out).to.contain('export DR_VAULT="app-dr-vault-8b7e6d5"');
      expect(out).to.contain('export APP_BUCKET="app-bucket-5e4d3c2"');
      expect(out).to.contain("read from stacks prod and dr with the Automation API");
      const commands = stub.calls().map((args) =>
        args
          .filter((a) => !a.startsWith("-"))
          .slice(0, 2)
          .join(" "),
      );
      expect(commands.filter((c) => /^(up|config|destroy|refresh)/.test(c))).to.deep.equal([]);
      expect(commands).to.include("stack output");
    });

    it("THEN a missing Pulumi CLI is one actionable error", async () => {
      try {
        await readStackOutputs(["dr"], {
          workDir: stub.workDir,
          pulumiRoot: path.join(stub.root, "nowhere"),
        });
        expect.fail("expected an error");
      } catch (err) {
        expect((err as Error).message).to.match(/^the Pulumi CLI is not usable .*--outputs <file>$/);
      }
    });
  });

  describe("GIVEN a public DNS name", () => {
    let dir: string;
    let out: string;
    before(async () => {
      dir = projectCopy({
        set: { prod: { route53ZoneId: "Z0123456789ABCDEFGHIJ", domainName: "api.example.com" } },
      });
      out = (await runbook([], { cwd: dir })).out;
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("THEN traffic moves by the failover switch in the DR region, and moves back by it", () => {
      const serveDr =
        "aws cloudwatch put-metric-data --region us-west-2 --namespace DrApp/Failover --metric-name ServeFromDr " +
        "--dimensions DomainName=api.example.com --value 1";
      expect(out).to.contain(
        "`api.example.com` (Route 53 zone `Z0123456789ABCDEFGHIJ`): failover records, PRIMARY on `prod`, SECONDARY on `dr`",
      );
      const step5 = out.slice(
        out.indexOf("## Step 5: move the traffic"),
        out.indexOf("## How long it takes"),
      );
      expect(step5).to.contain(serveDr);
      expect(step5).to.contain(
        "aws cloudwatch describe-alarms --alarm-names ServeFromDr-api.example.com --region us-west-2",
      );
      expect(step5).to.contain("dig +short api.example.com");
      const failBack = out.slice(out.indexOf("## Fail back to us-east-1"));
      // Traffic back by the switch's 0, before dr goes back to standby.
      const switchBack =
        "PutMetricData in us-west-2: DrApp/Failover ServeFromDr DomainName=api.example.com = 0";
      expect(failBack).to.contain(switchBack);
      expect(failBack.indexOf(switchBack)).to.be.lessThan(failBack.indexOf("**`dr` back to standby**"));
    });

    it("THEN the recovery steps call no IAM and no Route 53 API, and update no stack but dr", () => {
      expectStaticallyStableRecovery(out);
    });
  });

  describe("stack files", () => {
    it("GIVEN --stack prod THEN the same pair is found from the other side", () => {
      expect(repository("prod")).to.deep.equal(repository("dr"));
    });

    it("GIVEN an unknown stack THEN the error lists the stacks found", () => {
      expect(() => resolveStackPair(loadProject(REPO), "staging")).to.throw(
        `no Pulumi.staging.yaml in ${REPO}; stacks found: dr (role dr), prod (role primary)`,
      );
    });

    it("GIVEN secure values and YAML lists THEN secrets stay undecrypted and lists read as lists", () => {
      const dir = projectCopy({ append: { prod: "  dr-app:dbPassword:\n    secure: v1:abc\n" } });
      try {
        const view = readDeployment(dir);
        expect(resolveStackConfig(loadProject(dir), "prod").secretKeys).to.deep.equal(["dr-app:dbPassword"]);
        expect(view.prod.database.password).to.not.equal(undefined);
        expect(JSON.stringify(view)).to.not.contain("v1:abc");
        expect(view.dr.environment.availabilityZones).to.deep.equal(["us-west-2a", "us-west-2b"]);
        const text = renderRunbook({
          deployment: view,
          prodOutputs: {},
          drOutputs: {},
          outputsSource: "none",
          regenerate: "x",
          checkout: "/opt/restorekit-dr",
        });
        expect(text).to.not.contain("is not set on `prod`");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("GIVEN a backupPlan the stacks do not know THEN names the file, the key, the value and the known plans", () => {
      const dir = projectCopy({ set: { prod: { backupPlan: "weekly" } } });
      try {
        expect(() => readDeployment(dir)).to.throw(
          `Pulumi.prod.yaml: Configuration 'dr-app:backupPlan' value 'weekly' is not a legal enum value (["seed","daily"])`,
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("GIVEN a value the stacks reject THEN the command fails with the stacks' error instead of a fallback", async () => {
      const dir = projectCopy({ set: { prod: { rpoMinutes: "0" } } });
      try {
        let error: unknown;
        await runbook(["--work-dir", dir], { cwd: dir }).catch((err: unknown) => (error = err));
        expect(error).to.be.instanceOf(DrError);
        expect((error as DrError).exitCode).to.equal(ExitCode.usage);
        expect((error as Error).message).to.equal(
          "Pulumi.prod.yaml: Configuration 'dr-app:rpoMinutes' value '0' is outside of the legal range (min 1, inclusive)",
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
