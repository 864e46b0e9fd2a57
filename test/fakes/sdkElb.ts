/** The SDK front end of the simulated Elastic Load Balancing: aws-sdk-client-mock handlers calling the target group model (scripts/simulation/elbModel.ts). */
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { FakeApiError } from "../../scripts/simulation/backupJobs";
import { TargetGroups } from "../../scripts/simulation/elbModel";
import { AnyStub, awsError, serve } from "./sdkFrontEnd";

/** The model's answer, its errors named as the SDK names them. */
function describe(
  model: TargetGroups,
  region: string,
  input: { TargetGroupArn?: string; Targets?: { Id?: string; Port?: number }[] },
) {
  try {
    return model.describeTargetHealth(
      region,
      input.TargetGroupArn ?? "",
      input.Targets?.map((t) => ({ id: t.Id ?? "", port: t.Port })),
    );
  } catch (err) {
    if (err instanceof FakeApiError) throw awsError(`${err.type}Exception`, err.message, err.status);
    throw err;
  }
}

/**
 * DescribeTargetHealth on aws-sdk-client-mock, in the region of the client that sent it, answered by the
 * {@link TargetGroups} model; its TargetGroupNotFound as the SDK names the query error code,
 * TargetGroupNotFoundException (the client's error classes).
 */
export function installElb(
  mock: AnyStub,
  model: TargetGroups,
  /** Runs before the model sees each call (a test's instrument). */
  before: (name: string, input: Record<string, unknown>, region: string) => Promise<void> | void = () => {},
): void {
  serve(
    mock,
    DescribeTargetHealthCommand,
    (input: { TargetGroupArn?: string; Targets?: { Id?: string; Port?: number }[] }, region) => ({
      TargetHealthDescriptions: describe(model, region, input).map((t) => ({
        Target: { Id: t.id, Port: t.port },
        HealthCheckPort: String(t.port),
        TargetHealth: {
          State: t.state,
          ...(t.reason !== undefined && { Reason: t.reason, Description: t.description }),
        },
      })),
    }),
    before,
  );
}
