// docs/AWS-BEHAVIOUR.md covers every AWS operation the local simulation answers, each with a source, the
// simulation code that models it and a test file that exists.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const SIMULATION = path.join(ROOT, "scripts", "simulation");
const DOC = path.join(ROOT, "docs", "AWS-BEHAVIOUR.md");

/** Every operation name of the AWS SDK v3 clients installed (their `<Operation>Command` classes). */
function awsOperationNames(): Set<string> {
  const sdk = path.join(ROOT, "node_modules", "@aws-sdk");
  const names = new Set<string>();
  for (const client of fs.readdirSync(sdk).filter((d) => d.startsWith("client-"))) {
    const commands = path.join(sdk, client, "dist-types", "commands");
    if (!fs.existsSync(commands)) continue;
    for (const file of fs.readdirSync(commands)) {
      const match = /^([A-Z][A-Za-z0-9]+)Command\.d\.ts$/.exec(file);
      if (match) names.add(match[1]);
    }
  }
  return names;
}

/** Every file under a folder. */
function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}

/** The AWS operations the simulation names in its source: quoted operation names, as its routers match them. */
export function simulatedOperations(known: Set<string>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of listFiles(SIMULATION).filter((name) => name.endsWith(".ts"))) {
    const source = fs.readFileSync(file, "utf8");
    for (const match of source.matchAll(/["'`]([A-Z][A-Za-z0-9]+)["'`]/g)) {
      if (!known.has(match[1])) continue;
      const files = found.get(match[1]) ?? [];
      const relative = path.relative(ROOT, file);
      if (!files.includes(relative)) files.push(relative);
      found.set(match[1], files);
    }
  }
  return found;
}

interface Row {
  readonly line: number;
  readonly cells: string[];
}

/** The table rows of the document (header and separator rows left out). */
function rows(doc: string): Row[] {
  return doc
    .split("\n")
    .map((text, index) => ({ text, line: index + 1 }))
    .filter(
      ({ text }) => text.startsWith("|") && !/^\|\s*-/.test(text) && !/^\|\s*AWS operation\s*\|/.test(text),
    )
    .map(({ text, line }) => ({
      line,
      cells: text
        .replace(/^\|/, "")
        .replace(/\|\s*$/, "")
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    }));
}

describe("docs/AWS-BEHAVIOUR.md", () => {
  const known = awsOperationNames();
  const doc = fs.readFileSync(DOC, "utf8");
  const table = rows(doc);
  const testFiles = listFiles(path.join(ROOT, "test"))
    .filter((file) => file.endsWith(".test.ts"))
    .map((file) => path.relative(ROOT, file));

  it("finds the AWS operations the simulation answers (the extraction itself works)", () => {
    const simulated = simulatedOperations(known);
    for (const operation of ["StartRestoreJob", "DescribeDBInstances", "PutMetricData", "CopyObject"]) {
      expect([...simulated.keys()], operation).to.include(operation);
    }
  });

  it("has a line for every AWS operation the simulation answers", () => {
    const documented = new Set(
      table.flatMap((row) => [...row.cells[0].matchAll(/[A-Z][A-Za-z0-9]+/g)].map((m) => m[0])),
    );
    const missing = [...simulatedOperations(known)]
      .filter(([operation]) => !documented.has(operation))
      .map(([operation, files]) => `${operation} (${files.join(", ")})`);
    expect(missing, `simulated AWS operations with no line in docs/AWS-BEHAVIOUR.md`).to.deep.equal([]);
  });

  it("gives every line a behaviour, a source, the simulation code and a test file that exists", () => {
    const problems: string[] = [];
    for (const { line, cells } of table) {
      if (cells.length !== 5) {
        problems.push(`line ${line}: ${cells.length} cells, not 5`);
        continue;
      }
      const [operation, behaviour, source, simulation, test] = cells;
      if (!operation || !behaviour) problems.push(`line ${line}: no operation or behaviour`);
      if (!source) problems.push(`line ${line}: no source (write "(unsourced)" for a guess)`);
      if (!simulation) problems.push(`line ${line}: no simulation code`);
      const named = [...test.matchAll(/([\w./-]+\.test\.ts)/g)].map((m) => m[1]);
      if (named.length === 0) problems.push(`line ${line}: no test file named`);
      for (const file of named.filter(
        (name) => !testFiles.some((f) => f === name || f.endsWith(`/${name}`)),
      )) {
        problems.push(`line ${line}: ${file} does not exist`);
      }
    }
    expect(problems).to.deep.equal([]);
  });
});
