// No export of scripts/, stacks/ or components/src that nothing uses, not even its own file.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";
import { sourceFiles } from "./helpers/imports";

const ROOT = path.join(__dirname, "..");
const EXPORTED = /^export (?:async )?(?:const|let|function|class|abstract class|interface|type|enum) (\w+)/gm;

/**
 * Each name `files` export (`file: name`) that appears nowhere but its own declaration: in no other file
 * and not again in its own.
 */
export function unusedExports(files: ReadonlyMap<string, string>): string[] {
  const unused: string[] = [];
  for (const [file, text] of files) {
    for (const [, name] of text.matchAll(EXPORTED)) {
      const word = new RegExp(`\\b${name}\\b`, "g");
      const uses = [...files.values()].reduce((n, other) => n + (other.match(word)?.length ?? 0), 0);
      if (uses <= 1) unused.push(`${file}: ${name} is exported and used nowhere`);
    }
  }
  return unused;
}

describe("exports", () => {
  it("names an export nothing uses, and not one its own file or another uses", () => {
    const files = new Map([
      ["scripts/a.ts", "export const UNUSED = 1;\nexport function used(): number { return 2; }\n"],
      ["scripts/b.ts", 'import { used } from "./a";\nexport type Local = string;\nconst x: Local = "";\n'],
    ]);
    expect(unusedExports(files)).to.deep.equal(["scripts/a.ts: UNUSED is exported and used nowhere"]);
  });

  it("has no export in scripts/, stacks/ or components/src used nowhere in the repository", () => {
    const shipped = ["scripts", "stacks", "components/src"].flatMap((dir) => sourceFiles(ROOT, dir));
    const tests = fs
      .readdirSync(path.join(ROOT, "test"))
      .filter((entry) => entry !== "fixtures")
      .flatMap((entry) => {
        const relative = `test/${entry}`;
        return fs.statSync(path.join(ROOT, relative)).isDirectory()
          ? sourceFiles(ROOT, relative)
          : [relative];
      })
      .filter((file) => file.endsWith(".ts"));
    const everything = [...shipped, ...tests, ...sourceFiles(ROOT, "bench")];
    const texts = new Map(everything.map((file) => [file, fs.readFileSync(path.join(ROOT, file), "utf8")]));
    const found = unusedExports(texts).filter((problem) =>
      shipped.some((file) => problem.startsWith(`${file}:`)),
    );
    expect(found).to.deep.equal([]);
  });
});
