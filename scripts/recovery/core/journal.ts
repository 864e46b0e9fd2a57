// The journal: a run's state on disk (atomic writes) and its job record, so a re-run resumes and starts nothing twice.
import * as fs from "fs";
import * as path from "path";
import { DrError, errorMessage } from "../../errors";
import { onProcessExit } from "../../exitCleanup";
import { SkippedPoint } from "./recoveryPoints";
import { ResourceType } from "../resources/types";
import type { EfsThroughput } from "../../../stacks/drContract";

/** Which command a run belongs to; each keeps its own state file. */
export type RunKind = "recover" | "drill" | "failback" | "failback-drill";

function serialize(journal: RunJournal): string {
  return `${JSON.stringify(journal, null, 2)}\n`;
}

/**
 * Coalesces journal writes while restores run: `request()` returns at once, at most one write is
 * in flight, and changes made meanwhile go out in the next one. `flush()` waits until everything
 * requested so far is on disk.
 */
export class JournalWriter {
  private inFlight: Promise<void> | undefined;
  private dirty = false;

  constructor(
    private readonly store: JournalStore,
    private readonly journal: RunJournal,
  ) {}

  request(): void {
    this.dirty = true;
    this.inFlight ??= this.drain();
  }

  /** Waits for every requested write; rethrows a write that failed (disk full, permissions). */
  async flush(): Promise<void> {
    while (this.inFlight) {
      await this.inFlight;
    }
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure;
    }
  }

  private failure: unknown;

  private async drain(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        await this.store.saveAsync(this.journal);
      }
    } catch (err) {
      this.failure = err;
    } finally {
      this.inFlight = undefined;
    }
  }
}

/** One restore the run intends to make, decided once and kept across resumes. */
export interface PlannedRestore {
  readonly recoveryPointArn: string;
  readonly resourceArn: string;
  readonly resourceType: ResourceType;
  readonly resourceName: string;
  /** ISO time the recovery point was created: the data's age is measured from it. */
  readonly recoveryPointCreatedAt: string;
  /** Name given to the restored resource (EC2 and EBS get AWS-generated ids instead). */
  readonly targetName?: string;
  readonly iamRoleArn: string;
  readonly metadata: Record<string, string>;
  readonly notes: string[];
  /** StartRestoreJob's CopySourceTagsToRestoredResource: the backup's tags on the new resource. Default false. */
  readonly copySourceTags?: boolean;
  /**
   * The isolated (logically air-gapped) vault the point is taken from, and why; absent for a point of the run's
   * DR vault (core/isolatedVault.ts chooseAcrossVaults).
   */
  readonly isolated?: { readonly vaultName: string; readonly why: string };
  /**
   * What the restore does not keep of the inventory entry the copy is wired to, set on the copy once it is
   * restored (ResourceRecovery.declaredSettings: an EFS file system's throughput). Absent: nothing.
   */
  readonly declared?: DeclaredSettings;
}

/** An inventory entry's declared settings that a restore does not keep (ResourceRecovery.declaredSettings). */
export interface DeclaredSettings {
  /** The entry's logical name. */
  readonly entry: string;
  /** What is set, for the operator, e.g. `throughput mode provisioned, 256 MiB/s`. */
  readonly summary: string;
  /** An EFS file system's throughput. */
  readonly throughput?: EfsThroughput;
}

/** AWS's restore job states, plus STARTING: the start call is about to be or was sent, unanswered. */
export type JobStatus = "STARTING" | "PENDING" | "RUNNING" | "COMPLETED" | "ABORTED" | "FAILED";

/**
 * Staging labels of the new secret version. `AWSCURRENT`: the servers read it at once (recover, a drill
 * with --flip on a standby dr stack, a failback). `DRILL`: a drill's password, kept beside the live value,
 * which it leaves as it is (Secrets Manager moves AWSCURRENT only when it is asked to, or for a secret's
 * first version: API reference, PutSecretValue).
 */
export type CredentialStage = "AWSCURRENT" | "DRILL";

/** What the run records of the credential step, in the restore's job record (never the password). */
export interface CredentialRecord {
  readonly secretArn: string;
  /** The secret version holding this run's password (its ClientRequestToken). */
  readonly versionId: string;
  readonly stage: CredentialStage;
  /** ISO time the database reported the new password applied. */
  appliedAt?: string;
  /** Why the step did not finish, when it did not. */
  message?: string;
}

/**
 * One AWS Backup job as a journal knows it, whatever it does (a restore, a failback's backup or copy): the
 * intent with its idempotency token is written before the start call, so a re-run adopts the job instead
 * of starting it twice.
 */
export interface JobAttempt {
  /** 1 for the first job; one more per new attempt after a failure, with a new idempotency token. */
  attempt: number;
  idempotencyToken: string;
  /** ISO time the start was decided, written before the start call. */
  intentAt: string;
  /** Jobs of earlier attempts, never to be adopted for this one. */
  previousJobIds?: string[];
  /** ISO time the start call answered. */
  startedAt?: string;
  status: JobStatus;
  statusMessage?: string;
  /** ISO time the job reached a final state, as observed by the CLI. */
  completedAt?: string;
}

