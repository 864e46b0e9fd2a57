// A drill's cleanup deletes what every attempt of a retried restore created, not only the latest attempt's.
import { expect } from "chai";
import { DescribeRestoreJobCommand } from "@aws-sdk/client-backup";
import { DeleteTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import type { AwsClients } from "../../../../scripts/aws/clients";
import { cleanUpAfterDrill } from "../../../../scripts/recovery/core/cleanup";
import type { JournalStore, RunJournal } from "../../../../scripts/recovery/core/journal";
import type { Output } from "../../../../scripts/output";
import type { StackHandle } from "../../../../scripts/dependencies";

const RUN = "20260412t090000a7";
const POINT = "arn:aws:backup:us-west-2:111122223333:recovery-point:orders";
const table = (name: string) => `arn:aws:dynamodb:us-west-2:111122223333:table/${name}`;

/** A drill whose table restore failed once (job-1, which had created its table) and then completed (job-2). */
function journal(): RunJournal {
  return {
    version: 1,
    kind: "drill",
    runId: RUN,
    startedAt: "2026-04-12T09:00:00.000Z",
    state: "finished",
    plan: [
      {
        recoveryPointArn: POINT,
        resourceArn: "arn:aws:dynamodb:us-east-1:111122223333:table/Orders",
        resourceType: "DynamoDB",
        resourceName: "Orders",
        recoveryPointCreatedAt: "2026-04-12T08:00:00.000Z",
        targetName: `drill-${RUN}-Orders-2`,
        iamRoleArn: "arn:aws:iam::111122223333:role/backup",
        metadata: {},
        notes: [],
      },
    ],
    jobs: {
      [POINT]: {
        recoveryPointArn: POINT,
        attempt: 2,
        idempotencyToken: "t2",
        intentAt: "2026-04-12T09:30:00.000Z",
        previousJobIds: ["job-1"],
        restoreJobId: "job-2",
        status: "COMPLETED",
        createdResourceArn: table(`drill-${RUN}-Orders-2`),
        resourceId: `drill-${RUN}-Orders-2`,
      },
    },
    flips: [],
  } as unknown as RunJournal;
}

describe("drill cleanup: the copies of earlier attempts (review finding 5)", () => {
  it("deletes the table an earlier, failed attempt created (its job's CreatedResourceArn) as well as the latest one", async () => {
    const deletedTables: string[] = [];
    const clients = {
      backup: {
        send: async (command: unknown) => {
          expect(command).to.be.instanceOf(DescribeRestoreJobCommand);
          const id = (command as DescribeRestoreJobCommand).input.RestoreJobId;
          return {
            RestoreJobId: id,
            Status: "FAILED",
            CreatedResourceArn: id === "job-1" ? table(`drill-${RUN}-Orders`) : undefined,
          };
        },
      },
      dynamodb: {
        send: async (command: unknown) => {
          if (command instanceof DeleteTableCommand) {
            deletedTables.push(command.input.TableName ?? "");
          } else {
            expect(command).to.be.instanceOf(DescribeTableCommand);
          }
          return {};
        },
      },
    } as unknown as AwsClients;
    const lines: string[] = [];
    const out = { info: (l: string) => lines.push(l), warn: (l: string) => lines.push(`warn: ${l}`) };
    const result = await cleanUpAfterDrill(
      journal(),
      {
        clients,
        clock: { now: () => Date.parse("2026-04-12T10:00:00Z"), sleep: async () => undefined },
        store: { save: () => undefined } as unknown as JournalStore,
        out: out as unknown as Output,
      },
      {} as StackHandle,
      false,
    );
    expect(deletedTables.sort()).to.deep.equal([`drill-${RUN}-Orders`, `drill-${RUN}-Orders-2`]);
    expect(result.failed).to.equal(0);
    expect(lines).to.include(`cleanup: table drill-${RUN}-Orders deleting (earlier attempt, job job-1)`);
  });
});
