/** The SDK front end of the simulated Auto Scaling: aws-sdk-client-mock handlers calling the Auto Scaling model (scripts/simulation/autoScaling.ts). */
import {
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribeScalingActivitiesCommand,
  StartInstanceRefreshCommand,
} from "@aws-sdk/client-auto-scaling";
import { AutoScalingGroups } from "../../scripts/simulation/autoScaling";
import { AnyStub, serve } from "./sdkFrontEnd";
import { FakeApiError } from "../../scripts/simulation/backupJobs";

/** The SDK's exception names where they differ from the wire's error codes. */
const SDK_NAMES: Readonly<Record<string, string>> = {
  InstanceRefreshInProgress: "InstanceRefreshInProgressFault",
};

/**
 * DescribeAutoScalingGroups, StartInstanceRefresh, DescribeInstanceRefreshes and
 * DescribeScalingActivities on aws-sdk-client-mock, in the region of the client that sent them, answered
 * by the {@link AutoScalingGroups} model the HTTP fake serves (its groups, their instances over the
 * model's clock, instance refreshes, scaling activities).
 */
export function installAutoScaling(
  mock: AnyStub,
  model: Pick<
    AutoScalingGroups,
    "describeGroups" | "startInstanceRefresh" | "describeInstanceRefreshes" | "scalingActivities"
  >,
  /** Runs before the model sees each call (a test's instrument, or what the model needs first). */
  before: (name: string, input: Record<string, unknown>, region: string) => Promise<void> | void = () => {},
): void {
  const sdkNamed =
    <I>(answer: (input: I, region: string) => unknown) =>
    (input: I, region: string) => {
      try {
        return answer(input, region);
      } catch (err) {
        if (err instanceof FakeApiError && SDK_NAMES[err.type]) {
          throw new FakeApiError(err.status, SDK_NAMES[err.type], err.message);
        }
        throw err;
      }
    };
  serve(
    mock,
    DescribeAutoScalingGroupsCommand,
    (
      input: {
        AutoScalingGroupNames?: string[];
        Filters?: Array<{ Name?: string; Values?: string[] }>;
        MaxRecords?: number;
        NextToken?: string;
      },
      region,
    ) => {
      const page = model.describeGroups(region, {
        names: input.AutoScalingGroupNames,
        filters: (input.Filters ?? []).map((f) => ({ name: f.Name ?? "", values: f.Values ?? [] })),
        maxRecords: input.MaxRecords,
        nextToken: input.NextToken,
      });
      return {
        AutoScalingGroups: page.groups.map((g) => {
          const template = { LaunchTemplateId: g.launchTemplateId, LaunchTemplateName: g.launchTemplateName };
          return {
            AutoScalingGroupName: g.name,
            AutoScalingGroupARN: g.arn,
            LaunchTemplate: { ...template, Version: String(g.launchTemplateVersion) },
            MinSize: 0,
            MaxSize: g.maxSize,
            DesiredCapacity: g.desiredCapacity,
            DefaultCooldown: 300,
            AvailabilityZones: [g.availabilityZone],
            VPCZoneIdentifier: g.vpcZoneIdentifier,
            HealthCheckType: "ELB",
            CreatedTime: new Date(0),
            Instances: g.instances.map((i) => ({
              InstanceId: i.id,
              AvailabilityZone: g.availabilityZone,
              LifecycleState: i.lifecycleState,
              HealthStatus: "Healthy",
              LaunchTemplate: { ...template, Version: String(i.launchTemplateVersion) },
              ProtectedFromScaleIn: false,
            })),
            Tags: Object.entries(g.tags).map(([Key, Value]) => ({
              ResourceId: g.name,
              ResourceType: "auto-scaling-group",
              Key,
              Value,
              PropagateAtLaunch: true,
            })),
          };
        }),
        NextToken: page.nextToken,
      };
    },
    before,
  );
  serve(
    mock,
    StartInstanceRefreshCommand,
    sdkNamed(
      (
        input: {
          AutoScalingGroupName?: string;
          Preferences?: { MinHealthyPercentage?: number; InstanceWarmup?: number };
        },
        region,
      ) => ({
        InstanceRefreshId: model.startInstanceRefresh(region, input.AutoScalingGroupName ?? "", {
          minHealthyPercentage: input.Preferences?.MinHealthyPercentage,
          instanceWarmupSeconds: input.Preferences?.InstanceWarmup,
        }).id,
      }),
    ),
    before,
  );
  serve(
    mock,
    DescribeInstanceRefreshesCommand,
    (input: { AutoScalingGroupName?: string; InstanceRefreshIds?: string[] }, region) => ({
      InstanceRefreshes: model
        .describeInstanceRefreshes(region, input.AutoScalingGroupName ?? "", input.InstanceRefreshIds)
        .map((r) => ({
          InstanceRefreshId: r.id,
          AutoScalingGroupName: r.groupName,
          Status: r.status,
          StartTime: new Date(r.startTime),
          EndTime: r.endTime !== undefined ? new Date(r.endTime) : undefined,
          PercentageComplete: r.percentageComplete,
          InstancesToUpdate: r.instancesToUpdate,
        })),
    }),
    before,
  );
  serve(
    mock,
    DescribeScalingActivitiesCommand,
    (input: { AutoScalingGroupName?: string }, region) => ({
      Activities: model.scalingActivities(region, input.AutoScalingGroupName ?? "").map((a) => ({
        ActivityId: a.id,
        AutoScalingGroupName: a.groupName,
        Description: a.description,
        Cause: a.cause,
        StartTime: new Date(a.startTime),
        StatusCode: a.statusCode,
        Progress: a.progress,
      })),
    }),
    before,
  );
}
