import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../scripts/cli";
import { childEnv, startDr } from "../fakes/childDr";
import { Harness } from "../fakes/harness";

describe("dr CLI", () => {
  let h: Harness;
  beforeEach(() => (h = new Harness({ points: [] })));
  afterEach(() => h.dispose());

  it("--help lists the commands and the exit codes (exit 0)", async () => {
    expect(await main(["--help"], h.deps)).to.equal(0);
    expect(h.stdout.text).to.match(/status \[options\]/);
    expect(h.stdout.text).to.match(/recover \[options\]/);
    expect(h.stdout.text).to.match(/drill \[options\]/);
    expect(h.stdout.text).to.contain(
      "Exit codes: 0 ok: done, every objective met; 1 partial, an RPO or RTO objective missed (the last\n" +
        "line says which), or a status finding; 2 bad input or state (nothing started); 3 recovery failed;\n" +
        "130 interrupted (the last line says what keeps running and how to resume); 141 output closed.",
    );
  });

  it("recover --help documents the safety flags", async () => {
    expect(await main(["recover", "--help"], h.deps)).to.equal(0);
    for (const flag of [
      "--yes",
      "--dry-run",
      "--as-of <time>",
      "--only <type|arn>",
      "--metadata <type.key=value>",
      "--skip-primary-check",
      "--no-flip",
      "--retry-failed",
    ]) {
      expect(h.stdout.text).to.contain(flag);
    }
  });

  for (const command of ["recover", "drill"]) {
    it(`${command} --help shows examples, each a command line and what it does`, async () => {
      expect(await main([command, "--help"], h.deps)).to.equal(0);
      const at = h.stdout.text.indexOf("\nExamples:\n");
      expect(at, "an Examples section").to.be.greaterThan(0);
      const examples = h.stdout.text.slice(at + "\nExamples:\n".length);
      const blocks = examples.trimEnd().split("\n\n");
      expect(blocks.length).to.be.at.least(4);
      for (const block of blocks) {
        expect(block).to.match(new RegExp(`^ {2}# \\S.*\\n {2}dr ${command}( \\S+)+$`));
        for (const line of block.split("\n")) expect(line.length, line).to.be.at.most(80);
      }
      expect(examples).to.contain(`\n  dr ${command} --dry-run\n`);
      expect(examples).to.contain(`\n  dr ${command} --yes\n`);
    });
  }

  it("plan --help lists the global --work-dir, and not the deprecated --cwd", async () => {
    expect(await main(["plan", "--help"], h.deps)).to.equal(0);
    expect(h.stdout.text).to.contain("--work-dir <dir>");
    expect(h.stdout.text).to.not.contain("--cwd");
  });

  it("an unknown command is a usage error (exit 2) with a hint", async () => {
    expect(await main(["restore"], h.deps)).to.equal(2);
    expect(h.stderr.text).to.contain("error: unknown command 'restore'");
    expect(h.stderr.text).to.contain(
      "(run 'restorekit-dr --help' or 'restorekit-dr <command> --help' for usage)",
    );
  });

  it("a non-numeric --poll-max is rejected before anything runs", async () => {
    expect(await h.run(["recover", "--yes", "--poll-max", "often"])).to.equal(2);
    expect(h.stderr.text).to.equal("error: --poll-max 'often' must be a positive number of seconds\n");
    expect(h.openStackCalls).to.equal(0);
  });

  it("an unexpected failure is one line and exit 3, with DR_DEBUG for the stack", async () => {
    const deps = { ...h.deps, openStack: async () => Promise.reject(new TypeError("boom")) };
    expect(await main(["recover", "--yes"], deps)).to.equal(3);
    expect(h.stderr.text).to.equal("error: boom (set DR_DEBUG=1 for details)\n");
  });

  it("--help lists the root --utc flag (finding 4)", async () => {
    expect(await main(["--help"], h.deps)).to.equal(0);
    expect(h.stdout.text).to.match(
      /\n {2}--utc +print times in UTC, marked Z \(default: local time,\s+honouring TZ/,
    );
  });

  describe("times with their zone, as an operator's shell sets TZ (finding 4)", function () {
    // Each case starts the CLI from its sources in a child process: seconds, more on a loaded machine.
    this.timeout(120_000);
    // `plan --cwd` warns (a time-stamped line) before it finds no project there: a stamp without AWS.
    const warned = async (args: readonly string[]) => {
      const run = startDr([...args, "-s", "dr", "plan", "--cwd", "/nonexistent-dr-project"], {
        ...childEnv({}),
        TZ: "Asia/Kolkata",
      });
      expect(await run.exit).to.equal(2);
      return run.stderr().split("\n")[0];
    };

    it("GIVEN TZ=Asia/Kolkata THEN local time, marked +05:30 (it was unmarked UTC)", async () => {
      expect(await warned([])).to.match(/^\d\d:\d\d:\d\d\+05:30 WARNING dr plan --cwd is deprecated/);
    });

    it("GIVEN --utc THEN UTC, marked Z, whatever TZ says", async () => {
      expect(await warned(["--utc"])).to.match(/^\d\d:\d\d:\d\dZ WARNING dr plan --cwd is deprecated/);
    });
  });
});

describe("dr CLI: a reader that closes its end of the pipe early (`dr help plan | head -1`)", function () {
  // Each child loads the CLI from its sources; the rehearsal evaluates both stacks first.
  this.timeout(120_000);

  /** A closed stdout ends `dr` as SIGPIPE ends `git log | head`: at once, 128 + 13, nothing on stderr. */
  const expectQuietEnd = (code: number | null, stderr: string) => {
    expect(stderr, "stderr").to.not.match(/EPIPE|Error|at .*:\d+:\d+/);
    expect(code).to.equal(141);
  };

  it("GIVEN `dr help plan` whose reader has gone before the first line THEN ends quietly", async () => {
    const run = startDr(["help", "plan"], childEnv({}));
    // The reader goes before the child has written anything: every write meets a closed pipe.
    run.child.stdout?.destroy();
    expectQuietEnd(await run.exit, run.stderr());
  });

  it("GIVEN `dr rehearse` whose reader goes after two lines THEN ends quietly, the rehearsal with it", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-epipe-"));
    try {
      const env = Object.fromEntries(
        Object.entries(childEnv({})).filter(([key]) => !key.startsWith("AWS_") && !key.startsWith("PULUMI_")),
      );
      const run = startDr(
        [
          "--report-dir",
          path.join(dir, "reports"),
          "rehearse",
          "--rehearsal-dir",
          path.join(dir, "state"),
          "--speed",
          "1000",
        ],
        env,
      );
      // As `head -2`: read two lines, then close.
      let seen = "";
      run.child.stdout?.on("data", (chunk) => {
        seen += String(chunk);
        if (seen.split("\n").length > 2) run.child.stdout?.destroy();
      });
      expectQuietEnd(await run.exit, run.stderr());
      expect(fs.existsSync(path.join(dir, "reports")), "no report: the run ended").to.equal(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
