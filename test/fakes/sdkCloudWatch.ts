/** The SDK front end of the simulated CloudWatch: aws-sdk-client-mock handlers calling the CloudWatch model (scripts/simulation/cloudWatch.ts). */
import {
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  PutMetricDataCommand,
} from "@aws-sdk/client-cloudwatch";
import { CloudWatchMetrics, MetricDatum } from "../../scripts/simulation/cloudWatch";
import { AnyStub, serve } from "./sdkFrontEnd";

const ms = (date: Date | number | string) => new Date(date).getTime();

/**
 * PutMetricData, GetMetricData and DescribeAlarms on aws-sdk-client-mock, in the region of the client
 * that sent them, answered by the {@link CloudWatchMetrics} model the HTTP fake serves: an alarm is
 * evaluated `evaluationDelayMs` (the model's option) after the data arrived.
 */
export function installCloudWatch(mock: AnyStub, model: CloudWatchMetrics): void {
  serve(
    mock,
    PutMetricDataCommand,
    (input: { Namespace: string; MetricData?: Array<MetricDatum & { Timestamp?: Date }> }, region) => {
      model.putMetricData(
        region,
        input.Namespace,
        (input.MetricData ?? []).map((d) => ({
          ...d,
          timestampMs: d.Timestamp !== undefined ? ms(d.Timestamp) : undefined,
        })),
      );
      return {};
    },
  );
  serve(
    mock,
    GetMetricDataCommand,
    (input: Parameters<CloudWatchMetrics["metricData"]>[1] & { StartTime: Date; EndTime: Date }, region) => ({
      MetricDataResults: model
        .metricData(region, { ...input, startMs: ms(input.StartTime), endMs: ms(input.EndTime) })
        .map((r) => ({ ...r, Timestamps: r.Timestamps.map((t) => new Date(t)) })),
      Messages: [],
    }),
  );
  serve(mock, DescribeAlarmsCommand, (input: { AlarmNames?: string[] }, region) => ({
    MetricAlarms: model.describeAlarms(region, input.AlarmNames).map(({ stateUpdatedMs, ...alarm }) => ({
      ...alarm,
      StateUpdatedTimestamp: stateUpdatedMs !== undefined ? new Date(stateUpdatedMs) : undefined,
    })),
    CompositeAlarms: [],
  }));
}
