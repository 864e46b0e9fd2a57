// A temporary copy of the repository's Pulumi.yaml and stack files, changed as a test asks.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

/** The repository root, where Pulumi.yaml and the stack files are. */
export const REPOSITORY = path.resolve(__dirname, "..", "..");

/** How {@link projectCopy} changes the copied files. */
export interface ProjectChanges {
  /** `dr-app:` keys to set, by stack: the key's line replaced, else appended. */
  readonly set?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Lines appended to a stack file, by stack (YAML lists, secure values). */
  readonly append?: Readonly<Record<string, string>>;
  /** Further files, by name. */
  readonly files?: Readonly<Record<string, string>>;
  /** Stack files left out, by stack. */
  readonly omit?: readonly string[];
}

/**
 * A copy of the repository's Pulumi.yaml and stack files in a new temporary directory, changed as asked;
 * the caller removes it (`fs.rmSync(dir, { recursive: true, force: true })`).
 */
export function projectCopy(changes: ProjectChanges = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-app-project-"));
  for (const stack of ["prod", "dr"].filter((s) => !changes.omit?.includes(s))) {
    fs.copyFileSync(path.join(REPOSITORY, `Pulumi.${stack}.yaml`), path.join(dir, `Pulumi.${stack}.yaml`));
  }
  fs.copyFileSync(path.join(REPOSITORY, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  for (const [stack, values] of Object.entries(changes.set ?? {})) {
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    let text = fs.readFileSync(file, "utf8");
    for (const [key, value] of Object.entries(values)) {
      const line = new RegExp(`^  dr-app:${key}: .*$`, "m");
      text = line.test(text)
        ? text.replace(line, `  dr-app:${key}: ${value}`)
        : `${text}  dr-app:${key}: ${value}\n`;
    }
    fs.writeFileSync(file, text);
  }
  for (const [stack, lines] of Object.entries(changes.append ?? {})) {
    fs.appendFileSync(path.join(dir, `Pulumi.${stack}.yaml`), lines);
  }
  for (const [name, text] of Object.entries(changes.files ?? {})) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}
