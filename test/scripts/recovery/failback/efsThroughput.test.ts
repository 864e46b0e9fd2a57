// dr failback gives the file system it restores in prod's region the throughput prod's inventory entry declares.
import { UpdateFileSystemCommand } from "@aws-sdk/client-efs";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { EfsThroughput } from "../../../../stacks/drContract";
import { RunJournal } from "../../../../scripts/recovery/core/journal";
import { FailbackReport } from "../../../../scripts/recovery/failback/report";
import { ACCOUNT, PROD_OUTPUTS } from "../../../../scripts/simulation/fixtures";
import { FailbackAws } from "../../../fakes/failbackAws";
import {
  ACTIVE_DR_CONFIG,
  RECOVERY_STARTED,
  failbackHarness,
  recoveryJournal,
} from "../../../fakes/failbackFixture";
import { FakeDrStack } from "../../../fakes/fakeStack";
import { Harness } from "../../../fakes/harness";

const RUN = "20260412t090000a7";
/** The file system the recovery restored in the DR region from prod's `fs-0shared`. */
const DR_FILE_SYSTEM = "fs-0restored1";
const POINT = `arn:aws:backup:us-west-2:${ACCOUNT}:recovery-point:rp-efs`;

/** The fixture's recovery, with prod's file system `fs-0shared` restored as {@link DR_FILE_SYSTEM}. */
function recoveryWithFileSystem(): RunJournal {
  const base = recoveryJournal();
  const first = base.plan[0];
  return {
    ...base,
    plan: [
      ...base.plan,
      {
        ...first,
        recoveryPointArn: POINT,
        resourceArn: `arn:aws:elasticfilesystem:us-east-1:${ACCOUNT}:file-system/fs-0shared`,
        resourceType: "EFS",
        resourceName: "fs-0shared",
      },
    ],
    jobs: {
      ...base.jobs,
      [POINT]: {
        ...base.jobs[first.recoveryPointArn],
        recoveryPointArn: POINT,
        resourceId: DR_FILE_SYSTEM,
        createdResourceArn: `arn:aws:elasticfilesystem:us-west-2:${ACCOUNT}:file-system/${DR_FILE_SYSTEM}`,
      },
    },
  };
}

describe("dr failback: the file system restored in prod's region gets the throughput prod's inventory entry declares", () => {
  let h: Harness;
  let aws: FailbackAws;
  let prod: () => FakeDrStack;
  afterEach(() => {
    aws?.dispose();
    h?.dispose();
  });

  const setUp = (throughput: EfsThroughput, efs: { provisionedLimitMibps?: number } = {}) => {
    const restoredData = JSON.parse(ACTIVE_DR_CONFIG["dr-app:restoredData"]) as Record<string, unknown>;
    const made = failbackHarness({
      recovery: recoveryWithFileSystem(),
      drConfig: {
        ...ACTIVE_DR_CONFIG,
        "dr-app:restoredData": JSON.stringify({
          ...restoredData,
          shared: { kind: "efs", id: DR_FILE_SYSTEM },
        }),
      },
      prodConfig: { "dr-app:domainName": "api.example.com" },
      prodOutputs: {
        dataInventory: [
          {
            name: "shared",
            kind: "efs",
            sourceId: "fs-0shared",
            sourceArn: `arn:aws:elasticfilesystem:us-east-1:${ACCOUNT}:file-system/fs-0shared`,
            throughput,
          },
        ],
      },
      efs,
    });
    ({ h, prod } = made);
    let dr: FakeDrStack | undefined;
    aws = new FailbackAws(h, made.points, () => (dr ??= made.dr()).config, Date.parse(RECOVERY_STARTED), {
      drObjects: { "orders/1.json": 30 },
      prodConfig: () => prod().config,
    });
  };
  const report = (): FailbackReport =>
    JSON.parse(fs.readFileSync(path.join(h.reportDir, `failback-${RUN}.json`), "utf8")) as FailbackReport;
  /** prod's file system after the failback: the `fb-` restore its restoredData names. */
  const prodFileSystem = () => {
    const data = JSON.parse(prod().config["dr-app:restoredData"]) as Record<string, { id: string }>;
    return data.shared.id;
  };

  it("sets Elastic on the fb- file system with UpdateFileSystem in prod's region: SUCCESS", async () => {
    setUp({ mode: "elastic" });
    expect(await h.run(["failback", "--yes", "--poll-max", "30"]), h.stdout.text + h.stderr.text).to.equal(0);
    const id = prodFileSystem();
    expect(h.efsModel.describe(PROD_OUTPUTS.region, id).ThroughputMode).to.equal("elastic");
    const calls = h.efs.commandCalls(UpdateFileSystemCommand);
    expect(calls.map((c) => c.args[0].input)).to.deep.equal([
      { FileSystemId: id, ThroughputMode: "elastic" },
    ]);
    expect(await calls[0].thisValue.config.region()).to.equal(PROD_OUTPUTS.region);
    expect(report().outcome).to.equal("success");
  });

  it("a refused UpdateFileSystem: PARTIAL, with AWS's reason and the command that sets it in prod's region", async () => {
    setUp({ mode: "provisioned", provisionedMibps: 256 }, { provisionedLimitMibps: 128 });
    expect(await h.run(["failback", "--yes", "--poll-max", "30"])).to.equal(1);
    const id = prodFileSystem();
    expect(report().outcome).to.equal("partial");
    expect(report().notes.join("\n")).to.contain(
      `ThroughputLimitExceeded: The throughput limit of 128 MiB/s has been reached.; set it once AWS allows: aws efs update-file-system --region ${PROD_OUTPUTS.region} --file-system-id ${id} --throughput-mode provisioned --provisioned-throughput-in-mibps 256`,
    );
    // prod serves the file system all the same, in the Bursting mode the restore gave it.
    expect(h.efsModel.describe(PROD_OUTPUTS.region, id).ThroughputMode).to.equal("bursting");
  });
});
