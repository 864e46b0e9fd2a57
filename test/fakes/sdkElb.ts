/** The SDK front end of the simulated Elastic Load Balancing: aws-sdk-client-mock handlers calling the target group model (scripts/simulation/elbModel.ts). */
import { DescribeTargetHealthCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { TargetGroups } from "../../scripts/simulation/elbModel";
import { AnyStub, serve } from "./sdkFrontEnd";

/**
 * DescribeTargetHealth on aws-sdk-client-mock, in the region of the client that sent it, answered by the
 * {@link TargetGroups} model (its TargetGroupNotFound as the SDK's error of that name).
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
      TargetHealthDescriptions: model
        .describeTargetHealth(
          region,
          input.TargetGroupArn ?? "",
          input.Targets?.map((t) => ({ id: t.Id ?? "", port: t.Port })),
        )
        .map((t) => ({
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
