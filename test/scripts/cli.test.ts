import { expect } from "chai";
import { main } from "../../scripts/cli";
import { Harness } from "./fakes/harness";

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
      "Exit codes: 0 ok, 1 partial / status finding, 2 bad input or state (nothing started),",
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
