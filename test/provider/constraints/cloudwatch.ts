// The AWS provider's argument constraints for CloudWatch alarms and CloudWatch Logs.
import { TypeConstraints } from "../rules";

/** CloudWatch alarms (internal/service/cloudwatch/) and CloudWatch Logs (internal/service/logs/). */
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
  {
    type: "aws:cloudwatch/logGroup:LogGroup",
    file: "internal/service/logs/group.go",
    autoName: "name",
    rules: [
      { kind: "ConflictsWith", path: "name", with: ["namePrefix"] },
      // validLogGroupName and validLogGroupNamePrefix (internal/service/logs/validate.go).
      { kind: "StringLenBetween", path: "name", min: 1, max: 512 },
      {
        kind: "StringMatch",
        path: "name",
        pattern: /^[.\-_/#A-Za-z0-9]+$/,
        message: "must be letters, digits or ._-/#",
      },
      { kind: "StringLenBetween", path: "namePrefix", min: 1, max: 483 },
      {
        kind: "IntInSliceOrDivisibleBy",
        path: "retentionInDays",
        values: [
          0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922,
          3288, 3653,
        ],
      },
      { kind: "StringInSlice", path: "logGroupClass", values: ["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"] },
    ],
    note: "kmsKeyId has no validator",
  },
];
