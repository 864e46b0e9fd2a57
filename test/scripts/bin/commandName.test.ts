// The command's name, the package it is published in, and its start from any directory without a registry.
import { expect } from "chai";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const LAUNCHER = path.join(ROOT, "scripts", "bin", "restorekit-dr.js");
const SHIM = path.join(ROOT, "scripts", "bin", "dr.js");
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));
const VERSION = readJson("package.json").version as string;

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Starts `file args` with no terminal (stdin empty, output piped) in `cwd`, as cron does: an environment
 * with nothing of the checkout in it (no npm_* variables, no INIT_CWD, no DR_WORK_DIR), Node on the PATH,
 * and a registry that refuses connections, so a package look-up would fail loudly.
 */
function cronLike(file: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      args,
      {
        cwd,
        env: {
          PATH: [path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter),
          HOME: cwd,
          LANG: "C",
          npm_config_registry: "http://127.0.0.1:9",
          NPM_CONFIG_REGISTRY: "http://127.0.0.1:9",
          NODE_NO_WARNINGS: "1",
          ...env,
        },
        maxBuffer: 64 << 20,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

describe("the command's name: restorekit-dr", function () {
  this.timeout(180_000);

  it("package.json and the lock file's root both publish restorekit-dr, and dr as the old name, in @restorekit/restorekit-dr", () => {
    const pkg = readJson("package.json");
    const lockRoot = readJson("package-lock.json").packages[""];
    const bin = { "restorekit-dr": "scripts/bin/restorekit-dr.js", dr: "scripts/bin/dr.js" };
    expect(pkg.bin).to.deep.equal(bin);
    expect(lockRoot.bin).to.deep.equal(bin);
    // Scoped in the component's scope, so `npx @restorekit/restorekit-dr` cannot reach someone else's package;
    // npm exec runs the bin named as the package without its scope (libnpmexec's getBinFromManifest).
    expect(pkg.name).to.equal("@restorekit/restorekit-dr");
    expect(pkg.name.split("/")[0]).to.equal(readJson("components/package.json").name.split("/")[0]);
    expect(pkg.bin[pkg.name.split("/")[1]]).to.equal("scripts/bin/restorekit-dr.js");
    expect([lockRoot.name, readJson("package-lock.json").name]).to.deep.equal([pkg.name, pkg.name]);
    for (const file of Object.values(bin)) {
      const text = fs.readFileSync(path.join(ROOT, file), "utf8");
      expect(text.startsWith("#!/usr/bin/env node\n"), `${file}: shebang`).to.equal(true);
      expect(fs.statSync(path.join(ROOT, file)).mode & 0o111, `${file}: executable`).to.not.equal(0);
    }
  });

  it("the npm scripts start it by the new name", () => {
    const scripts = readJson("package.json").scripts as Record<string, string>;
    for (const name of ["plan", "runbook", "cost"]) {
      expect(scripts[name]).to.equal(`node scripts/bin/restorekit-dr.js ${name}`);
    }
  });

  describe("GIVEN a shell outside the checkout with no terminal, as cron starts one", () => {
    let elsewhere: string;
    beforeEach(() => (elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "restorekit-dr-cron-"))));
    afterEach(() => fs.rmSync(elsewhere, { recursive: true, force: true }));

    it("THEN <checkout>/scripts/bin/restorekit-dr.js --version prints the project's version, with no registry", async () => {
      const run = await cronLike(LAUNCHER, ["--version"], elsewhere);
      expect(run).to.deep.equal({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
    });

    it("THEN status --help is the project's, under the command's own name", async () => {
      const run = await cronLike(LAUNCHER, ["status", "--help"], elsewhere);
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.match(/^Usage: restorekit-dr status \[options\]\n/);
      expect(run.stderr).to.equal("");
    });

    it("THEN a symlink named restorekit-dr on the PATH starts the same CLI (the README's set-up)", async () => {
      const bin = path.join(elsewhere, "bin");
      fs.mkdirSync(bin);
      fs.symlinkSync(LAUNCHER, path.join(bin, "restorekit-dr"));
      const run = await cronLike("restorekit-dr", ["--version"], elsewhere, {
        PATH: [bin, path.dirname(process.execPath), "/usr/bin", "/bin"].join(path.delimiter),
      });
      expect(run).to.deep.equal({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
    });

    it("THEN DR_WORK_DIR names the project: runbook reads its Pulumi.yaml from elsewhere", async () => {
      const run = await cronLike(LAUNCHER, ["runbook"], elsewhere, { DR_WORK_DIR: ROOT });
      expect(run.code, run.stderr).to.equal(0);
      expect(run.stdout).to.match(/^# Disaster recovery runbook: dr-app \(prod in us-east-1, dr in us-west-2\)\n/);
      expect(run.stdout).to.contain(`export DR_CHECKOUT="${ROOT}"  #`);
    });

    it("THEN without DR_WORK_DIR or --work-dir, runbook says how to name the project (exit 2)", async () => {
      const run = await cronLike(LAUNCHER, ["runbook"], elsewhere);
      expect(run).to.deep.equal({
        code: 2,
        stdout: "",
        stderr: `error: no Pulumi.yaml at or above ${fs.realpathSync(elsewhere)}: pass --work-dir <directory of the Pulumi project>, or set DR_WORK_DIR to it\n`,
      });
    });

    it("THEN the old name dr still runs it, after one line that says why to stop using it", async () => {
      const run = await cronLike(SHIM, ["--version"], elsewhere);
      expect(run).to.deep.equal({
        code: 0,
        stdout: `${VERSION}\n`,
        stderr:
          "warning: `dr` is this command's old name and an unrelated public npm package's: outside this checkout " +
          `\`npx dr\` runs that package. Start this one as ${LAUNCHER} (scripts/README.md, "Starting it")\n`,
      });
    });
  });
});
