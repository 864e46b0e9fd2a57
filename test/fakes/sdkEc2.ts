/** The SDK front end of the simulated EC2 instances: DescribeInstances on aws-sdk-client-mock, answered by the EC2 instances model (scripts/simulation/ec2Instances.ts). */
import { DescribeInstancesCommand } from "@aws-sdk/client-ec2";
import type { GroupInstance } from "../../scripts/simulation/autoScaling";
import { STATE_CODES, describeInstances } from "../../scripts/simulation/ec2Instances";
import { AnyStub, serve } from "./sdkFrontEnd";

interface DescribeInstancesInput {
  InstanceIds?: string[];
  Filters?: Array<{ Name?: string; Values?: string[] }>;
  MaxResults?: number;
  NextToken?: string;
}

/**
 * DescribeInstances (InstanceIds, Filters, MaxResults, NextToken) on aws-sdk-client-mock, in the region
 * of the client that sent it, over `instances(region)` (e.g. ec2Instances.ts regionInstances over an
 * Auto Scaling model's `instances`), one reservation per instance. The other EC2 calls are the tests' own
 * stubs.
 */
export function installEc2Instances(
  mock: AnyStub,
  instances: (region: string) => GroupInstance[],
  /** Sees each answer (a test's instrument). */
  after: (input: DescribeInstancesInput, region: string, answer: GroupInstance[]) => void = () => {},
  /** Runs before the model sees each call (a test's instrument, or what the model needs first). */
  before: (name: string, input: Record<string, unknown>, region: string) => Promise<void> | void = () => {},
): void {
  serve(
    mock,
    DescribeInstancesCommand,
    (input: DescribeInstancesInput, region) => {
      const page = describeInstances(instances(region), {
        ids: input.InstanceIds,
        filters: (input.Filters ?? []).map((f) => ({ name: f.Name ?? "", values: f.Values ?? [] })),
        maxResults: input.MaxResults,
        nextToken: input.NextToken,
      });
      after(input, region, page.instances);
      return {
        Reservations: page.instances.map((i) => ({
          ReservationId: `r-${i.id.slice(2, 10)}`,
          Instances: [
            {
              InstanceId: i.id,
              State: { Code: STATE_CODES[i.state], Name: i.state },
              VpcId: i.vpcId,
              Tags: Object.entries(i.tags).map(([Key, Value]) => ({ Key, Value })),
            },
          ],
        })),
        NextToken: page.nextToken,
      };
    },
    before,
  );
}
