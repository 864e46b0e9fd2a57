import { spawn } from "child_process";
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { RunLock } from "../../../../scripts/recovery/core/runLock";

const NOW = Date.parse("2026-12-01T10:00:00Z");
const REPO = path.resolve(__dirname, "..", "..", "..", "..");

function holderFile(dir: string, holder: object): string {
  const file = path.join(dir, "run.lock");
  fs.writeFileSync(file, JSON.stringify(holder));
  return file;
}

/** Starts a process that takes the lock (or is refused), says which on stdout, and holds it until told. */
function contender(dir: string) {
  const script = `
    const { RunLock } = require(${JSON.stringify(path.join(REPO, "scripts", "recovery", "core", "runLock.ts"))});
    let lock;
    try { lock = RunLock.acquire(${JSON.stringify(dir)}, { command: "dr recover", nowMs: Date.now() }); console.log("got"); }
    catch (err) { console.log("refused: " + err.message); }
    process.stdin.on("data", () => {}).on("end", () => lock && lock.release());
  `;
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "-e", script], {
    cwd: REPO,
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  const answer = new Promise<string>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("\n")) resolve(out.trim());
    });
    child.on("exit", (code) => reject(new Error(`contender exited ${code} before answering: ${out}`)));
  });
  const done = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return { answer, finish: () => (child.stdin.end(), done) };
}

describe("run lock", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-lock-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("GIVEN a lock file it did not write THEN it refuses and says to delete it, rather than take it over", () => {
    const file = path.join(dir, "run.lock");
    fs.writeFileSync(file, "");
    expect(() => RunLock.acquire(dir, { command: "dr recover", nowMs: NOW })).to.throw(
      `${file} is not a run lock this CLI wrote: if no recover or drill is running here, delete it and re-run`,
    );
    expect(fs.readFileSync(file, "utf8")).to.equal("");
  });

  it("GIVEN a stale lock of a process that is gone THEN it takes it over and leaves no other file", () => {
    holderFile(dir, { pid: 99, host: "a", command: "dr drill", startedAt: "2026-11-30T00:00:00.000Z" });
    const lock = RunLock.acquire(dir, {
      command: "dr recover",
      nowMs: NOW,
      pid: 7,
      host: "a",
      isAlive: () => false,
    });
    expect(JSON.parse(fs.readFileSync(path.join(dir, "run.lock"), "utf8"))).to.include({
      pid: 7,
      command: "dr recover",
    });
    expect(fs.readdirSync(dir)).to.deep.equal(["run.lock"]);
    lock.release();
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });

  it("GIVEN a contender replaces the stale lock while it is being judged THEN the contender's lock is kept", () => {
    const file = holderFile(dir, {
      pid: 99,
      host: "a",
      command: "dr drill",
      startedAt: "2026-11-30T00:00:00.000Z",
    });
    let judged = 0;
    const isAlive = (pid: number) => {
      judged++;
      if (pid === 99) {
        // Between reading the stale lock and moving it aside, a contender takes it over.
        holderFile(dir, { pid: 55, host: "a", command: "dr recover", startedAt: "2026-12-01T09:59:59.000Z" });
        return false;
      }
      return true;
    };
    expect(() =>
      RunLock.acquire(dir, { command: "dr drill", nowMs: NOW, pid: 7, host: "a", isAlive }),
    ).to.throw(`another 'dr recover' holds ${file}: a run, pid 55, started 2026-12-01T09:59:59.000Z`);
    expect(judged).to.equal(2);
    expect(JSON.parse(fs.readFileSync(file, "utf8")).pid).to.equal(55);
    expect(fs.readdirSync(dir)).to.deep.equal(["run.lock"]);
  });

  it("GIVEN four operators start at once over a stale lock THEN exactly one gets it and the others are told who", async function () {
    this.timeout(120_000);
    holderFile(dir, {
      pid: 2 ** 22 + 1,
      host: os.hostname(),
      command: "dr drill",
      startedAt: "2026-11-30T00:00:00.000Z",
    });
    const contenders = Array.from({ length: 4 }, () => contender(dir));
    try {
      const answers = await Promise.all(contenders.map((c) => c.answer));
      expect(answers.filter((a) => a === "got")).to.have.length(1);
      for (const refused of answers.filter((a) => a !== "got")) {
        expect(refused).to.match(
          /^refused: another 'dr recover' holds .*run\.lock: a run, pid \d+, started /,
        );
      }
    } finally {
      await Promise.all(contenders.map((c) => c.finish()));
    }
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });
});
