import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const ARCHITECTURE = fs.readFileSync(path.join(ROOT, "ARCHITECTURE.md"), "utf8");

/** A file name the repository uses: these extensions, or a folder path (with a `/`). */
const FILE = /\.(ts|js|mjs|md|yaml|yml|json|py)$/;

/**
 * The paths a Markdown text names in backticks: every code span without spaces or placeholders that
 * holds a `/` or ends in a file extension (`stacks/config.ts`, `scripts/recovery/`, `Pulumi.yaml`).
 * Code blocks are left out.
 */
export function backtickedPaths(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```/gm, "");
  const spans = [...prose.matchAll(/`([^`\n]+)`/g)].map((match) => match[1]);
  return [
    ...new Set(spans.filter((span) => /^[\w.@/-]+$/.test(span) && (span.includes("/") || FILE.test(span)))),
  ];
}

describe("ARCHITECTURE.md", () => {
  it("finds the paths a text names in backticks, and only those", () => {
    const text = [
      "See `stacks/config.ts` and `scripts/recovery/`, `Pulumi.yaml` and `Pulumi.yaml` again.",
      "Not paths: `rpoMinutes`, `dr recover`, `dr-app:rpoMinutes`, `Pulumi.<stack>.yaml`, `a / b`.",
      "```",
      "`inside/a/block.ts`",
      "```",
    ].join("\n");
    expect(backtickedPaths(text)).to.deep.equal(["stacks/config.ts", "scripts/recovery/", "Pulumi.yaml"]);
  });

  it("names only paths that exist in the repository", () => {
    const paths = backtickedPaths(ARCHITECTURE);
    expect(paths.length, "paths named").to.be.greaterThan(40);
    expect(paths.filter((p) => !fs.existsSync(path.join(ROOT, p)))).to.deep.equal([]);
  });

  it("names every folder of scripts/, stacks/ and components/src/", () => {
    const folders = ["scripts", "stacks", "components/src"].flatMap((dir) =>
      fs
        .readdirSync(path.join(ROOT, dir), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => `${dir}/${entry.name}/`),
    );
    const named = new Set(backtickedPaths(ARCHITECTURE));
    expect(folders.filter((folder) => !named.has(folder))).to.deep.equal([]);
  });

  it("is linked from README.md", () => {
    expect(fs.readFileSync(path.join(ROOT, "README.md"), "utf8")).to.contain("(ARCHITECTURE.md)");
  });
});
