// Whole-output comparisons with files under a test's golden/ folder, the repository's own path written `<repo>`.
import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

/** The repository's root: the one machine-specific part of an output, written `<repo>` in golden files. */
const REPO = path.resolve(__dirname, "..", "..");

/**
 * Compares `text` byte for byte with `dir/name`, the repository's path replaced by `<repo>` so the files
 * hold no machine's path. `UPDATE_GOLDEN=1` rewrites the file instead.
 */
export function expectGolden(dir: string, name: string, text: string): void {
  const file = path.join(dir, name);
  const portable = text.split(REPO).join("<repo>");
  if (process.env.UPDATE_GOLDEN === "1") fs.writeFileSync(file, portable);
  expect(portable, name).to.equal(fs.readFileSync(file, "utf8"));
}
