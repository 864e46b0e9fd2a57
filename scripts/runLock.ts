import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DrError, errorMessage } from "./errors";

/** Who holds the run lock: written into the lock file, shown to whoever is refused. */
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  /** `recover` or `drill` (and its flags), as the holder was started. */
  readonly command: string;
  /** ISO time the holder took the lock. */
  readonly startedAt: string;
  /** The run the holder works on, once it is known. */
  readonly runId?: string;
}

/** Options of {@link RunLock.acquire}. */
export interface RunLockOptions {
  readonly command: string;
  readonly nowMs: number;
  /** Default: this process. */
  readonly pid?: number;
  /** Default: os.hostname(). */
  readonly host?: string;
  /** Whether a process of this host is alive. Default: `process.kill(pid, 0)`. */
  readonly isAlive?: (pid: number) => boolean;
}

/** `process.kill(pid, 0)` checks existence without sending anything; EPERM means it exists. */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * One recover or drill at a time per state directory: `<dir>/run.lock`, created exclusively
 * (`wx`, atomic on local file systems), holding the pid, host, command, start time and run id.
 * A lock left by a process of this host that no longer exists is stale and taken over; a lock of
 * another host cannot be checked from here, so the refusal says how to remove it by hand.
 */
export class RunLock {
  private released = false;

  private constructor(
    readonly file: string,
    private holder: LockHolder,
  ) {}

  /** Takes the lock or throws a {@link DrError} (exit 2) naming the run that holds it. */
  static acquire(dir: string, options: RunLockOptions): RunLock {
    const file = path.join(dir, "run.lock");
    const holder: LockHolder = {
      pid: options.pid ?? process.pid,
      host: options.host ?? os.hostname(),
      command: options.command,
      startedAt: new Date(options.nowMs).toISOString(),
    };
    fs.mkdirSync(dir, { recursive: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, serialize(holder), { flag: "wx" });
        return new RunLock(file, holder);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
          throw new DrError(`cannot create the run lock ${file}: ${errorMessage(err)}`);
        }
      }
      const current = readHolder(file);
      const alive = options.isAlive ?? processAlive;
      if (current && (current.host !== holder.host || alive(current.pid))) {
        throw new DrError(refusal(file, current, holder.host));
      }
      // Stale (its process is gone) or unreadable (a crash between create and write): take it over.
      fs.rmSync(file, { force: true });
    }
    throw new DrError(`cannot take the run lock ${file}: another run took it at the same moment`);
  }

  /** Records the run id once it is known, so a refused operator sees which run is under way. */
  setRunId(runId: string): void {
    if (this.released || this.holder.runId === runId) {
      return;
    }
    this.holder = { ...this.holder, runId };
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, serialize(this.holder));
    fs.renameSync(temp, this.file);
  }

  /** Removes the lock (idempotent). */
  release(): void {
    if (!this.released) {
      this.released = true;
      fs.rmSync(this.file, { force: true });
    }
  }
}

function serialize(holder: LockHolder): string {
  return `${JSON.stringify(holder, null, 2)}\n`;
}

function readHolder(file: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LockHolder>;
    return typeof parsed.pid === "number" && typeof parsed.host === "string"
      ? (parsed as LockHolder)
      : undefined;
  } catch {
    return undefined;
  }
}

function refusal(file: string, holder: LockHolder, host: string): string {
  const run = holder.runId ? `run ${holder.runId}` : "a run";
  const where = holder.host === host ? `pid ${holder.pid}` : `pid ${holder.pid} on host ${holder.host}`;
  const remedy =
    holder.host === host
      ? "wait for it to finish, or stop it (Ctrl-C) and re-run"
      : `wait for it to finish; if that process is gone, delete ${file} and re-run`;
  return `another '${holder.command}' holds ${file}: ${run}, ${where}, started ${holder.startedAt}: ${remedy}`;
}
