import { expect } from "chai";
import { execFile } from "child_process";
import { Command } from "commander";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main, namedCommand } from "../../../scripts/cli";
import { copyRepository } from "../../publish/consumerInstall";
import { Harness } from "../../fakes/harness";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function node(args: string[], env: NodeJS.ProcessEnv = {}, root = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, env: { ...process.env, ...env }, maxBuffer: 64 << 20 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/**
 * Runs `dr <args>` through scripts/bin/restorekit-dr.js as an operator does, and reports on stderr's last line
 * whether ts-node was loaded (the CLI ran from its sources) and which command modules were.
 */
function drReporting(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  root = ROOT,
): Promise<Run & { loaded: string[] }> {
  const script = [
    `process.argv = [process.argv[0], "dr", ...${JSON.stringify(args)}];`,
    "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));",
    `require(${JSON.stringify(path.join(root, "scripts", "bin", "restorekit-dr.js"))});`,
  ].join("\n");
  return node(["-e", script], env, root).then((run) => {
    const marker = run.stderr.lastIndexOf("\nLOADED ");
    const loaded = JSON.parse(run.stderr.slice(marker + "\nLOADED ".length)) as string[];
    return { ...run, stderr: run.stderr.slice(0, marker), loaded };
  });
}

/**
 * `<copy>/node_modules` as the workspace install makes it, without installing: every package linked to the
 * checkout's, but the component's workspace link to the copy's own components/, so the copy's build compiles
 * against the component it has just built, not the checkout's build.
 */
function linkDependencies(copy: string): void {
  const modules = path.join(copy, "node_modules");
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(ROOT, "node_modules"))) {
    if (entry === "@restorekit") continue;
    fs.symlinkSync(path.join(ROOT, "node_modules", entry), path.join(modules, entry), "dir");
  }
  fs.mkdirSync(path.join(modules, "@restorekit"));
  fs.symlinkSync(path.join("..", "..", "components"), path.join(modules, "@restorekit", "backup-restore-dr"), "dir");
}

/** What a command may only load when it runs: the AWS SDK, Pulumi, the component, the commands' modules. */
const COMMAND_DEPENDENCIES =
  /node_modules[\\/](@aws-sdk|@pulumi)[\\/]|components[\\/](src|bin)[\\/]|scripts[\\/](cost|runbook|plan|aws|recovery)[\\/]/;

describe("dr CLI start-up", function () {
  this.timeout(180_000);
  let h: Harness;
  beforeEach(() => (h = new Harness({ points: [] })));
  afterEach(() => h.dispose());

  it("--version prints the version from package.json (exit 0)", async () => {
    expect(await main(["--version"], h.deps)).to.equal(0);
    expect(h.stdout.text).to.equal(`${VERSION}\n`);
  });

  it("a misspelt --version suggests it (exit 2)", async () => {
    expect(await main(["--verison"], h.deps)).to.equal(2);
    expect(h.stderr.text).to.contain("error: unknown option '--verison'\n(Did you mean --version?)");
  });

  it("--help lists plan, runbook and cost by their summaries", async () => {
    expect(await main(["--help"], h.deps)).to.equal(0);
    expect(h.stdout.text).to.match(/\n {2}plan +what a stack would create, offline/);
    expect(h.stdout.text).to.match(/\n {2}runbook +the recovery runbook/);
    expect(h.stdout.text).to.match(/\n {2}cost +the monthly DR overhead/);
  });

  it("finds the command the arguments name past the global options and their values", () => {
    const program = new Command("dr").option("-s, --stack <name>").option("--json");
    expect(namedCommand(program, ["--stack", "plan", "cost"])).to.equal("cost");
    expect(namedCommand(program, ["-s", "prod", "plan", "--json"])).to.equal("plan");
    expect(namedCommand(program, ["--stack=prod", "plan"])).to.equal("plan");
    expect(namedCommand(program, ["help", "runbook"])).to.equal("runbook");
    expect(namedCommand(program, ["--help"])).to.equal(undefined);
  });

  it("dr plan needs the stack given (exit 2)", async () => {
    expect(await main(["plan"], h.deps)).to.equal(2);
    expect(h.stderr.text).to.equal("error: dr plan needs the stack to plan: --stack prod or --stack dr\n");
  });

  it("dr plan: a --config key Pulumi.yaml does not declare is an error (exit 2), before the program runs", async () => {
    expect(await main(["plan", "-s", "prod", "-c", "rpoMinuts=60"], h.deps)).to.equal(2);
    expect(h.stdout.text).to.equal("");
    expect(h.stderr.text).to.equal(
      "error: --config 'dr-app:rpoMinuts': not declared in Pulumi.yaml, so the program would ignore it (a typo?); pass --allow-unknown-config to plan anyway\n",
    );
  });

  it("dr --help loads none of the commands' dependencies; dr cost --help loads its own", async () => {
    const help = await drReporting(["--help"], { DR_FROM_SOURCE: "1" });
    expect(help.code, help.stderr).to.equal(0);
    expect(help.loaded.filter((file) => COMMAND_DEPENDENCIES.test(file))).to.deep.equal([]);
    const cost = await drReporting(["cost", "--help"], { DR_FROM_SOURCE: "1" });
    expect(cost.code, cost.stderr).to.equal(0);
    expect(cost.loaded.some((file) => /scripts[\\/]cost[\\/]command\.ts$/.test(file))).to.equal(true);
  });

  it("dr plan --json prints the JSON alone on stdout, from the sources", async () => {
    const run = await drReporting(["--stack", "dr", "plan", "--json"], { DR_FROM_SOURCE: "1" });
    expect(run.code, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout)).to.deep.include({ project: "dr-app", stack: "dr", offline: true });
  });

  describe("npm run build, in a copy of the checkout", () => {
    // A copy: building rewrites bin/, which the child-process tests running beside this file start `dr` from.
    let copy: string | undefined;
    after(() => {
      if (copy) fs.rmSync(copy, { recursive: true, force: true });
    });

    it("compiles the CLI, which dr runs without TypeScript", async () => {
      copy = await copyRepository(ROOT, fs.mkdtempSync(path.join(os.tmpdir(), "restorekit-build-")));
      linkDependencies(copy);
      const build = await new Promise<Run>((resolve) =>
        execFile(
          "npm",
          ["run", "--silent", "build"],
          { cwd: copy, shell: process.platform === "win32", maxBuffer: 64 << 20 },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        ),
      );
      expect(build.code, build.stderr).to.equal(0);
      expect(fs.existsSync(path.join(copy, "components", "bin", "index.js")), "the component is built").to.equal(
        true,
      );
      const version = await drReporting(["--version"], {}, copy);
      expect(version.stdout).to.equal(`${VERSION}\n`);
      expect(
        version.loaded.some((file) => /[\\/]ts-node[\\/]/.test(file)),
        "ts-node loaded",
      ).to.equal(false);
      expect(version.loaded).to.include(path.join(copy, "bin", "scripts", "cli.js"));
      // The program's files besides TypeScript (the servers' health check script) are in the build too.
      const plan = await drReporting(["--stack", "dr", "plan", "--json"], {}, copy);
      expect(plan.code, plan.stderr).to.equal(0);
      expect(JSON.parse(plan.stdout).stack).to.equal("dr");
      expect(plan.loaded).to.include(path.join(copy, "bin", "scripts", "plan", "command.js"));
      const fromSource = await drReporting(["--version"], { DR_FROM_SOURCE: "1" }, copy);
      expect(fromSource.loaded).to.include(path.join(copy, "scripts", "cli.ts"));
    });
  });
});
