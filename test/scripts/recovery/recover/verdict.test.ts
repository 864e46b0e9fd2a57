// dr recover and dr drill on the harness: the last line and the exit code say whether the RPO and RTO objectives were met.
import { DeleteTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { DeleteDBInstanceCommand } from "@aws-sdk/client-rds";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { RunReport } from "../../../../scripts/recovery/core/report";
import { SimPoint, simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { Harness, HarnessOptions } from "../../../fakes/harness";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;
const RUN = "20260412t090000a7";

/** A database 50 minutes old restored in 35 minutes, and a bucket `bucketAgeMin` old (the dr stack's RPO is 60 min). */
function vault(bucketAgeMin = 30, extra: Partial<SimPoint> = {}): SimPoint[] {
  return [
    simPoint("RDS", "production-db", NOW, 50 * MIN, { restoreMs: 35 * MIN }),
    simPoint("S3", "app-data", NOW, bucketAgeMin * MIN, { restoreMs: 10 * MIN, ...extra }),
  ];
}

describe("dr recover: the verdict against the objectives", () => {
  let h: Harness;
  const make = (options: Partial<HarnessOptions> = {}) => {
    h = new Harness({ points: vault(), stack: { upMs: [1 * MIN] }, ...options });
    return h;
  };
  afterEach(() => h?.dispose());

  const lastLine = () => h.stdout.text.trimEnd().split("\n").pop();
  const report = (kind = "recover"): RunReport =>
    JSON.parse(fs.readFileSync(path.join(h.reportDir, `${kind}-${RUN}.json`), "utf8"));
  const markdown = (kind = "recover") => fs.readFileSync(path.join(h.reportDir, `${kind}-${RUN}.md`), "utf8");

  it("GIVEN every objective met THEN SUCCESS with each objective's target and achieved value, last, exit 0", async () => {
    make();
    expect(await h.run(["recover", "--yes"]), h.stderr.text).to.equal(0);
    expect(lastLine()).to.match(
      new RegExp(
        `^recover ${RUN}: SUCCESS; RPO met: 50 min, target 60 min; RTO met: 3\\dm \\d\\ds, target 240 min; exit 0$`,
      ),
    );
    expect(report().verdict.result).to.equal("success");
    expect(markdown()).to.contain(
      "- Verdict: SUCCESS (exit 0)\n  - RPO met: 50 min, target 60 min\n  - RTO met: ",
    );
  });

  it("GIVEN a point 60.8 min old against a 60 min RPO THEN the last line says RPO OBJECTIVE MISSED and the exit is 1 (trial P4)", async () => {
    make({ points: vault(60.8) });
    expect(await h.run(["recover", "--yes"]), h.stderr.text).to.equal(1);
    expect(lastLine()).to.match(
      new RegExp(
        `^recover ${RUN}: RPO OBJECTIVE MISSED; RPO MISSED: 60.8 min, target 60 min; RTO met: .*, target 240 min; exit 1$`,
      ),
    );
    expect(h.stdout.text).to.contain(`recover ${RUN}: RPO OBJECTIVE MISSED\n  restore jobs: 2 completed`);
    expect(h.stdout.text).not.to.match(/: SUCCESS/);
    const json = report();
    // The run did all it was asked: its outcome stays success, the verdict is what missed.
    expect(json.outcome).to.equal("success");
    expect(json.rpo).to.deep.equal({ targetMinutes: 60, achievedMinutes: 60.8, met: false });
    expect(json.verdict).to.deep.include({ result: "objectives-missed", exitCode: 1 });
    expect(markdown().split("\n")[0]).to.equal(`# DR recovery ${RUN}: rpo objective missed`);
    expect(markdown()).to.contain("  - RPO MISSED: 60.8 min, target 60 min\n");
  });

  it("GIVEN a 30 min RTO and a 35 min database restore THEN RTO OBJECTIVE MISSED, exit 1", async () => {
    make({ stack: { upMs: [1 * MIN], outputs: { rtoMinutes: 30 } } });
    expect(await h.run(["recover", "--yes"]), h.stderr.text).to.equal(1);
    expect(lastLine()).to.match(
      new RegExp(
        `^recover ${RUN}: RTO OBJECTIVE MISSED; RPO met: 50 min, target 60 min; RTO MISSED: 3\\dm \\d\\ds, target 30 min; exit 1$`,
      ),
    );
    expect(report().rto.met).to.equal(false);
  });

  it("GIVEN a failed restore and a healthy endpoint within the RTO THEN PARTIAL and neither objective is 'met' (trial P5)", async () => {
    make({ points: vault(30, { outcome: "FAILED", failureMessage: "Access denied (kms:CreateGrant)" }) });
    expect(await h.run(["recover", "--yes"]), h.stderr.text).to.equal(1);
    expect(lastLine()).to.match(
      new RegExp(
        `^recover ${RUN}: PARTIAL; RPO NOT MET \\(partial run\\): 50 min, target 60 min; RTO NOT MET \\(partial run\\): 3\\dm \\d\\ds, target 240 min; exit 1$`,
      ),
    );
    expect(h.stdout.text).not.to.match(/\bmet:/);
    const json = report();
    expect(json.rto.measuredSeconds).to.be.lessThan(240 * 60);
    expect(json.rto.met).to.equal(false);
    expect(json.rpo.met).to.equal(false);
    expect(markdown()).not.to.match(/met: yes|\bmet:/);
  });

  it("GIVEN --no-flip THEN no health check, the RTO is 'not measured', never 'met', and the run succeeds (exit 0)", async () => {
    make();
    expect(await h.run(["recover", "--yes", "--no-flip"]), h.stderr.text).to.equal(0);
    expect(lastLine()).to.equal(
      `recover ${RUN}: SUCCESS; RPO met: 50 min, target 60 min; RTO not measured (no health check ran): target 240 min; exit 0`,
    );
    expect(report().rto.met).to.equal(undefined);
  });

  it("GIVEN --no-flip and data restored after more than the RTO THEN the RTO is MISSED without a health check", async () => {
    make({ stack: { upMs: [1 * MIN], outputs: { rtoMinutes: 30 } } });
    expect(await h.run(["recover", "--yes", "--no-flip"]), h.stderr.text).to.equal(1);
    expect(lastLine()).to.match(
      /RTO MISSED: -, target 30 min \(at least data restored after 35m 0\ds\); exit 1$/,
    );
  });

  it("dr drill: a missed RPO is the drill's last line and exit code too", async () => {
    make({
      points: [
        simPoint("RDS", "production-db", NOW, 60.8 * MIN, { restoreMs: 35 * MIN }),
        simPoint("DynamoDB", "Orders", NOW, 40 * MIN, { restoreMs: 18 * MIN }),
      ],
      primaryUp: true,
    });
    h.dynamodb.on(DescribeTableCommand).callsFake(async (input: { TableName: string }) => ({
      Table: { TableName: input.TableName, TableStatus: "ACTIVE" },
    }));
    h.dynamodb.on(DeleteTableCommand).resolves({});
    h.rds.on(DeleteDBInstanceCommand).resolves({});
    expect(await h.run(["drill", "--yes"]), h.stderr.text).to.equal(1);
    expect(lastLine()).to.match(new RegExp(`^drill ${RUN}: RPO OBJECTIVE MISSED; RPO MISSED: 60.8 min`));
    expect(report("drill").verdict.result).to.equal("objectives-missed");
  });
});
