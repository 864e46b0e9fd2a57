// dr recover and dr drill give a restored EFS file system the throughput its inventory entry declares (issue 23).
import { DescribeFileSystemsCommand, UpdateFileSystemCommand } from "@aws-sdk/client-efs";
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import type { DataInventoryEntry, EfsThroughput } from "../../../../stacks/drContract";
import { RunReport } from "../../../../scripts/recovery/core/report";
import { efs } from "../../../../scripts/recovery/resources/efs";
import { resourceArn } from "../../../../scripts/simulation/resourceStore";
import { simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { restoredDataOf } from "../../../fakes/fakeStack";
import { awsError } from "../../../fakes/sdkFrontEnd";
import { Harness, HarnessOptions } from "../../../fakes/harness";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;
const RUN = "20260412t090000a7";

/** The inventory: a table and the file system `shared`, declaring `throughput`. */
function inventory(throughput?: EfsThroughput): DataInventoryEntry[] {
  return [
    {
      name: "orders",
      kind: "dynamodb",
      sourceId: "Orders",
      sourceArn: resourceArn("DynamoDB", "us-east-1", "Orders"),
    },
    {
      name: "shared",
      kind: "efs",
      sourceId: "fs-0shared",
      sourceArn: resourceArn("EFS", "us-east-1", "fs-0shared"),
      ...(throughput && { throughput }),
    },
  ];
}

const POINTS = [
  simPoint("DynamoDB", "Orders", NOW, 30 * MIN, { restoreMs: 20 * MIN }),
  simPoint("EFS", "fs-0shared", NOW, 30 * MIN, { restoreMs: 20 * MIN }),
];

const PROVISIONED: EfsThroughput = { mode: "provisioned", provisionedMibps: 256 };

describe("dr recover: a restored file system gets the throughput its inventory entry declares (issue 23)", () => {
  let h: Harness;
  const make = (throughput?: EfsThroughput, options: Partial<HarnessOptions> = {}) => {
    h = new Harness({
      points: POINTS,
      stack: { upMs: [MIN, MIN], outputs: { dataInventory: inventory(throughput) } },
      health: [200],
      ...options,
    });
    return h;
  };
  afterEach(() => h?.dispose());

  const report = (kind = "recover"): RunReport =>
    JSON.parse(fs.readFileSync(path.join(h.reportDir, `${kind}-${RUN}.json`), "utf8"));
  const restoredFileSystem = () => restoredDataOf(h.stack.config).shared.id;

  it("sets provisioned throughput on the new file system with UpdateFileSystem in the DR region: SUCCESS", async () => {
    make(PROVISIONED);
    expect(await h.run(["recover", "--yes"]), h.stderr.text).to.equal(0);
    const id = restoredFileSystem();
    expect(h.efsModel.describe("us-west-2", id)).to.deep.include({
      ThroughputMode: "provisioned",
      ProvisionedThroughputInMibps: 256,
    });
    const calls = h.efs.commandCalls(UpdateFileSystemCommand);
    expect(calls.map((c) => c.args[0].input)).to.deep.equal([
      { FileSystemId: id, ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 256 },
    ]);
    expect(h.stdout.text + h.stderr.text).to.contain(
      `EFS fs-0shared: file system ${id} set to throughput mode provisioned, 256 MiB/s (restored with bursting)`,
    );
    expect(report().outcome).to.equal("success");
    expect(h.journal("recover").jobs[POINTS[1].recoveryPointArn].declared).to.deep.include({ ok: true });
  });

  it("sets Elastic, the default mode the prod stack exports", async () => {
    make({ mode: "elastic" });
    expect(await h.run(["recover", "--yes"]), h.stderr.text).to.equal(0);
    expect(h.efsModel.describe("us-west-2", restoredFileSystem()).ThroughputMode).to.equal("elastic");
  });

  it("calls nothing when the restored mode is already the declared one (bursting)", async () => {
    make({ mode: "bursting" });
    expect(await h.run(["recover", "--yes"]), h.stderr.text).to.equal(0);
    expect(h.efs.commandCalls(UpdateFileSystemCommand)).to.have.length(0);
    expect(h.stdout.text + h.stderr.text).to.match(/file system fs-\S+ already has throughput mode bursting/);
  });

  it("a refused UpdateFileSystem leaves the run PARTIAL with AWS's reason and the command that sets it; the file system is still wired", async () => {
    make(PROVISIONED, { efs: { provisionedLimitMibps: 128 } });
    expect(await h.run(["recover", "--yes"]), h.stdout.text + h.stderr.text).to.equal(1);
    const r = report();
    expect(r.outcome).to.equal("partial");
    const id = restoredFileSystem();
    const reason =
      "EFS fs-0shared: restored and served, but without the throughput mode provisioned, 256 MiB/s the data inventory's 'shared' declares: " +
      "ThroughputLimitExceeded: The throughput limit of 128 MiB/s has been reached.; set it once AWS allows: " +
      `aws efs update-file-system --region us-west-2 --file-system-id ${id} --throughput-mode provisioned --provisioned-throughput-in-mibps 256`;
    expect(r.notes).to.include(reason);
    expect(h.stdout.text).to.contain(`note: ${reason}`);
    expect(h.stdout.text).to.match(/recover \S+: PARTIAL/);
    expect(fs.readFileSync(path.join(h.reportDir, `recover-${RUN}.md`), "utf8")).to.contain(`- ${reason}`);
    // The data is there and served: only its throughput is not as declared.
    expect(h.efsModel.describe("us-west-2", id).ThroughputMode).to.equal("bursting");
    expect(h.journal("recover").jobs[POINTS[1].recoveryPointArn].declared).to.deep.include({ ok: false });
  });

  it("EFS's 24-hour rule (TooManyRequests) is reported the same way, never SUCCESS", async () => {
    make(PROVISIONED);
    h.efs
      .on(UpdateFileSystemCommand)
      .rejects(
        awsError(
          "TooManyRequests",
          "You have reached the maximum number of throughput mode changes or provisioned throughput value decreases. Wait until 2026-04-13T09:20:00Z UTC and try again.",
          429,
        ),
      );
    expect(await h.run(["recover", "--yes"])).to.equal(1);
    expect(report().outcome).to.equal("partial");
    expect(report().notes.join("\n")).to.contain("TooManyRequests: You have reached the maximum number");
  });

  it("waits for the restored file system to be available before UpdateFileSystem, on the run's clock: SUCCESS", async () => {
    make(PROVISIONED, { efs: { creatingMs: 2 * MIN } });
    expect(await h.run(["recover", "--yes"]), h.stdout.text + h.stderr.text).to.equal(0);
    const id = restoredFileSystem();
    expect(h.efs.commandCalls(UpdateFileSystemCommand)).to.have.length(1);
    expect(h.efsModel.describe("us-west-2", id)).to.deep.include({
      LifeCycleState: "available",
      ThroughputMode: "provisioned",
    });
    // Described while creating, every 15 s, until available: more than the one look a ready one needs.
    const looks = h.efs
      .commandCalls(DescribeFileSystemsCommand)
      .filter((c) => c.args[0].input.FileSystemId === id);
    expect(looks.length).to.be.greaterThan(2);
    expect(report().outcome).to.equal("success");
  });

  it("retries InsufficientThroughputCapacity ('Try again later'), then sets it: SUCCESS", async () => {
    make(PROVISIONED, { efs: { capacityShortCalls: 2 } });
    expect(await h.run(["recover", "--yes"]), h.stdout.text + h.stderr.text).to.equal(0);
    expect(h.efs.commandCalls(UpdateFileSystemCommand)).to.have.length(3);
    expect(h.efsModel.describe("us-west-2", restoredFileSystem()).ThroughputMode).to.equal("provisioned");
    expect(report().outcome).to.equal("success");
  });

  it("capacity still short after 4 attempts, or a file system never available: PARTIAL with AWS's reason", async () => {
    make(PROVISIONED, { efs: { capacityShortCalls: 10 } });
    expect(await h.run(["recover", "--yes"])).to.equal(1);
    expect(h.efs.commandCalls(UpdateFileSystemCommand)).to.have.length(4);
    expect(report().outcome).to.equal("partial");
    expect(report().notes.join("\n")).to.contain("InsufficientThroughputCapacity");
    h.dispose();
    make(PROVISIONED, { efs: { creatingMs: 24 * 60 * MIN } });
    expect(await h.run(["recover", "--yes"])).to.equal(1);
    expect(h.efs.commandCalls(UpdateFileSystemCommand)).to.have.length(4);
    expect(report().outcome).to.equal("partial");
    expect(report().notes.join("\n")).to.contain("IncorrectFileSystemLifeCycleState");
  });

  it("--dry-run says what will be set after the restore, and sets nothing", async () => {
    make(PROVISIONED);
    expect(await h.run(["recover", "--dry-run"]), h.stderr.text).to.equal(0);
    expect(h.stdout.text).to.contain(
      "note: after the restore: throughput mode provisioned, 256 MiB/s, declared by the data inventory's 'shared' and not kept by a restore",
    );
    expect(h.efs.commandCalls(UpdateFileSystemCommand)).to.have.length(0);
  });

  it("a prod stack that exports no throughput (deployed before it did): nothing is set, the run succeeds", async () => {
    make(undefined);
    expect(await h.run(["recover", "--yes"]), h.stderr.text).to.equal(0);
    expect(h.efs.commandCalls(UpdateFileSystemCommand)).to.have.length(0);
    expect(h.stdout.text).to.not.contain("after the restore:");
  });

  it("a drill with --flip sets it too, on the drill's own copy; a drill without one wires nothing and sets nothing", async () => {
    make(PROVISIONED);
    expect(await h.run(["drill", "--yes"]), h.stderr.text).to.equal(0);
    expect(h.efs.commandCalls(UpdateFileSystemCommand)).to.have.length(0);
    h.dispose();
    make(PROVISIONED);
    expect(await h.run(["drill", "--flip", "--yes"]), h.stdout.text + h.stderr.text).to.equal(0);
    const calls = h.efs.commandCalls(UpdateFileSystemCommand).map((c) => c.args[0].input);
    expect(calls).to.have.length(1);
    expect(calls[0]).to.deep.include({ ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 256 });
  });
});

describe("EFS: what a restore does not keep of its inventory entry (resources/efs.ts declaredSettings)", () => {
  const entry = inventory(PROVISIONED)[1];

  it("declares the throughput for a restore into a new file system", () => {
    expect(efs.declaredSettings?.(entry, { newFileSystem: "true", CreationToken: "dr-x" })).to.deep.equal({
      entry: "shared",
      summary: "throughput mode provisioned, 256 MiB/s",
      throughput: PROVISIONED,
    });
  });

  it("declares nothing for a restore into an existing file system (its throughput is its own), in any key case", () => {
    expect(efs.declaredSettings?.(entry, { newFileSystem: "false", "file-system-id": "fs-dr" })).to.equal(
      undefined,
    );
    expect(efs.declaredSettings?.(entry, { NEWFILESYSTEM: "false" })).to.equal(undefined);
  });

  it("declares nothing for an entry without a throughput", () => {
    expect(efs.declaredSettings?.(inventory()[1], { newFileSystem: "true" })).to.equal(undefined);
  });
});
