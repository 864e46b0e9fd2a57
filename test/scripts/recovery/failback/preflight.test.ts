import { StartBackupJobCommand, StartCopyJobCommand, StartRestoreJobCommand } from "@aws-sdk/client-backup";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { RunLock } from "../../../../scripts/recovery/core/runLock";
import {
  ACTIVE_DR_CONFIG,
  LEGACY_ACTIVE_DR_CONFIG,
  RECOVERY_RUN,
  RESTORED,
  failbackHarness,
  recoveryJournal,
} from "../../../fakes/failbackFixture";
import { Harness } from "../../../fakes/harness";

describe("dr failback: preflight and plan", () => {
  let h: Harness;
  afterEach(() => h?.dispose());

  const setUp = (options: Parameters<typeof failbackHarness>[0] = {}) => {
    const made = failbackHarness({ prodConfig: { "dr-app:domainName": "api.example.com" }, ...options });
    h = made.h;
    return made;
  };

  it("--dry-run prints the whole plan and starts nothing", async () => {
    const { dr, prod } = setUp();
    const code = await h.run(["failback", "--dry-run"]);

    expect(code, h.stderr.text).to.equal(0);
    const out = h.stdout.text;
    const runId = "20260412t090000a7";
    // Every step, in order, from the same list the runbook renders.
    for (const title of [
      "1. Preflight: us-east-1 answers, credentials, both vaults",
      "2. Pre-copy, unfrozen (skip with --skip-pre-copy)",
      "3. Write freeze: `prod`'s servers held at zero, then `dr`'s servers to zero",
      "5. Restores in us-east-1, into `prod`'s network",
      "9. Traffic back to prod",
      "10. `dr` back to standby",
    ]) {
      expect(out).to.contain(title);
    }
    // What is backed up (the restored DR resources), restored where and named how.
    expect(out).to.match(
      new RegExp(
        `RDS\\s+app-db\\s+arn:aws:rds:us-west-2:111122223333:db:${RESTORED.db}\\s+fb-${runId}-app-db\\s+db`,
      ),
    );
    expect(out).to.match(
      new RegExp(`DynamoDB\\s+Orders\\s+\\S+table/${RESTORED.table}\\s+fb-${runId}-Orders\\s+table`),
    );
    expect(out).to.match(/EBS\s+vol-0data\s+\S+volume\/vol-0restored1234567\s+\(new id\)\s+volume/);
    expect(out).to.contain("copies to arn:aws:backup:us-east-1:111122223333:backup-vault:primary-vault");
    expect(out).to.contain(
      "Restores in us-east-1 with role arn:aws:iam::111122223333:role/prod-backup, prod's tags copied: yes",
    );
    expect(out).to.contain("    DBSubnetGroupName: prod-db-subnets");
    expect(out).to.contain('    VpcSecurityGroupIds: ["sg-0dbprod"]');
    expect(out).to.contain("    availabilityZone: us-east-1a");
    // The config prod gets, the freeze, the traffic switch and the standby flip.
    expect(out).to.contain(`"db":{"kind":"rds","id":"<fb-${runId}-app-db, when restored>"}`);
    expect(out).to.contain(`"table":{"kind":"dynamodb","id":"<fb-${runId}-Orders, when restored>"}`);
    expect(out).to.contain("  dr-app:drActiveDesiredCapacity: 0 (now 3)");
    expect(out).to.contain(
      "Before the freeze, prod stack 'prod' config, then pulumi up, until no prod server is left:\n  dr-app:holdServers: true",
    );
    expect(out).to.contain("  removed: dr-app:holdServers");
    expect(out).to.contain(
      "Traffic: PutMetricData in us-west-2: DrApp/Failover ServeFromDr DomainName=api.example.com = 0",
    );
    expect(out).to.contain("  dr-app:mode: standby");
    expect(out).to.contain(
      `S3: objects of ${RESTORED.replica} (us-west-2) modified since 2026-04-10T08:00:00.000Z copied to app-data (us-east-1)`,
    );
    expect(out).to.contain("dry run: nothing was started");
    // Read-only: no job started, no stack changed, no journal, no lock.
    expect(h.backup.commandCalls(StartBackupJobCommand)).to.have.length(0);
    expect(h.backup.commandCalls(StartCopyJobCommand)).to.have.length(0);
    expect(h.backup.commandCalls(StartRestoreJobCommand)).to.have.length(0);
    expect(
      dr()
        .ops()
        .filter((op) => op !== "outputs" && op !== "getConfig"),
    ).to.deep.equal([]);
    expect(
      prod()
        .ops()
        .filter((op) => op !== "outputs" && op !== "getConfig"),
    ).to.deep.equal([]);
    expect(fs.existsSync(path.join(h.stateDir, "failback.json"))).to.equal(false);
    expect(fs.existsSync(path.join(h.stateDir, "run.lock"))).to.equal(false);
  });

  it("without --yes and without a terminal, refuses like recover (exit 2), nothing started", async () => {
    setUp();
    const code = await h.run(["failback"]);
    expect(code).to.equal(2);
    expect(h.stderr.text).to.contain(
      "error: refusing to act without --yes: stdin is not a terminal (Failback:",
    );
    expect(h.backup.commandCalls(StartBackupJobCommand)).to.have.length(0);
    expect(fs.existsSync(path.join(h.stateDir, "failback.json"))).to.equal(false);
  });

  it("refuses while the primary region does not answer: the inverse of recover's check", async () => {
    setUp({ primaryUp: false });
    const code = await h.run(["failback", "--dry-run"]);
    expect(code).to.equal(2);
    expect(h.stderr.text).to.match(
      /error: the primary region us-east-1 is not answering \(.+\): failback needs it up; run it again once AWS Backup answers there/,
    );
  });

  it("refuses a dr stack in standby: nothing to fail back", async () => {
    setUp({ drConfig: { "dr-app:mode": "standby" } });
    expect(await h.run(["failback", "--dry-run"])).to.equal(2);
    expect(h.stderr.text).to.contain(
      "error: dr stack 'dr' is in standby, not active: there is nothing to fail back",
    );
  });

  it("refuses without the recovery journal, naming the file and the flag", async () => {
    setUp({ recovery: false });
    expect(await h.run(["failback", "--dry-run"])).to.equal(2);
    expect(h.stderr.text).to.contain(
      `error: no recovery journal at ${path.join(h.stateDir, "recover.json")}`,
    );
    expect(h.stderr.text).to.contain("pass --recovery-journal <file>");
  });

  it("reads an archived recovery journal given with --recovery-journal", async () => {
    setUp({ recovery: false });
    const archived = path.join(h.dir, `recover-${RECOVERY_RUN}.json`);
    fs.writeFileSync(archived, JSON.stringify(recoveryJournal()));
    expect(await h.run(["failback", "--dry-run", "--recovery-journal", archived]), h.stderr.text).to.equal(0);
    expect(h.stdout.text).to.contain(`db:${RESTORED.db}`);
  });

  it("refuses a dr config value the recovery journal does not explain (field, value, rule)", async () => {
    setUp({ drConfig: { ...LEGACY_ACTIVE_DR_CONFIG, "dr-app:restoredTableName": "hand-made-table" } });
    expect(await h.run(["failback", "--dry-run"])).to.equal(2);
    expect(h.stderr.text).to.contain(
      `error: dr stack 'dr' config dr-app:restoredTableName 'hand-made-table' is not a resource recovery run ${RECOVERY_RUN} restored`,
    );
  });

  it("refuses a restoredData entry the recovery journal does not explain (entry, value, rule)", async () => {
    const data = {
      ...JSON.parse(ACTIVE_DR_CONFIG["dr-app:restoredData"]),
      table: { kind: "dynamodb", id: "hand-made-table" },
    };
    setUp({ drConfig: { ...ACTIVE_DR_CONFIG, "dr-app:restoredData": JSON.stringify(data) } });
    expect(await h.run(["failback", "--dry-run"])).to.equal(2);
    expect(h.stderr.text).to.contain(
      `error: dr stack 'dr' config dr-app:restoredData 'table' (dynamodb hand-made-table) is not a resource recovery run ${RECOVERY_RUN} restored`,
    );
  });

  it("--dry-run with two buckets in restoredData names each with the prod bucket it goes back to", async () => {
    const data = {
      ...JSON.parse(ACTIVE_DR_CONFIG["dr-app:restoredData"]),
      "app-assets": { kind: "s3", id: "app-assets-replica-us-west-2" },
    };
    setUp({
      drConfig: { ...ACTIVE_DR_CONFIG, "dr-app:restoredData": JSON.stringify(data) },
      drStack: {
        outputs: {
          replicaBuckets: { "app-data": RESTORED.replica, "app-assets": "app-assets-replica-us-west-2" },
        },
      },
    });
    expect(await h.run(["failback", "--dry-run"]), h.stderr.text).to.equal(0);
    expect(h.stdout.text).to.contain(
      [
        `S3: objects of ${RESTORED.replica} (us-west-2) modified since 2026-04-10T08:00:00.000Z copied to app-data (us-east-1)`,
        "S3: objects of app-assets-replica-us-west-2 (us-west-2) modified since 2026-04-10T08:00:00.000Z copied to app-assets (us-east-1)",
      ].join("\n"),
    );
    expect(h.stdout.text).to.contain("dry run: nothing was started");
  });

  it("refuses a recovery that has not finished", async () => {
    setUp({ recovery: { ...recoveryJournal(), state: "running" } });
    expect(await h.run(["failback", "--dry-run"])).to.equal(2);
    expect(h.stderr.text).to.contain(`error: recovery run ${RECOVERY_RUN} in `);
    expect(h.stderr.text).to.contain(
      "has not finished: finish it ('dr recover' resumes it) before failing back",
    );
  });

  it("refuses a bucket that is neither a replica nor a restored bucket", async () => {
    setUp({ drConfig: { ...LEGACY_ACTIVE_DR_CONFIG, "dr-app:restoredBucketName": "somewhere-else" } });
    expect(await h.run(["failback", "--dry-run"])).to.equal(2);
    expect(h.stderr.text).to.contain(
      "error: dr stack 'dr' config dr-app:restoredData 'bucket' bucket 'somewhere-else' is neither a replica bucket",
    );
  });

  it("refuses when the prod stack does not export the network a restore needs", async () => {
    setUp({ prodOutputs: { dbSubnetGroupName: "" } });
    expect(await h.run(["failback", "--dry-run"])).to.equal(2);
    expect(h.stderr.text).to.contain(
      "error: prod stack 'prod' has no 'dbSubnetGroupName' output, needed to restore RDS into its network",
    );
  });

  for (const [args, message] of [
    [
      ["--prod-stack", "my prod"],
      "--prod-stack 'my prod' is not a stack name: letters, digits, '-', '_' or '.', optionally qualified as <org>/<project>/<stack>",
    ],
    [
      ["--drill", "--skip-pre-copy"],
      "--skip-pre-copy applies to a failback: a drill (--drill) makes no backups, it copies the DR vault's newest points; drop one",
    ],
    [
      ["--keep"],
      "--keep applies to a drill (--drill): a failback keeps everything it restores, and deletes nothing",
    ],
    [["--health-url", "prod/health"], "--health-url 'prod/health' is not an http(s) URL"],
    [
      ["--iam-role-arn", "backup-role"],
      "--iam-role-arn 'backup-role' is not an IAM role ARN: use arn:aws:iam::<12-digit account>:role/<name>",
    ],
    [["--freeze-timeout", "0"], "--freeze-timeout '0' must be a positive number of seconds"],
    [["--poll-max", "soon"], "--poll-max 'soon' must be a positive number of seconds"],
  ] as const) {
    it(`bad input is refused before anything is read: ${args.join(" ")}`, async () => {
      const { dr } = setUp();
      expect(await h.run(["failback", "--dry-run", ...args])).to.equal(2);
      expect(h.stderr.text).to.contain(`error: ${message}`);
      expect(() => dr()).to.throw("never opened");
    });
  }

  it("a second operator is refused while another run holds the lock, with the holder named", async () => {
    setUp();
    const lock = RunLock.acquire(h.stateDir, {
      command: "dr recover",
      nowMs: Date.parse("2026-04-12T08:55:00Z"),
    });
    try {
      lock.setRunId("20260412t085500b2");
      expect(await h.run(["failback", "--yes"])).to.equal(2);
      expect(h.stderr.text).to.contain(
        `error: another 'dr recover' holds ${path.join(h.stateDir, "run.lock")}: run 20260412t085500b2, pid ${process.pid}, started 2026-04-12T08:55:00.000Z`,
      );
    } finally {
      lock.release();
    }
  });
});
