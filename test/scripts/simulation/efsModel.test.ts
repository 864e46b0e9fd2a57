// The simulated EFS: a restored file system's throughput mode, UpdateFileSystem's rules and its 24-hour wait.
import { expect } from "chai";
import { FakeApiError } from "../../../scripts/simulation/backupJobs";
import { EfsModel, EfsModelOptions, THROUGHPUT_CHANGE_WAIT_MS } from "../../../scripts/simulation/efsModel";
import { ResourceStore } from "../../../scripts/simulation/resourceStore";

const REGION = "us-west-2";
const START = Date.parse("2026-04-12T09:00:00Z");

/** A model on a hand-moved clock with one restored file system `fs-1` (PerformanceMode `performance`). */
function harness(performance = "generalPurpose", limit?: number, options: EfsModelOptions = {}) {
  let now = START;
  const store = new ResourceStore(() => now);
  store.add({
    type: "EFS",
    id: "fs-1",
    region: REGION,
    metadata: { PerformanceMode: performance, CreationToken: "dr-x-shared" },
    restoreJobId: "job-1",
  });
  const model = new EfsModel(store, {
    ...options,
    ...(limit !== undefined && { provisionedLimitMibps: limit }),
  });
  return { model, at: (ms: number) => (now = START + ms) };
}

/** The FakeApiError `call` throws, as `<status> <type>: <message>`. */
function refusal(call: () => unknown): string {
  try {
    call();
  } catch (err) {
    if (err instanceof FakeApiError) return `${err.status} ${err.type}: ${err.message}`;
    throw err;
  }
  throw new Error("expected a refusal");
}

describe("simulation: EFS file systems (scripts/simulation/efsModel.ts)", () => {
  it("describes a restored file system available, in the Bursting mode (no restore key carries a throughput)", () => {
    const { model } = harness();
    expect(model.describe(REGION, "fs-1")).to.deep.include({
      FileSystemId: "fs-1",
      LifeCycleState: "available",
      ThroughputMode: "bursting",
      PerformanceMode: "generalPurpose",
      CreationToken: "dr-x-shared",
    });
    expect(refusal(() => model.describe(REGION, "fs-2"))).to.equal(
      "404 FileSystemNotFound: File system 'fs-2' does not exist.",
    );
    expect(refusal(() => model.describe("us-east-1", "fs-1"))).to.match(/^404 FileSystemNotFound/);
  });

  it("a restored file system creating: UpdateFileSystem refused (IncorrectFileSystemLifeCycleState) until available", () => {
    const { model, at } = harness("generalPurpose", undefined, { creatingMs: 60_000 });
    expect(model.describe(REGION, "fs-1").LifeCycleState).to.equal("creating");
    expect(refusal(() => model.update(REGION, "fs-1", { ThroughputMode: "elastic" }))).to.equal(
      "409 IncorrectFileSystemLifeCycleState: File system 'fs-1' is creating, not available.",
    );
    at(60_000);
    expect(model.describe(REGION, "fs-1").LifeCycleState).to.equal("available");
    expect(model.update(REGION, "fs-1", { ThroughputMode: "elastic" }).ThroughputMode).to.equal("elastic");
  });

  it("capacity short: more provisioned throughput refused (InsufficientThroughputCapacity, 503) the calls it lasts", () => {
    const { model } = harness("generalPurpose", undefined, { capacityShortCalls: 1 });
    const provisioned = { ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 64 };
    expect(model.update(REGION, "fs-1", { ThroughputMode: "elastic" }).ThroughputMode).to.equal("elastic");
    expect(refusal(() => model.update(REGION, "fs-1", provisioned))).to.equal(
      "503 InsufficientThroughputCapacity: There is not enough capacity to provision additional throughput. Try again later.",
    );
    expect(model.update(REGION, "fs-1", provisioned).ThroughputMode).to.equal("provisioned");
  });

  it("changes Bursting to Elastic at once, and back, with no wait (no change to provisioned, no increase)", () => {
    const { model } = harness();
    expect(model.update(REGION, "fs-1", { ThroughputMode: "elastic" }).ThroughputMode).to.equal("elastic");
    expect(model.update(REGION, "fs-1", { ThroughputMode: "bursting" }).ThroughputMode).to.equal("bursting");
  });

  it("after a change to provisioned: increases at any time, a mode change or a decrease only 24 hours later", () => {
    const { model, at } = harness();
    expect(
      model.update(REGION, "fs-1", { ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 128 }),
    ).to.deep.include({ ThroughputMode: "provisioned", ProvisionedThroughputInMibps: 128 });
    at(60_000);
    expect(
      model.update(REGION, "fs-1", { ProvisionedThroughputInMibps: 256 }).ProvisionedThroughputInMibps,
    ).to.equal(256);
    // The increase at 1 min moved the wait to 24 h after it.
    at(THROUGHPUT_CHANGE_WAIT_MS);
    expect(refusal(() => model.update(REGION, "fs-1", { ThroughputMode: "elastic" }))).to.equal(
      "429 TooManyRequests: You have reached the maximum number of throughput mode changes or provisioned throughput value decreases. Wait until 2026-04-13T09:01:00Z UTC and try again.",
    );
    expect(refusal(() => model.update(REGION, "fs-1", { ProvisionedThroughputInMibps: 64 }))).to.match(
      /^429 TooManyRequests/,
    );
    expect(model.describe(REGION, "fs-1").ProvisionedThroughputInMibps).to.equal(256);
    at(THROUGHPUT_CHANGE_WAIT_MS + 60_000);
    expect(
      model.update(REGION, "fs-1", { ProvisionedThroughputInMibps: 64 }).ProvisionedThroughputInMibps,
    ).to.equal(64);
    // A decrease sets no new wait: the mode may change at once.
    expect(model.update(REGION, "fs-1", { ThroughputMode: "elastic" })).to.deep.include({
      ThroughputMode: "elastic",
    });
    expect(model.describe(REGION, "fs-1").ProvisionedThroughputInMibps).to.equal(undefined);
  });

  it("refuses provisioned without an amount, Elastic on a Max I/O file system, and more than the region allows", () => {
    expect(refusal(() => harness().model.update(REGION, "fs-1", { ThroughputMode: "provisioned" }))).to.equal(
      "400 BadRequest: ProvisionedThroughputInMibps is required, at least 1, when ThroughputMode is provisioned.",
    );
    expect(
      refusal(() => harness("maxIO").model.update(REGION, "fs-1", { ThroughputMode: "elastic" })),
    ).to.equal(
      "400 BadRequest: Elastic throughput mode is available only for file systems with the General Purpose performance mode.",
    );
    expect(
      refusal(() =>
        harness("generalPurpose", 1024).model.update(REGION, "fs-1", {
          ThroughputMode: "provisioned",
          ProvisionedThroughputInMibps: 2048,
        }),
      ),
    ).to.equal("400 ThroughputLimitExceeded: The throughput limit of 1024 MiB/s has been reached.");
    expect(refusal(() => harness().model.update(REGION, "fs-1", { ThroughputMode: "turbo" }))).to.match(
      /^400 BadRequest: ThroughputMode 'turbo'/,
    );
  });

  it("deletes a file system: gone for every call after", () => {
    const { model } = harness();
    model.delete(REGION, "fs-1");
    expect(refusal(() => model.update(REGION, "fs-1", { ThroughputMode: "elastic" }))).to.match(
      /^404 FileSystemNotFound/,
    );
  });
});
