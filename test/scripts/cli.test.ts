import { expect } from "chai";
import { main } from "../../scripts/cli";
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
        "130 interrupted (re-run the same command to resume).",
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
    expect(h.stderr.text).to.contain("(run 'dr --help' or 'dr <command> --help' for usage)");
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
});
