/** CloudWatch's model (metrics and alarms of every region) and its JSON 1.0 service. */
import type { FakeService } from "./fakeService";
import { ACCOUNT } from "./fixtures";
import { json } from "./wireFormats";

/** A metric alarm of the fake, e.g. the failover switch `ServeFromDr-<domain>` (stacks/dnsFailover.ts). */
export interface FakeAlarm {
  readonly region: string;
  readonly name: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  /** ALARM when a period's Maximum is at or above it (GreaterThanOrEqualToThreshold). */
  readonly threshold: number;
  /** Period of the Maximum, seconds. Default 60. */
  readonly periodSeconds?: number;
  /** State before any data point (missing data is ignored: the last state holds). Default INSUFFICIENT_DATA. */
  readonly initialState?: "OK" | "ALARM" | "INSUFFICIENT_DATA";
}

interface Datum {
  readonly region: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: string;
  readonly value: number;
  /** The data point's own time. */
  readonly timestamp: number;
  /** When the fake received it. */
  readonly received: number;
}

type Dimensions = Array<{ Name: string; Value: string }> | undefined;

/** A data point of PutMetricData; `timestampMs` its own time (default: when it is received). */
export interface MetricDatum {
  readonly MetricName: string;
  readonly Dimensions?: Dimensions;
  readonly Value: number;
  readonly timestampMs?: number;
}

/** An alarm as DescribeAlarms answers it; `stateUpdatedMs` when its state last changed. */
export interface AlarmRecord {
  readonly AlarmName: string;
  readonly AlarmArn: string;
  readonly StateValue: string;
  readonly StateReason: string;
  readonly stateUpdatedMs?: number;
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions: Array<{ Name: string; Value: string }>;
  readonly Statistic: string;
  readonly Period: number;
  readonly EvaluationPeriods: number;
  readonly Threshold: number;
  readonly ComparisonOperator: string;
  readonly TreatMissingData: string;
}

const dimensionKey = (dimensions: Dimensions | Readonly<Record<string, string>>) => {
  const pairs = Array.isArray(dimensions)
    ? dimensions.map((d) => [d.Name, d.Value])
    : Object.entries(dimensions ?? {});
  return JSON.stringify(pairs.sort(([a], [b]) => (a < b ? -1 : 1)));
};

const STATISTICS: Record<string, (values: number[]) => number> = {
  Maximum: (v) => Math.max(...v),
  Minimum: (v) => Math.min(...v),
  Sum: (v) => v.reduce((a, b) => a + b, 0),
  Average: (v) => v.reduce((a, b) => a + b, 0) / v.length,
  SampleCount: (v) => v.length,
};

/**
 * CloudWatch metrics and alarms of every region: PutMetricData keeps the data points, GetMetricData
 * answers MetricStat queries by period, and DescribeAlarms evaluates each alarm's Maximum over its
 * period, one evaluation (`evaluationDelayMs`, default a minute) after the data arrived, with missing
 * data ignored as the switch's alarm is configured.
 */
export class CloudWatchMetrics {
  private readonly data: Datum[] = [];

  constructor(
    private readonly alarms: readonly FakeAlarm[],
    private readonly now: () => number,
    private readonly evaluationDelayMs = 60_000,
  ) {}

  /** The data points of one metric, oldest first (a test's view). */
  points(region: string, namespace: string, metricName: string, dimensions: Record<string, string>) {
    const key = dimensionKey(dimensions);
    return this.data
      .filter(
        (d) =>
          d.region === region &&
          d.namespace === namespace &&
          d.metricName === metricName &&
          d.dimensions === key,
      )
      .map((d) => ({ value: d.value, timestamp: d.timestamp }));
  }

  /** An alarm's state at `at` (default now), with when it last changed. */
  alarmState(alarm: FakeAlarm, at = this.now()): { state: string; since?: number } {
    const key = dimensionKey(alarm.dimensions);
    const period = (alarm.periodSeconds ?? 60) * 1000;
    const seen = this.data.filter(
      (d) =>
        d.region === alarm.region &&
        d.namespace === alarm.namespace &&
        d.metricName === alarm.metricName &&
        d.dimensions === key &&
        d.received + this.evaluationDelayMs <= at,
    );
    if (seen.length === 0) {
      return { state: alarm.initialState ?? "INSUFFICIENT_DATA" };
    }
    const latest = seen.reduce((a, b) => (b.timestamp >= a.timestamp ? b : a));
    const bucket = Math.floor(latest.timestamp / period);
    const max = Math.max(
      ...seen.filter((d) => Math.floor(d.timestamp / period) === bucket).map((d) => d.value),
    );
    return {
      state: max >= alarm.threshold ? "ALARM" : "OK",
      since: latest.received + this.evaluationDelayMs,
    };
  }

