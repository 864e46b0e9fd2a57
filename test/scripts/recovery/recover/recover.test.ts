import {
  DescribeBackupVaultCommand,
  DescribeRestoreJobCommand,
  ListRestoreJobsCommand,
  StartRestoreJobCommand,
} from "@aws-sdk/client-backup";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { DrError } from "../../../../scripts/errors";
import { RunReport } from "../../../../scripts/recovery/core/report";
import { RecoverJournal } from "../../../../scripts/recovery/recover/restoreCommand";
import { Harness, HarnessOptions } from "../../../fakes/harness";
import { SimPoint, simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { awsError } from "../../../fakes/sdkBackup";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;

/** A vault like a real one: six resource types, newer unusable points, an unsupported type. */
function vault(): SimPoint[] {
  return [
    simPoint("RDS", "production-db", NOW, 10 * MIN, {
      status: "PARTIAL",
      statusMessage: "snapshot interrupted",
    }),
    simPoint("RDS", "production-db", NOW, 50 * MIN, { restoreMs: 35 * MIN }),
    simPoint("RDS", "production-db", NOW, 24 * 60 * MIN),
    simPoint("DynamoDB", "Orders", NOW, 40 * MIN, { restoreMs: 18 * MIN }),
    simPoint("EBS", "vol-0data", NOW, 30 * MIN, { restoreMs: 8 * MIN }),
    simPoint("EC2", "i-0app", NOW, 30 * MIN, { restoreMs: 12 * MIN }),
    simPoint("EFS", "fs-0shared", NOW, 45 * MIN, { restoreMs: 25 * MIN }),
    simPoint("S3", "app-data", NOW, 55 * MIN, { restoreMs: 30 * MIN }),
    simPoint("FSx", "fs-0win", NOW, 20 * MIN),
  ];
}

const restorable = (points: SimPoint[]) =>
  points.filter(
    (p) =>
      p.status !== "PARTIAL" &&
      p.resourceType !== "FSx" &&
      !(p.resourceType === "RDS" && p.restoreMs === undefined),
  );

describe("dr recover", () => {
  let h: Harness;
  const make = (options: Partial<HarnessOptions> = {}) => {
    h = new Harness({ points: vault(), stack: { upMs: [8 * MIN, 1 * MIN] }, ...options });
    return h;
  };
  afterEach(() => h?.dispose());

  it("restores every resource in parallel, overlaps the dr stack update, checks health and reports RTO/RPO", async () => {
    make();
    const code = await h.run(["recover", "--yes"]);

    expect(code, h.stderr.text).to.equal(0);
    const points = restorable(vault());
    // One start per resource, all at once: nothing waits for another restore.
    expect(h.sim.startCalls).to.have.length(points.length);
    expect(new Set(h.sim.startCalls.map((c) => c.at))).to.deep.equal(new Set([NOW]));
    for (const p of points) {
      expect(h.sim.startsFor(p.recoveryPointArn), p.resourceArn).to.equal(1);
    }
    const rds = h.sim.startCalls.find((c) => c.metadata.DBInstanceIdentifier);
    expect(rds?.metadata).to.deep.include({
      DBInstanceIdentifier: "dr-20260412t090000a7-production-db",
      DBSubnetGroupName: "dr-app-db-subnets",
      VpcSecurityGroupIds: '["sg-0dbdr"]',
    });
    expect(new Set(h.sim.startCalls.map((c) => c.token)).size).to.equal(points.length);

    // The stack: infrastructure update while restoring, then restoredData once the restores it names are
    // done and found to exist, with the five single-valued keys it replaced removed in the same update.
    expect(h.stack.ops()).to.deep.equal([
      "outputs",
      "setConfig",
      "removeConfig",
      "up",
      "setConfig",
      "removeConfig",
      "up",
    ]);
    expect(h.stack.calls[1].args).to.deep.equal({ "dr-app:mode": "active" });
    expect(h.stack.calls[3].at).to.equal(NOW);
    const late = h.stack.calls[4].args as Record<string, string>;
    expect(Object.keys(late)).to.deep.equal(["dr-app:restoredData"]);
    const data = JSON.parse(late["dr-app:restoredData"]);
    expect(Object.keys(data).sort()).to.deep.equal(["bucket", "db", "table", "volume"]);
    expect(data["db"]).to.deep.include({
      kind: "rds",
      id: "dr-20260412t090000a7-production-db",
      endpoint: "dr-20260412t090000a7-production-db.c0abcdefgh.us-west-2.rds.amazonaws.com:5432",
    });
    expect(data["table"]).to.deep.include({ kind: "dynamodb", id: "dr-20260412t090000a7-Orders" });
    expect(data["bucket"]).to.deep.include({ kind: "s3", id: "dr-20260412t090000a7-app-data" });
    expect(data["volume"].kind).to.equal("ebs");
    expect(data["volume"].id).to.match(/^vol-[0-9a-f]{17}$/);
    expect(h.stack.calls[5].args).to.deep.equal(h.stack.calls[2].args);
    expect(h.stack.calls[5].args).to.deep.equal([
      "dr-app:restoredDbEndpoint",
      "dr-app:restoredDbInstanceId",
      "dr-app:restoredTableName",
      "dr-app:restoredVolumeId",
      "dr-app:restoredBucketName",
    ]);
    // The second update waits only for the database (35 min), not for everything.
    expect(h.stack.calls[4].at - NOW).to.be.within(35 * MIN, 35 * MIN + 16_000);

    const report: RunReport = JSON.parse(
      fs.readFileSync(path.join(h.reportDir, "recover-20260412t090000a7.json"), "utf8"),
    );
    expect(report.outcome).to.equal("success");
    expect(report.jobs.map((j) => [j.resourceType, j.status])).to.deep.equal([
      ["DynamoDB", "COMPLETED"],
      ["EBS", "COMPLETED"],
      ["EC2", "COMPLETED"],
      ["EFS", "COMPLETED"],
      ["RDS", "COMPLETED"],
      ["S3", "COMPLETED"],
    ]);
    expect(report.jobs.find((j) => j.resourceType === "RDS")?.durationSeconds).to.equal(35 * 60);
    expect(report.rpo).to.deep.equal({ targetMinutes: 60, achievedMinutes: 55, met: true });
    // Start to healthy: the database (35 min) + detection + the 1-minute data update + one retry.
    expect(report.rto.measuredSeconds).to.be.within(36 * 60, 36 * 60 + 20);
    expect(report.rto.met).to.equal(true);
    expect(report.skipped.map((s) => s.reason)).to.have.members([
      "PARTIAL recovery point of 2026-04-12T08:50:00.000Z passed over (snapshot interrupted)",
      "resource type 'FSx' is not restored by this CLI (supported: RDS, Aurora, EC2, EBS, DynamoDB, EFS, S3)",
    ]);
    const markdown = fs.readFileSync(path.join(h.reportDir, "recover-20260412t090000a7.md"), "utf8");
    expect(markdown).to.contain("# DR recovery 20260412t090000a7: success");
    expect(markdown).to.contain("| RDS | production-db |");
    expect(h.journal("recover").state).to.equal("finished");
    expect(h.healthCalls).to.deep.equal([
      "http://dr-app-alb-123.us-west-2.elb.amazonaws.com/health",
      "http://dr-app-alb-123.us-west-2.elb.amazonaws.com/health",
    ]);
    expect(h.stdout.text).to.contain("primary region us-east-1 is not answering");
    expect(h.stdout.text).to.contain("recover 20260412t090000a7: SUCCESS");
  });

  it("a failed job is reported with AWS's message, the others carry on, and the exit code says partial", async () => {
    const points = vault().map((p) =>
      p.resourceType === "EC2"
        ? {
            ...p,
            outcome: "FAILED" as const,
            failureMessage: "We currently do not have sufficient c5.xlarge capacity",
          }
        : p,
    );
    make({ points, sim: { restoreJobId: (n) => `restore-job-${String(n).padStart(4, "0")}` } });
    const code = await h.run(["recover", "--yes"]);

    expect(code).to.equal(1);
    expect(h.stderr.text).to.contain("EC2 i-0app: restore job restore-job-");
    expect(h.stderr.text).to.contain("FAILED: We currently do not have sufficient c5.xlarge capacity");
    expect(h.stdout.text).to.contain(
      "FAILED EC2 i-0app: We currently do not have sufficient c5.xlarge capacity",
    );
    const report: RunReport = JSON.parse(
      fs.readFileSync(path.join(h.reportDir, "recover-20260412t090000a7.json"), "utf8"),
    );
    expect(report.outcome).to.equal("partial");
    expect(report.jobs.filter((j) => j.status === "COMPLETED")).to.have.length(5);
    expect(h.stack.ops()).to.deep.equal([
      "outputs",
      "setConfig",
      "removeConfig",
      "up",
      "setConfig",
      "removeConfig",
      "up",
    ]);
  });

  it("--no-overlap updates the dr stack once, after every restore", async () => {
    make();
    expect(await h.run(["recover", "--yes", "--no-overlap"])).to.equal(0);
    expect(h.stack.ops()).to.deep.equal(["outputs", "setConfig", "removeConfig", "up"]);
    expect(h.stack.calls[1].at - NOW).to.be.at.least(35 * MIN);
    expect(Object.keys(h.stack.calls[1].args as object)).to.deep.equal([
      "dr-app:mode",
      "dr-app:restoredData",
    ]);
    expect(
      Object.keys(JSON.parse((h.stack.calls[1].args as Record<string, string>)["dr-app:restoredData"])),
    ).to.have.length(4);
  });

  it("--no-flip restores only and leaves the stack alone", async () => {
    make();
    expect(await h.run(["recover", "--yes", "--no-flip"])).to.equal(0);
    expect(h.stack.ops()).to.deep.equal(["outputs"]);
    expect(h.stdout.text).to.contain(
      "dr stack not flipped (--no-flip): no health check unless --health-url is given",
    );
    expect(h.healthCalls).to.have.length(0);
  });

  it("--dry-run prints the points, the restore metadata and the config, and starts nothing", async () => {
    make();
    const code = await h.run([
      "recover",
      "--dry-run",
      "--only",
      "rds",
      "--metadata",
      "rds.DBInstanceClass=db.r6g.large",
    ]);

    expect(code).to.equal(0);
    expect(h.sim.startCalls).to.have.length(0);
    expect(h.stack.ops()).to.deep.equal(["outputs"]);
    expect(fs.existsSync(h.stateDir)).to.equal(false);
    const out = h.stdout.text;
    expect(out).to.match(
      /RDS\s+production-db\s+2026-04-12T08:10:00.000Z\s+50m 00s\s+dr-20260412t090000a7-production-db/,
    );
    expect(out).to.contain("  DBInstanceClass: db.r6g.large");
    expect(out).to.contain("  DBSubnetGroupName: dr-app-db-subnets");
    expect(out).to.contain("  note: AvailabilityZone removed: the source region's availability zone");
    expect(out).to.contain("  dr-app:mode: active");
    expect(out).to.contain('"db":{"kind":"rds","id":"<dr-20260412t090000a7-production-db, when restored>"}');
    expect(out).to.contain("dry run: nothing was started");
  });

  it("--dry-run shows the plan even when the dr stack config is ambiguous, and lists every problem (finding 5)", async () => {
    make({ points: [...vault(), simPoint("RDS", "reporting-db", NOW, 30 * MIN)] });
    expect(await h.run(["recover", "--dry-run"])).to.equal(0);
    expect(h.stdout.text).to.match(/RDS\s+reporting-db\s+/);
    expect(h.stdout.text).to.contain(
      '"table":{"kind":"dynamodb","id":"<dr-20260412t090000a7-Orders, when restored>"}',
    );
    expect(h.stderr.lines().map((l) => l.replace(/^\S+ /, ""))).to.deep.equal([
      "WARNING a real run would refuse: 2 RDS/Aurora resources will be restored but the dr stack takes one " +
        "restoredDbEndpoint / restoredDbInstanceId: name one with --app-resource <arn|name>: " +
        "production-db (arn:aws:rds:us-east-1:111122223333:db:production-db), reporting-db (arn:aws:rds:us-east-1:111122223333:db:reporting-db)",
    ]);
    expect(h.stdout.text).to.contain(
      "dry run: nothing was started; 1 problem(s) to fix first, listed on stderr",
    );
    expect(h.sim.startCalls).to.have.length(0);
  });

  it("reads only the part of the vault --only and --as-of can use, filtered by AWS (finding 5)", async () => {
    make();
    const asOf = "2026-04-12T08:45:00Z";
    expect(
      await h.run(["recover", "--dry-run", "--only", "rds", "--only", "dynamodb", "--as-of", asOf]),
    ).to.equal(0);
    const bound = new Date(Date.parse(asOf) + 1);
    expect(h.sim.vaultListings).to.deep.equal([
      { ByResourceType: "RDS", ByResourceArn: undefined, ByCreatedBefore: bound },
      { ByResourceType: "DynamoDB", ByResourceArn: undefined, ByCreatedBefore: bound },
    ]);
    // Only what the run can use was read: 2 RDS points and 1 DynamoDB point made by 08:45, of the 9.
    expect(h.stdout.text).to.contain("3 recovery points read; 2 to restore");
  });

  it("refuses to act without --yes when stdin is not a terminal", async () => {
    make();
    expect(await h.run(["recover"])).to.equal(2);
    expect(h.stderr.text).to.match(
      /^error: refusing to act without --yes: stdin is not a terminal \(Recover: start 6 restore job\(s\) in us-west-2 and set dr stack 'dr' to mode=active\)\n$/,
    );
    expect(h.sim.startCalls).to.have.length(0);
  });

  it("on a terminal, asks and does nothing unless told 'yes'", async () => {
    make({ isTTY: true, promptAnswer: "y" });
    expect(await h.run(["recover"])).to.equal(2);
    expect(h.stderr.text).to.equal("error: not confirmed: nothing was started\n");
    expect(h.sim.startCalls).to.have.length(0);
  });

  it("refuses while the primary region answers; --skip-primary-check overrides", async () => {
    make({
      primaryUp: true,
      sim: { primary: { region: "us-east-1", vaultName: "primary-vault", points: [] } },
    });
    expect(await h.run(["recover", "--yes"])).to.equal(2);
    expect(h.stderr.text).to.contain(
      "error: the primary region us-east-1 is answering (primary vault 'primary-vault' answered): refusing to fail over while the primary may still be serving; pass --skip-primary-check if you are sure",
    );
    expect(h.sim.startCalls).to.have.length(0);

    expect(await h.run(["recover", "--yes", "--skip-primary-check"])).to.equal(0);
    expect(h.sim.startCalls).to.have.length(6);
  });

  describe("bad input or state: one line, exit 2, nothing started", () => {
    const cases: Array<{
      name: string;
      args: string[];
      options?: Partial<HarnessOptions>;
      setup?: (h: Harness) => void;
      error: string;
    }> = [
      {
        name: "malformed --as-of",
        args: ["--as-of", "last tuesday"],
        error:
          "--as-of 'last tuesday' is not an ISO-8601 time: use e.g. 2026-04-12T09:30:00Z (a time without an offset is UTC)",
      },
      {
        name: "impossible --as-of date",
        args: ["--as-of", "2026-02-30T10:00Z"],
        error: "--as-of '2026-02-30T10:00Z' is not a valid date: use e.g. 2026-04-12T09:30:00Z",
      },
      {
        name: "unknown resource type",
        args: ["--only", "Redshift"],
        error:
          "--only: unknown resource type 'Redshift'; supported types: RDS, Aurora, EC2, EBS, DynamoDB, EFS, S3",
      },
      {
        name: "no such vault",
        args: ["--vault", "no-such-vault"],
        error: "no backup vault named 'no-such-vault' in us-west-2",
      },
      {
        name: "no completed points",
        args: ["--as-of", "2026-04-01T00:00:00Z"],
        error:
          "no COMPLETED recovery point to restore at or before 2026-04-01T00:00:00.000Z in vault 'dr-vault' (0 points)",
      },
      {
        name: "expired credentials",
        args: [],
        setup: (h) =>
          h.sts
            .on(GetCallerIdentityCommand)
            .rejects(awsError("ExpiredToken", "The security token included in the request is expired", 403)),
        error:
          "AWS credentials have expired (ExpiredToken): set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or log in with aws sso login) and re-run",
      },
      {
        name: "dr stack missing",
        args: [],
        options: {
          openStackError: new DrError(
            "dr stack 'dr' not found for the project in /repo: deploy it first (pulumi up -s dr) or pass --stack <name>",
          ),
        },
        error:
          "dr stack 'dr' not found for the project in /repo: deploy it first (pulumi up -s dr) or pass --stack <name>",
      },
      { name: "unknown flag", args: ["--frobnicate"], error: "unknown option '--frobnicate'" },
      {
        name: "every ambiguity for the dr stack config at once, with the candidates' ARNs (finding 5)",
        args: ["--app-resource", "no-such-db"],
        options: {
          points: [
            ...vault(),
            simPoint("RDS", "reporting-db", NOW, 30 * MIN),
            simPoint("DynamoDB", "Sessions", NOW, 30 * MIN),
          ],
        },
        error:
          "error: --app-resource 'no-such-db' matches none of the recovery points to restore; " +
          "2 RDS/Aurora resources will be restored but the dr stack takes one restoredDbEndpoint / restoredDbInstanceId: " +
          "name one with --app-resource <arn|name>: production-db (arn:aws:rds:us-east-1:111122223333:db:production-db), " +
          "reporting-db (arn:aws:rds:us-east-1:111122223333:db:reporting-db); " +
          "2 DynamoDB resources will be restored but the dr stack takes one restoredTableName: name one with --app-resource <arn|name>: " +
          "Orders (arn:aws:dynamodb:us-east-1:111122223333:table/Orders), Sessions (arn:aws:dynamodb:us-east-1:111122223333:table/Sessions)\n",
      },
      // Finding 4: every input checked before anything starts.
      {
        name: "a --health-url that is not a URL",
        args: ["--health-url", "notaurl"],
        error: "--health-url 'notaurl' is not an http(s) URL: use e.g. https://app.example.com/health",
      },
      {
        name: "a health check URL output that is not a URL",
        args: [],
        options: { stack: { outputs: { healthCheckUrl: "ftp://dr-app/health" } } },
        error:
          "dr stack 'dr' output healthCheckUrl 'ftp://dr-app/health' is not an http(s) URL: use e.g. https://app.example.com/health",
      },
      {
        name: "--new-run with --retry-failed",
        args: ["--new-run", "--retry-failed"],
        error:
          "--new-run and --retry-failed contradict each other: --retry-failed continues the last run with new jobs for what failed, --new-run abandons it and starts afresh; pass one",
      },
      {
        name: "--no-overlap with --no-flip",
        args: ["--no-flip", "--no-overlap"],
        error: "--no-overlap changes how the dr stack is flipped, and --no-flip does not flip it: drop one",
      },
      {
        name: "--app-resource with --no-flip",
        args: ["--no-flip", "--app-resource", "production-db"],
        error:
          "--app-resource chooses what the flipped dr stack points at, and --no-flip does not flip it: drop one",
      },
      {
        name: "an --as-of in the future",
        args: ["--as-of", "2099-04-12T09:00Z"],
        error:
          "--as-of '2099-04-12T09:00Z' is in the future (now 2026-04-12T09:00:00.000Z): give a past time, or leave it out for the newest points",
      },
      {
        name: "a --metadata key the type does not have",
        args: ["--metadata", "dynamodb.bogusKey=1"],
        error:
          "--metadata 'dynamodb.bogusKey=1': 'bogusKey' is not a restore metadata key of DynamoDB; known keys: deletionProtection, encryptionType, kmsMasterKeyArn, originalTableName, targetTableName",
      },
      {
        name: "a dr stack without the drVaultName output",
        args: [],
        options: { stack: { outputs: { drVaultName: "" } } },
        error: "no DR vault: the dr stack has no 'drVaultName' output; pass --vault <name>",
      },
      {
        name: "a dr stack without the backupRoleArn output",
        args: [],
        options: { stack: { outputs: { backupRoleArn: "" } } },
        error: "no restore role: the dr stack has no 'backupRoleArn' output; pass --iam-role-arn <arn>",
      },
      {
        name: "a dr stack without the primary region's outputs",
        args: [],
        options: { stack: { outputs: { primaryRegion: "" } } },
        error:
          "cannot check that the primary region is down: the dr stack has no 'primaryRegion'/'primaryVaultName' output; pass --skip-primary-check",
      },
      {
        name: "--retry-failed without a previous run",
        args: ["--retry-failed"],
        error: "--retry-failed: no previous recover run in ",
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        make(c.options ?? {});
        c.setup?.(h);
        const code = await h.run(["recover", "--yes", ...c.args]);
        expect(code).to.equal(2);
        expect(h.stderr.text).to.contain(c.error);
        expect(h.stderr.lines().filter((l) => l.startsWith("error:"))).to.have.length(1);
        expect(h.backup.commandCalls(StartRestoreJobCommand)).to.have.length(0);
        expect(h.stack.ops().filter((op) => op !== "outputs")).to.have.length(0);
      });
    }
  });

  it("GIVEN several databases THEN --app-resource names the one the dr stack uses", async () => {
    make({ points: [...vault(), simPoint("RDS", "reporting-db", NOW, 30 * MIN)] });
    expect(await h.run(["recover", "--yes", "--app-resource", "production-db"])).to.equal(0);
    expect(JSON.parse(h.stack.config["dr-app:restoredData"])["db"].id).to.equal(
      "dr-20260412t090000a7-production-db",
    );
  });

  it("GIVEN a failed pulumi up THEN recovery failed (exit 3), restores still followed to the end", async () => {
    make({ stack: { upMs: [MIN], failUp: 1 } });
    expect(await h.run(["recover", "--yes"])).to.equal(3);
    expect(h.stderr.text).to.contain(
      "dr stack dr: infrastructure update failed: pulumi up failed: error: update failed",
    );
    const journal = h.journal("recover");
    expect(Object.values(journal.jobs).every((j) => j.status === "COMPLETED")).to.equal(true);
    expect(h.stdout.text).to.contain("note: dr stack not flipped");
    expect(h.healthCalls).to.have.length(0);
  });

  it("GIVEN a failed pulumi up after every restore is final THEN the run stays resumable and a plain re-run retries only the flip (review 1)", async () => {
    make({ stack: { upMs: [MIN], failUp: 1 } });
    expect(await h.run(["recover", "--yes"])).to.equal(3);
    const first = h.journal("recover");
    expect(Object.values(first.jobs).every((j) => j.status === "COMPLETED")).to.equal(true);
    expect(first.state).to.equal("running");
    expect(h.stdout.text).to.contain(
      "note: the dr stack update failed after the restores: fix its cause, then run 'dr recover' again: it retries only the update (no restore starts again)",
    );
    const starts = h.sim.startCalls.length;
    h.stdout.text = "";
    h.stderr.text = "";

    expect(await h.run(["recover", "--yes"]), h.stderr.text).to.equal(0);
    expect(h.sim.startCalls).to.have.length(starts);
    const second = h.journal("recover");
    expect(second.runId).to.equal(first.runId);
    expect(second.state).to.equal("finished");
    expect(second.outcome).to.equal("success");
    expect(fs.readdirSync(h.stateDir).filter((f) => f.startsWith("recover-"))).to.deep.equal([]);
    expect(h.stack.config["dr-app:mode"]).to.equal("active");
    expect(JSON.parse(h.stack.config["dr-app:restoredData"])["db"].endpoint).to.contain("production-db");
    expect(h.healthCalls.length).to.be.greaterThan(0);
  });

  it("GIVEN an endpoint that never gets healthy THEN partial (exit 1) and no measured RTO", async () => {
    make({ health: [503] });
    expect(await h.run(["recover", "--yes", "--health-timeout", "120"])).to.equal(1);
    const report: RunReport = JSON.parse(
      fs.readFileSync(path.join(h.reportDir, "recover-20260412t090000a7.json"), "utf8"),
    );
    expect(report.health?.healthy).to.equal(false);
    expect(report.rto.measuredSeconds).to.equal(undefined);
    expect(report.rto.dataRestoredSeconds).to.equal(35 * 60);
  });

  it("40 resources under throttling: each restored once, none lost", async () => {
    const points = Array.from({ length: 40 }, (_, i) =>
      simPoint(["DynamoDB", "EBS", "EC2", "EFS"][i % 4], `res-${i}`, NOW, 20 * MIN, {
        restoreMs: (5 + i) * MIN,
      }),
    );
    make({
      points,
      sim: {
        pageSize: 7,
        throttle: (cmd, n) =>
          (cmd === "StartRestoreJob" && n % 5 === 0) || (cmd === "DescribeRestoreJob" && n % 7 === 0),
      },
    });
    expect(await h.run(["recover", "--yes", "--app-resource", "res-0", "--app-resource", "res-1"])).to.equal(
      0,
    );
    const journal = h.journal("recover");
    expect(Object.values(journal.jobs).filter((j) => j.status === "COMPLETED")).to.have.length(40);
    for (const p of points) {
      expect(h.sim.jobsFor(p.recoveryPointArn)).to.have.length(1);
    }
    expect(h.sim.calls.get("StartRestoreJob")).to.be.greaterThan(40);
  });

  it("follows the jobs with ListRestoreJobs on a client of its own: throttled polls never hold back the starts (finding 8)", async () => {
    const points = Array.from({ length: 40 }, (_, i) =>
      simPoint(["DynamoDB", "EBS", "EC2", "EFS"][i % 4], `res-${i}`, NOW, 20 * MIN, {
        restoreMs: (5 + i) * MIN,
      }),
    );
    make({ points, sim: { pageSize: 25, throttle: (cmd, n) => cmd === "ListRestoreJobs" && n % 3 === 0 } });
    expect(await h.run(["recover", "--yes", "--no-flip"])).to.equal(0);
    expect(h.backup.commandCalls(DescribeRestoreJobCommand)).to.have.length(0);
    // Two pages cover the 40 jobs: about one listing of every job per poll, not one call per job.
    const listings = h.backup.commandCalls(ListRestoreJobsCommand).filter((c) => !c.args[0].input.NextToken);
    expect(listings.length).to.be.below(h.sim.calls.get("ListRestoreJobs") ?? 0);
    expect(h.sim.startClients.size).to.equal(1);
    expect(h.sim.listClients.size).to.equal(1);
    expect([...h.sim.listClients][0]).not.to.equal([...h.sim.startClients][0]);
    expect(new Set(h.sim.startCalls.map((c) => c.at))).to.deep.equal(new Set([NOW]));
  });

  describe("re-running after an interruption", () => {
    async function interrupt(afterMs: number): Promise<number> {
      const controller = new AbortController();
      void h.clock.sleep(afterMs).then(() => controller.abort());
      return h.run(["recover", "--yes"], controller.signal);
    }

    it("resumes waiting on the same jobs and never starts a duplicate", async () => {
      make();
      expect(await interrupt(5 * MIN)).to.equal(130);
      expect(h.stderr.text).to.match(
        /interrupted: dr recover run \S+: \d+ job\(s\) keep running in AWS \(restore job [^)]+\)\. Re-run the same command to resume/,
      );
      const journal = h.journal("recover");
      expect(journal.state).to.equal("running");
      expect(Object.values(journal.jobs).map((j) => j.status)).to.include("RUNNING");
      const jobIds = Object.values(journal.jobs).map((j) => j.restoreJobId);

      h.stdout.text = "";
      expect(await h.run(["recover", "--yes"])).to.equal(0);

      expect(h.stdout.text).to.contain("resuming recover run 20260412t090000a7");
      expect(h.stdout.text).to.contain("primary region check skipped: resuming a recovery already under way");
      for (const p of restorable(vault())) {
        expect(h.sim.startsFor(p.recoveryPointArn)).to.equal(1);
      }
      const resumed = h.journal("recover");
      expect(Object.values(resumed.jobs).map((j) => j.restoreJobId)).to.deep.equal(jobIds);
      expect(resumed.startedAt).to.equal(journal.startedAt);
      expect(resumed.resumedAt).to.have.length(1);
      // The infrastructure update done before the interruption is not repeated.
      expect(h.stack.ops().filter((o) => o === "up")).to.have.length(2);
    });

    it("adopts a job AWS accepted before the journal recorded it", async () => {
      make();
      await interrupt(5 * MIN);
      const file = path.join(h.stateDir, "recover.json");
      const journal = JSON.parse(fs.readFileSync(file, "utf8"));
      const victim = Object.values(journal.jobs)[0] as {
        restoreJobId?: string;
        status: string;
        startedAt?: string;
      };
      const jobId = victim.restoreJobId;
      delete victim.restoreJobId;
      delete victim.startedAt;
      victim.status = "STARTING";
      fs.writeFileSync(file, JSON.stringify(journal));

      expect(await h.run(["recover", "--yes"])).to.equal(0);
      expect(h.stdout.text).to.contain(`adopting restore job ${jobId}, started before the interruption`);
      expect(h.sim.startCalls).to.have.length(6);
    });

    it("re-sends an unanswered start with the same idempotency token", async () => {
      make();
      await interrupt(5 * MIN);
      const file = path.join(h.stateDir, "recover.json");
      const journal = JSON.parse(fs.readFileSync(file, "utf8"));
      const victim = Object.values(journal.jobs)[0] as {
        recoveryPointArn: string;
        restoreJobId?: string;
        status: string;
        idempotencyToken: string;
      };
      // AWS never saw the first start (the process died before the request left).
      h.sim.jobs.delete(victim.restoreJobId as string);
      delete victim.restoreJobId;
      victim.status = "STARTING";
      fs.writeFileSync(file, JSON.stringify(journal));

      expect(await h.run(["recover", "--yes"])).to.equal(0);
      const starts = h.sim.startCalls.filter((c) => c.recoveryPointArn === victim.recoveryPointArn);
      expect(starts.map((c) => c.token)).to.deep.equal([victim.idempotencyToken, victim.idempotencyToken]);
      expect(h.sim.jobsFor(victim.recoveryPointArn)).to.have.length(1);
    });
    it("resumed after the flip phase ended, runs neither the restores nor the flip again: the phase record says it is done", async () => {
      make({ health: [503] });
      // Ctrl-C while the health check waits for the endpoint: the restores and both updates are done.
      const controller = new AbortController();
      const fetch = h.deps.fetch;
      Object.assign(h.deps, {
        fetch: (...args: Parameters<typeof fetch>) => {
          controller.abort();
          return fetch(...args);
        },
      });
      expect(await h.run(["recover", "--yes"], controller.signal)).to.equal(130);
      Object.assign(h.deps, { fetch });
      const before = h.journal("recover") as RecoverJournal;
      const flip = before.phases?.find((p) => p.phase === "flip");
      expect(flip).to.deep.include({ outcome: "ok" });
      expect(flip?.endedAt).to.be.a("string");
      expect(before.phases?.find((p) => p.phase === "verify")).to.include.keys("startedAt");
      expect(before.phases?.find((p) => p.phase === "verify")?.endedAt).to.equal(undefined);
      expect(before.findings?.flip?.ok).to.equal(true);
      const opsBefore = h.stack.ops().length;
      const healthBefore = h.healthCalls.length;
      h.stdout.text = "";

      expect(await h.run(["recover", "--yes", "--health-timeout", "120"])).to.equal(1);
      expect(h.stdout.text).to.contain("resuming recover run 20260412t090000a7");
      // The flip phase's body did not run: no update was even looked at, and the stack only read.
      expect(h.stdout.text).not.to.contain("update already applied");
      expect(h.stack.ops().slice(opsBefore)).to.deep.equal(["outputs"]);
      // The verify phase, which had not ended, ran again.
      expect(h.healthCalls.length).to.be.greaterThan(healthBefore);
      const after = h.journal("recover") as RecoverJournal;
      expect(after.phases?.find((p) => p.phase === "flip")).to.deep.equal(flip);
      expect(after.phases?.find((p) => p.phase === "verify")).to.deep.include({ outcome: "ok" });
      expect(after.findings?.verification?.healthy).to.equal(false);
      expect(after.state).to.equal("finished");
    });

    it("a journal written before phase records (no 'phases') still loads and resumes", async () => {
      make();
      expect(await interrupt(5 * MIN)).to.equal(130);
      const file = path.join(h.stateDir, "recover.json");
      const journal = JSON.parse(fs.readFileSync(file, "utf8"));
      delete journal.phases;
      delete journal.findings;
      fs.writeFileSync(file, JSON.stringify(journal));

      expect(await h.run(["recover", "--yes"])).to.equal(0);
      expect(h.stdout.text).to.contain("resuming recover run 20260412t090000a7");
      for (const p of restorable(vault())) {
        expect(h.sim.startsFor(p.recoveryPointArn)).to.equal(1);
      }
      expect(h.stack.ops().filter((o) => o === "up")).to.have.length(2);
      const resumed = h.journal("recover") as RecoverJournal;
      expect(resumed.state).to.equal("finished");
      expect(resumed.phases?.map((p) => [p.phase, p.outcome])).to.deep.equal([
        ["flip", "ok"],
        ["verify", "ok"],
      ]);
    });
  });

  it("--retry-failed starts new jobs, with new tokens, only for the failed restores", async () => {
    const points = vault().map((p) =>
      p.resourceType === "EFS" ? { ...p, outcome: "FAILED" as const, failureMessage: "transient" } : p,
    );
    make({ points });
    expect(await h.run(["recover", "--yes"])).to.equal(1);
    const efs = points.find((p) => p.resourceType === "EFS") as SimPoint;
    (efs as { outcome?: string }).outcome = "COMPLETED";

    expect(await h.run(["recover", "--yes", "--retry-failed"])).to.equal(0);
    expect(h.sim.startCalls).to.have.length(7);
    const efsStarts = h.sim.startCalls.filter((c) => c.recoveryPointArn === efs.recoveryPointArn);
    expect(efsStarts).to.have.length(2);
    expect(efsStarts[0].token).not.to.equal(efsStarts[1].token);
    expect(h.journal("recover").jobs[efs.recoveryPointArn]).to.deep.include({
      attempt: 2,
      status: "COMPLETED",
    });
  });

  it("a retry interrupted before its start never adopts the job that failed", async () => {
    const points = vault().map((p) => (p.resourceType === "EFS" ? { ...p, outcome: "FAILED" as const } : p));
    make({ points });
    expect(await h.run(["recover", "--yes"])).to.equal(1);
    const efs = points.find((p) => p.resourceType === "EFS") as SimPoint;
    (efs as { outcome?: string }).outcome = "COMPLETED";
    // The retry's intent reached the journal, then the process died before StartRestoreJob.
    const file = path.join(h.stateDir, "recover.json");
    const journal = JSON.parse(fs.readFileSync(file, "utf8"));
    const failed = journal.jobs[efs.recoveryPointArn];
    journal.state = "running";
    journal.jobs[efs.recoveryPointArn] = {
      recoveryPointArn: efs.recoveryPointArn,
      attempt: 2,
      idempotencyToken: "retry-token",
      intentAt: new Date(h.clock.now()).toISOString(),
      status: "STARTING",
      previousJobIds: [failed.restoreJobId],
    };
    // The retry reopened the phases and the restores' phase had started.
    journal.phases = [{ phase: "flip", startedAt: new Date(h.clock.now()).toISOString() }];
    fs.writeFileSync(file, JSON.stringify(journal));
    h.clock.advance(60_000);

    expect(await h.run(["recover", "--yes"])).to.equal(0);
    expect(h.stdout.text).not.to.contain(`adopting restore job ${failed.restoreJobId}`);
    expect(h.sim.jobsFor(efs.recoveryPointArn)).to.have.length(2);
    expect(h.journal("recover").jobs[efs.recoveryPointArn].status).to.equal("COMPLETED");
  });

  it("a new recovery (--new-run) after a finished one archives the old journal and gets a new run id", async () => {
    make();
    expect(await h.run(["recover", "--yes"])).to.equal(0);
    h.clock.advance(3_600_000);
    // An hour after the first run ended the newest points are about 151 min old, past the 60-minute RPO: the run says so and exits 1.
    expect(await h.run(["recover", "--yes", "--new-run", "--skip-primary-check"])).to.equal(1);
    expect(h.stdout.text).to.match(
      /: RPO OBJECTIVE MISSED; RPO MISSED: 151(\.\d)? min, target 60 min; .*; exit 1\n$/,
    );
    expect(h.stdout.text).to.contain(
      `previous recover run 20260412t090000a7 archived as ${path.join(h.stateDir, "recover-20260412t090000a7.json")}`,
    );
    expect(fs.readdirSync(h.stateDir).sort()).to.deep.equal([
      "recover-20260412t090000a7.json",
      "recover.json",
    ]);
    expect(h.journal("recover").runId).not.to.equal("20260412t090000a7");
  });

  it("GIVEN the DR vault cannot be described for a network reason THEN one line naming the vault", async () => {
    make();
    h.backup
      .on(DescribeBackupVaultCommand)
      .rejects(Object.assign(new Error("socket hang up"), { name: "ECONNRESET" }));
    expect(await h.run(["recover", "--yes"])).to.equal(2);
    expect(h.stderr.text).to.equal(
      "error: backup vault 'dr-vault' in us-west-2 is not reachable: ECONNRESET: socket hang up\n",
    );
  });
});
