// Where a report came from: the tool's version, the checkout's commit, the operator, the command line, a rehearsal's scenario.
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPOSITORY_DIR } from "../../repository";
import { RehearsalLabel } from "../../dependencies";

/** What a report says about how it was made. */
export interface Provenance {
  /** package.json's version. */
  readonly toolVersion: string;
  /** The checkout's commit (`git rev-parse HEAD`); absent outside a git checkout or without git. */
  readonly commit?: string;
  /** The OS user who ran the command. */
  readonly operator: string;
  /** The command as typed, from the program's name on (`dr drill --yes`). */
  readonly commandLine: string;
  /** A rehearsal's scenario and clock speed. */
  readonly rehearsal?: RehearsalLabel;
}

/** Quotes an argument for a POSIX shell when it needs it, so the line can be pasted back. */
function shellWord(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The checkout's commit, or undefined (no git, not a checkout, or git took longer than 5 s). */
function gitCommit(dir: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("git", ["rev-parse", "HEAD"], { cwd: dir, timeout: 5000 }, (err, stdout) => {
      const commit = String(stdout).trim();
      resolve(!err && /^[0-9a-f]{40,64}$/.test(commit) ? commit : undefined);
    });
  });
}

function operatorName(): string {
  try {
    return os.userInfo().username;
  } catch {
    // No passwd entry (some containers): the login name the shell exported, if any.
    return process.env.USER ?? process.env.LOGNAME ?? "unknown";
  }
}

/**
 * The provenance of a run reported now, by this process: the version and the program's name from the
 * repository's package.json (its first `bin`), the commit of the checkout the tool runs from, the OS user,
 * and this process's arguments.
 */
export async function collectProvenance(rehearsal?: RehearsalLabel): Promise<Provenance> {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPOSITORY_DIR, "package.json"), "utf8")) as {
    version: string;
    bin?: Record<string, string>;
  };
  const program = Object.keys(pkg.bin ?? {})[0] ?? "dr";
  return {
    toolVersion: pkg.version,
    commit: await gitCommit(REPOSITORY_DIR),
    operator: operatorName(),
    commandLine: [program, ...process.argv.slice(2)].map(shellWord).join(" "),
    ...(rehearsal ? { rehearsal } : {}),
  };
}