  /** PutMetricData: the data points of `namespace`, each at its own time (ms) or now. */
  putMetricData(region: string, namespace: string, data: readonly MetricDatum[]): void {
    for (const datum of data) {
      this.data.push({
        region,
        namespace,
        metricName: datum.MetricName,
        dimensions: dimensionKey(datum.Dimensions),
        value: Number(datum.Value),
        timestamp: datum.timestampMs ?? this.now(),
        received: this.now(),
      });
    }
  }

  /** DescribeAlarms: the region's alarms (those named, or all), each evaluated now. */
  describeAlarms(region: string, names: readonly string[] = []): AlarmRecord[] {
    return this.alarms
      .filter((a) => a.region === region && (names.length === 0 || names.includes(a.name)))
      .map((a) => {
        const { state, since } = this.alarmState(a);
        return {
          AlarmName: a.name,
          AlarmArn: `arn:aws:cloudwatch:${region}:${ACCOUNT}:alarm:${a.name}`,
          StateValue: state,
          StateReason: `simulated: ${state}`,
          stateUpdatedMs: since,
          Namespace: a.namespace,
          MetricName: a.metricName,
          Dimensions: Object.entries(a.dimensions).map(([Name, Value]) => ({ Name, Value })),
          Statistic: "Maximum",
          Period: a.periodSeconds ?? 60,
          EvaluationPeriods: 1,
          Threshold: a.threshold,
          ComparisonOperator: "GreaterThanOrEqualToThreshold",
          TreatMissingData: "ignore",
        };
      });
  }

  /** PutMetricData, GetMetricData and DescribeAlarms over CloudWatch's JSON 1.0 protocol. */
  service(): FakeService {
    return ({ headers, body, region }) => {
      const action =
        String(headers["x-amz-target"] ?? "")
          .split(".")
          .pop() ?? "unknown";
      const input = JSON.parse(body || "{}");
      switch (action) {
        case "PutMetricData":
          this.putMetricData(
            region,
            input.Namespace,
            (input.MetricData ?? []).map((d: MetricDatum & { Timestamp?: number }) => ({
              ...d,
              timestampMs: d.Timestamp !== undefined ? Number(d.Timestamp) * 1000 : undefined,
            })),
          );
          return json(200, action, {});
        case "GetMetricData":
          return json(200, action, {
            MetricDataResults: this.metricData(region, {
              ...input,
              startMs: input.StartTime * 1000,
              endMs: input.EndTime * 1000,
            }).map((r) => ({ ...r, Timestamps: r.Timestamps.map((t) => t / 1000) })),
            Messages: [],
          });
        case "DescribeAlarms":
          return json(200, action, {
            MetricAlarms: this.describeAlarms(region, input.AlarmNames).map(
              ({ stateUpdatedMs, ...alarm }) => ({
                ...alarm,
                ...(stateUpdatedMs !== undefined ? { StateUpdatedTimestamp: stateUpdatedMs / 1000 } : {}),
              }),
            ),
            CompositeAlarms: [],
          });
        default:
          return json(400, action, { message: `the simulation does not serve ${action}` }, "InvalidAction");
      }
    };
  }

  /**
   * GetMetricData's MetricStat queries, from `startMs` to `endMs`: one value per period with data, newest
   * first (TimestampDescending); timestamps in ms.
   */
  metricData(
    region: string,
    input: {
      startMs: number;
      endMs: number;
      ScanBy?: string;
      MetricDataQueries: Array<{
        Id: string;
        MetricStat?: {
          Metric: { Namespace: string; MetricName: string; Dimensions?: Dimensions };
          Period: number;
          Stat: string;
        };
      }>;
    },
  ) {
    return input.MetricDataQueries.map((q) => {
      const stat = q.MetricStat;
      const fn = stat ? STATISTICS[stat.Stat] : undefined;
      if (!stat || !fn) {
        return { Id: q.Id, StatusCode: "InternalError", Timestamps: [] as number[], Values: [] as number[] };
      }
      const key = dimensionKey(stat.Metric.Dimensions);
      const period = stat.Period * 1000;
      const buckets = new Map<number, number[]>();
      for (const d of this.data) {
        if (
          d.region === region &&
          d.namespace === stat.Metric.Namespace &&
          d.metricName === stat.Metric.MetricName &&
          d.dimensions === key &&
          d.timestamp >= input.startMs &&
          d.timestamp < input.endMs
        ) {
          const start = Math.floor(d.timestamp / period) * period;
          buckets.set(start, [...(buckets.get(start) ?? []), d.value]);
        }
      }
      const times = [...buckets.keys()].sort((a, b) =>
        input.ScanBy === "TimestampAscending" ? a - b : b - a,
      );
      return {
        Id: q.Id,
        Label: stat.Metric.MetricName,
        StatusCode: "Complete",
        Timestamps: times,
        Values: times.map((t) => fn(buckets.get(t) as number[])),
      };
    });
  }
}
