import { TypeConstraints } from "../rules";

/** CloudWatch: internal/service/cloudwatch/. */
export const CLOUDWATCH: readonly TypeConstraints[] = [
  {
    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
    file: "internal/service/cloudwatch/metric_alarm.go",
    // Pulumi calls alarm_name `name` and auto-names it.
    autoName: "name",
    rules: [
      { kind: "StringLenBetween", path: "name", min: 1, max: 255 },
      { kind: "StringLenBetween", path: "alarmDescription", min: 0, max: 1024 },
      {
        kind: "StringInSlice",
        path: "comparisonOperator",
        values: [
          "GreaterThanOrEqualToThreshold",
          "GreaterThanThreshold",
          "LessThanThreshold",
          "LessThanOrEqualToThreshold",
          "LessThanLowerOrGreaterThanUpperThreshold",
          "LessThanLowerThreshold",
          "GreaterThanUpperThreshold",
        ],
      },
      { kind: "IntBetween", path: "evaluationPeriods", min: 1 },
      { kind: "IntBetween", path: "datapointsToAlarm", min: 1 },
      { kind: "ConflictsWith", path: "dimensions", with: ["metricQueries"] },
      { kind: "ConflictsWith", path: "metricName", with: ["metricQueries"] },
      { kind: "ConflictsWith", path: "namespace", with: ["metricQueries"] },
      { kind: "ConflictsWith", path: "period", with: ["metricQueries"] },
      { kind: "ConflictsWith", path: "statistic", with: ["extendedStatistic", "metricQueries"] },
      { kind: "ConflictsWith", path: "threshold", with: ["thresholdMetricId"] },
      { kind: "StringLenBetween", path: "metricName", min: 1, max: 255 },
      { kind: "StringLenBetween", path: "namespace", min: 1, max: 255 },
      {
        kind: "StringMatch",
        path: "namespace",
        pattern: /[^:].*/,
        message: "must not contain colon characters",
      },
      { kind: "IntInSliceOrDivisibleBy", path: "period", values: [10, 20, 30], divisor: 60 },
      {
        kind: "StringInSlice",
        path: "statistic",
        values: ["SampleCount", "Average", "Sum", "Minimum", "Maximum"],
      },
      {
        kind: "StringInSlice",
        path: "treatMissingData",
        values: ["breaching", "notBreaching", "ignore", "missing"],
        ignoreCase: true,
      },
      { kind: "ValidARN", path: "alarmActions[]" },
      { kind: "ValidARN", path: "okActions[]" },
      { kind: "ValidARN", path: "insufficientDataActions[]" },
    ],
    note: "CustomizeDiff also requires exactly one of statistic/extendedStatistic when metricName is set (not encoded: a conditional rule); alarm action ARNs may also be EC2 automate ARNs, which the component does not use",
  },
];
