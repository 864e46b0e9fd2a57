import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DrError } from "../../../../scripts/errors";
import { JournalStore, JournalWriter, RunJournal } from "../../../../scripts/recovery/core/journal";

function journal(runId = "r1"): RunJournal {
  return {
    version: 1,
    kind: "recover",
    runId,
    startedAt: "2026-04-12T09:00:00.000Z",
    state: "running",
    stackName: "dr",
    region: "us-west-2",
    vaultName: "dr-vault",
    plan: [],
    skipped: [],
    jobs: {},
    flips: [],
    resumedAt: [],
  };
}

describe("journal", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-journal-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("writes atomically under <dir>/<kind>.json and leaves no temporary files", async () => {
    const store = new JournalStore(path.join(dir, ".dr"), "recover");
    expect(store.load()).to.equal(undefined);
    store.save(journal());
    await store.saveAsync({ ...journal(), state: "finished" });
    expect(fs.readdirSync(path.join(dir, ".dr"))).to.deep.equal(["recover.json"]);
    expect(store.load()?.state).to.equal("finished");
  });

  it("an older asynchronous write finishing late never overwrites a newer one", async () => {
    const store = new JournalStore(dir, "recover");
    const older = store.saveAsync({ ...journal(), state: "running" });
    store.save({ ...journal(), state: "finished" });
    await older;
    expect(store.load()?.state).to.equal("finished");
    expect(fs.readdirSync(dir)).to.deep.equal(["recover.json"]);
  });

  it("the writer coalesces bursts of changes and flushes the latest state", async () => {
    const store = new JournalStore(dir, "drill");
    const j = { ...journal(), kind: "drill" as const };
    const writer = new JournalWriter(store, j);
    let writes = 0;
    const original = store.saveAsync.bind(store);
    store.saveAsync = async (x) => {
      writes++;
      return original(x);
    };
    for (let i = 0; i < 50; i++) {
      j.resumedAt.push(String(i));
      writer.request();
    }
    await writer.flush();
    expect(writes).to.be.at.most(2);
    expect(store.load()?.resumedAt).to.have.length(50);
  });

  it("archives a finished run as <kind>-<runId>.json", () => {
    const store = new JournalStore(dir, "recover");
    store.save(journal("r7"));
    store.archive(journal("r7"));
    expect(fs.readdirSync(dir)).to.deep.equal(["recover-r7.json"]);
  });

  it("a damaged state file is one clear error, never silently replaced", () => {
    fs.writeFileSync(path.join(dir, "recover.json"), "{ not json");
    const store = new JournalStore(dir, "recover");
    expect(() => store.load()).to.throw(
      DrError,
      /^state file .*recover\.json is not valid JSON \(.*\): move it away to start over$/,
    );
    fs.writeFileSync(path.join(dir, "recover.json"), JSON.stringify({ ...journal(), kind: "drill" }));
    expect(() => store.load()).to.throw(DrError, /is not a recover journal: move it away to start over$/);
  });
});
