import { ListBackupJobsCommand, ListCopyJobsCommand } from "@aws-sdk/client-backup";
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import { expect } from "chai";
import { StatusReport } from "../../../../scripts/recovery/status/status";
import { Harness, HarnessOptions } from "../../../fakes/harness";
import { SimPoint, simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { resourceArn } from "../../../../scripts/simulation/resourceStore";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;

function drVault(): SimPoint[] {
  return [
    simPoint("RDS", "production-db", NOW, 30 * MIN),
    simPoint("RDS", "production-db", NOW, 90 * MIN),
    simPoint("DynamoDB", "Orders", NOW, 10 * MIN, { status: "PARTIAL" }),
    simPoint("DynamoDB", "Orders", NOW, 45 * MIN),
    simPoint("EBS", "vol-0data", NOW, 20 * MIN),
  ];
}

function primaryVault(): SimPoint[] {
  return [simPoint("RDS", "production-db", NOW, 5 * MIN), simPoint("DynamoDB", "Orders", NOW, 5 * MIN)];
}

describe("dr status", () => {
  let h: Harness;
  const make = (options: Partial<HarnessOptions> = {}, sim: Partial<HarnessOptions["sim"]> = {}) => {
    h = new Harness({
      points: drVault(),
      primaryUp: true,
      sim: { primary: { region: "us-east-1", vaultName: "primary-vault", points: primaryVault() }, ...sim },
      ...options,
    });
    return h;
  };
  afterEach(() => h?.dispose());

  it("GIVEN every resource within its RPO and no failed job THEN a table per vault and exit 0", async () => {
    make();
    expect(await h.run(["status"])).to.equal(0);
    const out = h.stdout.text;
    expect(out).to.contain("DR vault 'dr-vault' (us-west-2): 5 recovery points");
    expect(out).to.match(/RDS\s+production-db\s+2026-04-12T08:30:00.000Z\s+30m 00s\s+ok\s+2/);
    expect(out).to.match(/DynamoDB\s+Orders\s+2026-04-12T08:15:00.000Z\s+45m 00s\s+ok\s+2/);
    expect(out).to.contain("Primary vault 'primary-vault' (us-east-1): 2 recovery points");
    expect(out).to.contain("No failed backup or copy jobs in the last 24 h.");
    expect(out).to.contain("status: OK (RPO 60 min)");
    // Both regions asked for failed jobs since 24 h ago.
    const queries = h.backup.commandCalls(ListBackupJobsCommand).map((c) => c.args[0].input);
    expect(queries.map((q) => q.ByState).sort()).to.deep.equal([
      "ABORTED",
      "ABORTED",
      "EXPIRED",
      "EXPIRED",
      "FAILED",
      "FAILED",
    ]);
    expect(queries.every((q) => q.ByCreatedAfter?.getTime() === NOW - 24 * 3_600_000)).to.equal(true);
    expect(
      h.backup
        .commandCalls(ListCopyJobsCommand)
        .map((c) => c.args[0].input.ByState)
        .sort(),
    ).to.deep.equal(["FAILED", "FAILED", "PARTIAL", "PARTIAL"]);
  });

  it("GIVEN a data inventory of several of each kind THEN each entry without a point in the DR vault is a problem, a replicated bucket is not (issue 23)", async () => {
    const entry = (name: string, kind: string, type: string, id: string) => ({
      name,
      kind,
      sourceId: id,
      sourceArn: resourceArn(type, "us-east-1", id),
    });
    make({
      stack: {
        outputs: {
          dataInventory: [
            entry("orders-db", "rds", "RDS", "production-db"),
            entry("billing-db", "rds", "RDS", "billing-db"),
            entry("orders", "dynamodb", "DynamoDB", "Orders"),
            entry("users", "dynamodb", "DynamoDB", "Users"),
            entry("volume", "ebs", "EBS", "vol-0data"),
            entry("uploads", "s3", "S3", "app-data"),
          ],
        },
      },
    });
    expect(await h.run(["status"])).to.equal(1);
    const problems = h.stdout.lines().filter((l) => l.includes("data inventory"));
    expect(problems.map((l) => l.replace(/^.*?dr vault: /, ""))).to.deep.equal([
      `data inventory 'billing-db' (rds ${resourceArn("RDS", "us-east-1", "billing-db")}) has no recovery point: a recovery would leave it unwired`,
      `data inventory 'users' (dynamodb ${resourceArn("DynamoDB", "us-east-1", "Users")}) has no recovery point: a recovery would leave it unwired`,
    ]);
  });

  it("GIVEN a resource past its RPO and failed jobs THEN --json lists them and exit 1", async () => {
    make(
      {
        points: [
          ...drVault(),
          simPoint("EFS", "fs-0shared", NOW, 3 * 60 * MIN),
          simPoint("S3", "logs", NOW, 5 * MIN, { status: "PARTIAL" }),
        ],
      },
      {
        backupJobs: [
          {
            BackupJobId: "bj-1",
            State: "FAILED",
            ResourceArn: "arn:aws:rds:us-east-1:111122223333:db:production-db",
            ResourceType: "RDS",
            CreationDate: new Date(NOW - 3_600_000),
            StatusMessage: "Insufficient privileges",
          },
        ],
        copyJobs: [
          {
            CopyJobId: "cj-1",
            State: "FAILED",
            ResourceArn: "arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
            ResourceType: "DynamoDB",
            CreationDate: new Date(NOW - 7_200_000),
            StatusMessage: "KMS key not accessible",
          },
        ],
      },
    );
    expect(await h.run(["status", "--json"])).to.equal(1);
    const report = JSON.parse(h.stdout.text) as StatusReport;
    expect(report.healthy).to.equal(false);
    expect(report.problems).to.include.members([
      "dr vault: EFS fs-0shared newest COMPLETED point is 3h 00m old (RPO 60 min)",
      "dr vault: S3 logs has no COMPLETED recovery point",
      "backup job bj-1 FAILED in us-west-2 for arn:aws:rds:us-east-1:111122223333:db:production-db",
      "copy job cj-1 FAILED in us-west-2 for arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
    ]);
    expect(report.failedJobs.map((j) => [j.kind, j.jobId, j.message])).to.deep.equal([
      ["copy", "cj-1", "KMS key not accessible"],
      ["backup", "bj-1", "Insufficient privileges"],
    ]);
    const efs = report.vaults[0].resources.find((r) => r.resourceType === "EFS");
    expect(efs).to.deep.include({ ageMinutes: 180, withinRpo: false });
  });

  it("the last line is the verdict on the RPO objective with its exit code, as a run's is", async () => {
    make();
    expect(await h.run(["status"])).to.equal(0);
    expect(h.stdout.text.trimEnd().split("\n").pop()).to.equal(
      "status: OK (RPO 60 min): every resource's newest point within the RPO objective; exit 0",
    );
    h.dispose();
    make({ points: [...drVault(), simPoint("EFS", "fs-0shared", NOW, 60.8 * MIN)] });
    expect(await h.run(["status"])).to.equal(1);
    expect(h.stdout.text.trimEnd().split("\n").pop()).to.equal(
      "status: 1 problem(s); RPO objective MISSED for 1 resource(s), target 60 min; exit 1",
    );
  });

  it("GIVEN a primary region that does not answer THEN it is a finding (exit 1), not a crash", async () => {
    make({ primaryUp: false });
    expect(await h.run(["status"])).to.equal(1);
    expect(h.stdout.text).to.contain(
      "Primary vault 'primary-vault' (us-east-1): UNREACHABLE: TimeoutError: connect ETIMEDOUT",
    );
    expect(h.stdout.text).to.contain("status: 1 problem(s) (RPO 60 min)");
  });

  describe("prod's servers while dr is active", () => {
    const prodServers = (ids: string[]) => ({
      Reservations: [{ Instances: ids.map((InstanceId) => ({ InstanceId })) }],
    });

    it("GIVEN dr active and prod running unheld in the primary region THEN a finding naming the hold (exit 1)", async () => {
      make({ stack: { config: { "dr-app:mode": "active" } } });
      h.ec2.on(DescribeInstancesCommand).resolves(prodServers(["i-0prod1", "i-0prod2"]));
      expect(await h.run(["status"])).to.equal(1);
      expect(h.stdout.text).to.contain(
        "prod runs 2 server(s) in us-east-1 (i-0prod1, i-0prod2) while dr is active: they serve the pre-disaster data, " +
          "and Route 53 sends users to them whenever dr's load balancer has no healthy target; " +
          "hold them until the failback: pulumi config set dr-app:holdServers true -s prod && pulumi up -s prod",
      );
      const filters = h.ec2.commandCalls(DescribeInstancesCommand)[0].args[0].input.Filters;
      expect(filters).to.deep.include({ Name: "tag:role", Values: ["primary"] });
    });

    it("GIVEN dr active and prod held (no server) THEN no finding; GIVEN dr standby THEN prod is not looked at", async () => {
      make({ stack: { config: { "dr-app:mode": "active" } } });
      h.ec2.on(DescribeInstancesCommand).resolves(prodServers([]));
      expect(await h.run(["status"])).to.equal(0);
      h.dispose();
      make();
      h.ec2.on(DescribeInstancesCommand).resolves(prodServers(["i-0prod1"]));
      expect(await h.run(["status"])).to.equal(0);
      expect(h.ec2.commandCalls(DescribeInstancesCommand)).to.have.length(0);
    });
  });

  it("reads every page of a large vault", async () => {
    const points = Array.from({ length: 1200 }, (_, i) =>
      simPoint("DynamoDB", `table-${i % 30}`, NOW, (i + 1) * MIN),
    );
    make({ points }, { pageSize: 50 });
    expect(await h.run(["status", "--json", "--rpo", "60"])).to.equal(0);
    const report = JSON.parse(h.stdout.text) as StatusReport;
    expect(report.vaults[0].recoveryPoints).to.equal(1200);
    expect(report.vaults[0].resources).to.have.length(30);
    expect(h.sim.calls.get("ListRecoveryPointsByBackupVault")).to.equal(24 + 1);
  });

  it("with --vault, --region and --rpo it needs no Pulumi CLI", async () => {
    make();
    expect(await h.run(["--region", "us-west-2", "status", "--vault", "dr-vault", "--rpo", "120"])).to.equal(
      0,
    );
    expect(h.openStackCalls).to.equal(0);
    expect(h.stderr.text).to.contain("primary vault not checked");
    expect(h.stdout.text).to.contain("status: OK (RPO 120 min)");
  });

  it("GIVEN no such vault THEN one line and exit 2", async () => {
    make();
    expect(await h.run(["status", "--vault", "nope"])).to.equal(2);
    expect(h.stderr.text).to.equal("error: no backup vault named 'nope' in us-west-2\n");
  });

  it("GIVEN an empty DR vault THEN it says so (exit 1)", async () => {
    make({ points: [] });
    expect(await h.run(["status"])).to.equal(1);
    expect(h.stdout.text).to.contain("DR vault 'dr-vault' holds no recovery points");
  });

  it("rejects a bad --rpo with one line", async () => {
    make();
    expect(await h.run(["status", "--rpo", "soon"])).to.equal(2);
    expect(h.stderr.text).to.equal("error: --rpo 'soon' must be a positive number\n");
  });
});
