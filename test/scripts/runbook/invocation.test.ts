// How the runbook and the READMEs start the CLI: the launcher's path in the checkout, never npx and a bare name.
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as runbookCommand from "../../../scripts/commands/runbook";
import { DrError } from "../../../scripts/errors";
import { readDeployment } from "../../../scripts/deployment/model";
import { renderRunbook } from "../../../scripts/runbook/render";
import { runCommand } from "../../helpers/command";
import { projectCopy } from "../../helpers/projectCopy";

const REPO = path.resolve(__dirname, "..", "..", "..");
const LAUNCHER = '"$DR_CHECKOUT/scripts/bin/restorekit-dr.js"';

/** The lines of the Markdown's code blocks. */
function codeLines(markdown: string): string[] {
  return markdown
    .split(/^```.*$/m)
    .filter((_, i) => i % 2 === 1)
    .flatMap((block) => block.split("\n"))
    .filter((line) => line.trim() !== "");
}

/**
 * Where `text` starts the CLI through a package runner (`npx dr`, `npx restorekit-dr`, `npm exec dr`), which
 * asks the registry when the name is not installed: `dr` there is an unrelated public package. The bare name
 * in inline code, `` `npx dr` ``, is what the warnings call it and is not a command.
 */
function packageRunnerCalls(text: string): string[] {
  return (
    text
      .split("`npx dr`")
      .join("")
      .match(/\b(?:npx|npm exec|npm x)\s+(?:-\S+\s+)*(?:--\s+)?(?:dr|restorekit-dr)\b[^\n]*/g) ?? []
  );
}

/** The repository's Markdown an operator reads: the READMEs and docs/. */
function documents(): string[] {
  const docs = fs
    .readdirSync(path.join(REPO, "docs"))
    .filter((file) => file.endsWith(".md"))
    .map((file) => path.join("docs", file));
  return ["README.md", "scripts/README.md", "stacks/README.md", "components/README.md", ...docs];
}

/** Runs `restorekit-dr runbook <args>` in `cwd` with `env`, capturing what it writes. */
function runbook(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return runCommand(runbookCommand, ["runbook", ...args], { cwd, env: { ...process.env, ...env } });
}

describe("runbook: how it starts the CLI", () => {
  const text = renderRunbook({
    deployment: readDeployment(REPO, "dr"),
    prodOutputs: {},
    drOutputs: {},
    outputsSource: "none read, config only",
    regenerate: "x",
    checkout: "/srv/ops/restorekit-dr",
  });

  it("names the checkout once, at the top of the variables, with DR_WORK_DIR and a cd into it", () => {
    const lines = codeLines(text);
    expect(lines.filter((line) => line.includes("DR_CHECKOUT=")).length).to.equal(1);
    const first = lines.findIndex((line) => line.startsWith("export "));
    expect(lines.slice(first, first + 3)).to.deep.equal([
      'export DR_CHECKOUT="/srv/ops/restorekit-dr"  # this repository, npm ci run in it; the CLI is its scripts/bin/restorekit-dr.js',
      'export DR_WORK_DIR="$DR_CHECKOUT"  # the project (Pulumi.yaml) it acts on, from any directory',
      'cd "$DR_WORK_DIR"  # the pulumi commands below read the project in the current directory',
    ]);
    expect(first, "before every command").to.be.lessThan(
      lines.findIndex((line) => line.includes('restorekit-dr.js" ')),
    );
  });

  it("starts every CLI command by the launcher's path, 15 of them (the two recoveries from the isolated vault among them), and none by a bare name", () => {
    const lines = codeLines(text);
    const cli = lines.filter((line) => line.startsWith(`${LAUNCHER} `));
    expect(cli.length).to.equal(15);
    expect(lines.filter((line) => /^(npx|npm exec|dr|restorekit-dr)\b/.test(line))).to.deep.equal([]);
    expect(text).to.contain(`Generate the runbook with \`${LAUNCHER} runbook --from-stack\``);
    expect(text).to.contain(`generate this runbook again (\`${LAUNCHER} runbook --from-stack\`)`);
  });

  it("no README, doc or runbook starts the CLI through npx or npm exec", () => {
    expect(packageRunnerCalls(text), "runbook").to.deep.equal([]);
    for (const file of documents()) {
      expect(packageRunnerCalls(fs.readFileSync(path.join(REPO, file), "utf8")), file).to.deep.equal([]);
    }
  });

  it("the check itself finds what it looks for", () => {
    expect(
      packageRunnerCalls("npx dr status\n`npx dr` is not ours\nnpx --no -- restorekit-dr --help"),
    ).to.deep.equal(["npx dr status", "npx --no -- restorekit-dr --help"]);
    expect(packageRunnerCalls("npm exec dr -- status")).to.deep.equal(["npm exec dr -- status"]);
  });

  describe("GIVEN a project outside the checkout and a shell started elsewhere", () => {
    let project: string;
    let elsewhere: string;
    beforeEach(() => {
      project = projectCopy();
      elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "runbook-elsewhere-"));
    });
    afterEach(() => {
      fs.rmSync(project, { recursive: true, force: true });
      fs.rmSync(elsewhere, { recursive: true, force: true });
    });

    it("THEN DR_WORK_DIR finds the project, and the runbook exports its path and this checkout's", async () => {
      const { out } = await runbook([], elsewhere, { DR_WORK_DIR: project });
      expect(out).to.contain(`export DR_CHECKOUT="${REPO}"  #`);
      expect(out).to.contain(`export DR_WORK_DIR="${project}"  #`);
    });

    it("THEN without --work-dir or DR_WORK_DIR it says how to name the project", async () => {
      const error = await runbook([], elsewhere, { DR_WORK_DIR: "" }).catch((err: unknown) => err);
      expect(error).to.be.instanceOf(DrError);
      expect((error as Error).message).to.equal(
        `no Pulumi.yaml at or above ${elsewhere}: pass --work-dir <directory of the Pulumi project>, or set DR_WORK_DIR to it`,
      );
    });

    it("THEN --work-dir wins over DR_WORK_DIR", async () => {
      const { out } = await runbook(["--work-dir", project], elsewhere, { DR_WORK_DIR: elsewhere });
      expect(out).to.contain(`export DR_WORK_DIR="${project}"  #`);
    });

    it("THEN --checkout names the checkout of the machine the runbook runs on, and the header says how to regenerate it", async () => {
      fs.writeFileSync(path.join(elsewhere, "dr.json"), "{}");
      const { out } = await runbook(
        ["--work-dir", REPO, "--checkout", "/srv/ops/restorekit-dr", "--outputs", "dr.json"],
        elsewhere,
      );
      expect(out).to.contain('export DR_CHECKOUT="/srv/ops/restorekit-dr"  #');
      expect(out).to.contain('export DR_WORK_DIR="$DR_CHECKOUT"  #');
      expect(out).to.contain(
        `<!-- Generated by \`${LAUNCHER} runbook --outputs <dr outputs.json> --prod-outputs <prod outputs.json> --checkout /srv/ops/restorekit-dr\` from`,
      );
    });

    it("THEN a relative --checkout is refused, naming the value and the rule", async () => {
      const error = await runbook(["--work-dir", REPO, "--checkout", "restorekit-dr"], elsewhere).catch(
        (err: unknown) => err,
      );
      expect(error).to.be.instanceOf(DrError);
      expect((error as Error).message).to.equal(
        "--checkout restorekit-dr: not an absolute path; give where the repository is on the machine the runbook's commands run on, e.g. /opt/restorekit-dr",
      );
    });
  });
});
