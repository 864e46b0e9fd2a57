import * as fs from "fs";
import * as path from "path";
import { DrError, errorMessage } from "./errors";
import { SkippedPoint } from "./recoveryPoints";
import { ResourceType } from "./resourceTypes";

/** Which command a run belongs to; each keeps its own state file. */
export type RunKind = "recover" | "drill";

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
}

/** AWS's restore job states, plus STARTING: the start call is about to be or was sent, unanswered. */
export type JobStatus = "STARTING" | "PENDING" | "RUNNING" | "COMPLETED" | "ABORTED" | "FAILED";

/** What the run knows about the restore job of one recovery point. */
export interface JobRecord {
  readonly recoveryPointArn: string;
  /** 1 for the first job; incremented by --retry-failed, which also changes the idempotency token. */
  attempt: number;
  idempotencyToken: string;
  /** ISO time the start was decided, written before StartRestoreJob is called. */
  intentAt: string;
  restoreJobId?: string;
  /** ISO time StartRestoreJob answered. */
  startedAt?: string;
  status: JobStatus;
  statusMessage?: string;
  percentDone?: string;
  /** ISO time the job reached a final state, as observed by the CLI. */
  completedAt?: string;
  createdResourceArn?: string;
  /** Short id of the new resource (DB identifier, instance id, volume id, table, file system, bucket). */
  resourceId?: string;
  /** Connection endpoint (RDS/Aurora). */
  endpoint?: string;
  /** Drill: did the resource come up. */
  verification?: { ok: boolean; detail: string; at: string };
  /** Drill: was the resource deleted. */
  deletion?: { ok: boolean; detail: string; at: string };
}

/** One `config set-all` + `up` of the dr stack. */
export interface FlipRecord {
  readonly phase: "infrastructure" | "data" | "all" | "revert";
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

/** The state file of a run: everything needed to resume it and to report on it. */
export interface RunJournal {
  readonly version: 1;
  readonly kind: RunKind;
  readonly runId: string;
  /** ISO time the run started: the RTO is measured from here, across resumes. */
  readonly startedAt: string;
  state: "running" | "finished";
  finishedAt?: string;
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
 * The state file of one kind of run, `<dir>/<kind>.json` (default dir `.dr/`). Writes are atomic
 * (temporary file, fsync, rename) so a crash or Ctrl-C never leaves half a journal; a finished run
 * is archived as `<kind>-<runId>.json` when the next one starts.
 */
export class JournalStore {
  readonly file: string;

  constructor(
    readonly dir: string,
    readonly kind: RunKind,
  ) {
    this.file = path.join(dir, `${kind}.json`);
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

  /** Writes the journal atomically. */
  save(journal: RunJournal): void {
    fs.mkdirSync(this.dir, { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    const fd = fs.openSync(temp, "w");
    try {
      fs.writeSync(fd, `${JSON.stringify(journal, null, 2)}\n`);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, this.file);
  }

  /** Moves the current journal aside as `<kind>-<runId>.json`, so a new run can start. */
  archive(journal: RunJournal): string {
    const target = path.join(this.dir, `${this.kind}-${journal.runId}.json`);
    fs.renameSync(this.file, target);
    return target;
  }
}
