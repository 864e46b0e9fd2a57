// The run lock: one recover, drill or failback at a time per state directory.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DrError, errorMessage } from "../../errors";
import { onProcessExit } from "../../exitCleanup";

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
 * One recover or drill at a time per state directory: `<dir>/run.lock`, holding the pid, host, command,
 * start time and run id. It is written to a private file first and then hard-linked into place, so it
 * appears whole or not at all: `link` fails when the name exists, atomically on local file systems, so of
 * two operators starting at the same moment exactly one gets it. A lock left by a process of this host that
 * no longer exists is stale and taken over; a lock of another host cannot be checked from here, so the
 * refusal says how to remove it by hand.
 */
export class RunLock {
  private released = false;
  // A second Ctrl-C exits at once (process.exit): the lock goes with the process, not later.
  private readonly unregister = onProcessExit(() => this.release());

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
    const alive = options.isAlive ?? processAlive;
    fs.mkdirSync(dir, { recursive: true });
    // Each pass either takes the lock, refuses, or sees the lock change under it (released, or a stale
    // one taken over by a contender) and looks again; a few passes cover any interleaving of a few
    // contenders.
    for (let attempt = 0; attempt < 5; attempt++) {
      if (createWhole(file, serialize(holder), holder.pid)) {
        return new RunLock(file, holder);
      }
      const current = readLock(file);
      if (current === "gone") {
        continue;
      }
      if (current === "unreadable") {
        throw new DrError(
          `${file} is not a run lock this CLI wrote: if no recover or drill is running here, delete it and re-run`,
        );
      }
      if (current.holder.host !== holder.host || alive(current.holder.pid)) {
        throw new DrError(refusal(file, current.holder, holder.host));
      }
      removeIfUnchanged(file, current.text, holder.pid);
    }
    throw new DrError(`cannot take the run lock ${file}: it kept changing; re-run`);
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
      this.unregister();
      fs.rmSync(this.file, { force: true });
    }
  }
}

function serialize(holder: LockHolder): string {
  return `${JSON.stringify(holder, null, 2)}\n`;
}

/** Creates `file` with `text`, whole, unless it exists; false when it does. */
function createWhole(file: string, text: string, pid: number): boolean {
  const temp = `${file}.${pid}.new`;
  fs.writeFileSync(temp, text);
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") {
      return false;
    }
    throw new DrError(`cannot create the run lock ${file}: ${errorMessage(err)}`);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

type LockRead = { readonly holder: LockHolder; readonly text: string } | "gone" | "unreadable";

function readLock(file: string): LockRead {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      return "gone";
    }
    throw new DrError(`cannot read the run lock ${file}: ${errorMessage(err)}`);
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockHolder>;
    return typeof parsed.pid === "number" && typeof parsed.host === "string"
      ? { holder: parsed as LockHolder, text }
      : "unreadable";
  } catch {
    return "unreadable";
  }
}

/**
 * Removes a stale lock, unless a contender replaced it since it was read: the lock is moved aside first
 * (rename is atomic, so one contender moves it), and put back when what was moved is not what was read.
 * Putting back fails only if a third contender created a lock in the instant between, which this
 * leaves in place.
 */
function removeIfUnchanged(file: string, staleText: string, pid: number): void {
  const aside = `${file}.${pid}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") {
      return;
    }
    throw new DrError(`cannot take over the stale run lock ${file}: ${errorMessage(err)}`);
  }
  try {
    if (fs.readFileSync(aside, "utf8") !== staleText) {
      fs.linkSync(aside, file);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") {
      throw new DrError(`cannot take over the stale run lock ${file}: ${errorMessage(err)}`);
    }
  } finally {
    fs.rmSync(aside, { force: true });
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