/** What the run knows about the restore job of one recovery point (a new attempt: --retry-failed). */
export interface JobRecord extends JobAttempt {
  readonly recoveryPointArn: string;
  restoreJobId?: string;
  percentDone?: string;
  createdResourceArn?: string;
  /** Short id of the new resource (DB identifier, instance id, volume id, table, file system, bucket). */
  resourceId?: string;
  /** Connection endpoint (RDS/Aurora). */
  endpoint?: string;
  /** Recover, failback: was the copy made like prod's own data (ResourceRecovery.protectRestored). */
  protection?: { ok: boolean; detail: string; at: string };
  /** Recover, drill with a flip: were the inventory entry's declared settings set on the copy (PlannedRestore.declared). */
  declared?: { ok: boolean; detail: string; at: string };
  /** Drill: did the resource come up. */
  verification?: { ok: boolean; detail: string; at: string };
  /** Drill: was the resource deleted. */
  deletion?: { ok: boolean; detail: string; at: string };
  /** The application's database: its new credential (resources/credential.ts). */
  credential?: CredentialRecord;
}

/** One `config set-all` + `up` of the dr stack (a failback's also of the prod stack: `prod`). */
export interface FlipRecord {
  readonly phase: "infrastructure" | "data" | "all" | "revert" | "hold" | "freeze" | "prod" | "standby";
  readonly config: Record<string, string>;
  readonly startedAt: string;
  endedAt?: string;
  ok?: boolean;
  message?: string;
}

/** Result of the HTTP health check. */
export interface HealthRecord {
  readonly url: string;
  readonly healthy: boolean;
  readonly attempts: number;
  readonly lastStatus?: number;
  readonly lastError?: string;
  readonly checkedAt: string;
}

/** How a run ended. */
export type RunOutcome = "success" | "partial" | "failed";

/** The state file of a run: everything needed to resume it and to report on it. */
export interface RunJournal {
  readonly version: 1;
  readonly kind: RunKind;
  readonly runId: string;
  /** ISO time the run started: the RTO is measured from here, across resumes. */
  readonly startedAt: string;
  state: "running" | "finished";
  finishedAt?: string;
  /** How the last attempt at the run ended (absent while it runs for the first time). */
  outcome?: RunOutcome;
  readonly stackName: string;
  readonly region: string;
  readonly vaultName: string;
  readonly asOf?: string;
  readonly plan: PlannedRestore[];
  readonly skipped: SkippedPoint[];
  readonly jobs: Record<string, JobRecord>;
  readonly flips: FlipRecord[];
  /** Drill with --flip: the dr stack's config before, to put back afterwards. */
  previousConfig?: Record<string, string>;
  health?: HealthRecord;
  resumedAt: string[];
}

/**
 * The state file of one kind of run, `<dir>/<kind>.json` (default dir `.dr/`; another file name reads an
 * archived run). Writes are atomic
 * (temporary file, fsync, rename) so a crash or Ctrl-C never leaves half a journal; a finished run
 * is archived as `<kind>-<runId>.json` when the next one starts.
 */
export class JournalStore {
  readonly file: string;

  constructor(
    readonly dir: string,
    readonly kind: RunKind,
    fileName = `${kind}.json`,
  ) {
    this.file = path.join(dir, fileName);
  }

  /** The current journal, or undefined when there is none. */
  load(): RunJournal | undefined {
    let text: string;
    try {
      text = fs.readFileSync(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        return undefined;
      }
      throw new DrError(`cannot read state file ${this.file}: ${errorMessage(err)}`);
    }
    let journal: RunJournal;
    try {
      journal = JSON.parse(text) as RunJournal;
    } catch (err) {
      throw new DrError(
        `state file ${this.file} is not valid JSON (${errorMessage(err)}): move it away to start over`,
      );
    }
    if (journal.version !== 1 || journal.kind !== this.kind || !journal.runId) {
      throw new DrError(`state file ${this.file} is not a ${this.kind} journal: move it away to start over`);
    }
    return journal;
  }

  private generation = 0;
  private committed = 0;
  /** Temporary files written but not yet renamed or removed: none may outlive the process. */
  private readonly temps = new Set<string>();
  private unregisterExit: (() => void) | undefined;

  private track(temp: string): void {
    this.temps.add(temp);
    this.unregisterExit ??= onProcessExit(() => {
      for (const file of this.temps) {
        fs.rmSync(file, { force: true });
      }
    });
  }

  /** Writes the journal atomically and durably (fsync before rename). */
  save(journal: RunJournal): void {
    const generation = ++this.generation;
    fs.mkdirSync(this.dir, { recursive: true });
    const temp = `${this.file}.${process.pid}.${generation}.tmp`;
    this.track(temp);
    const fd = fs.openSync(temp, "w");
    try {
      fs.writeSync(fd, serialize(journal));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    this.commit(temp, generation);
  }

  /**
   * Like {@link save}, without blocking the event loop while the disk syncs: forty restore jobs
   * keep being polled meanwhile. The journal is serialized at the call; if a newer save (of
   * either kind) has already landed, this older one is dropped instead of overwriting it.
   */
  async saveAsync(journal: RunJournal): Promise<void> {
    const generation = ++this.generation;
    const text = serialize(journal);
    await fs.promises.mkdir(this.dir, { recursive: true });
    const temp = `${this.file}.${process.pid}.${generation}.tmp`;
    this.track(temp);
    const handle = await fs.promises.open(temp, "w");
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.commit(temp, generation);
  }

  private commit(temp: string, generation: number): void {
    if (generation > this.committed) {
      fs.renameSync(temp, this.file);
      this.committed = generation;
    } else {
      fs.rmSync(temp, { force: true });
    }
    this.temps.delete(temp);
  }

  /** Moves the current journal aside as `<kind>-<runId>.json`, so a new run can start. */
  archive(journal: RunJournal): string {
    const target = path.join(this.dir, `${this.kind}-${journal.runId}.json`);
    fs.renameSync(this.file, target);
    return target;
  }
}
