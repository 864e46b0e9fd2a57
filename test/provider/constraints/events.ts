// The AWS provider's argument constraints for EventBridge rules and targets.
import { TypeConstraints } from "../rules";

/** validateRuleName in internal/service/events/validate.go: at most 64 of letters, digits and `.-_`. */
function ruleName(path: string) {
  return [
    { kind: "StringLenBetween", path, min: 1, max: 64 },
    {
      kind: "StringMatch",
      path,
      pattern: /^[.\-_A-Za-z0-9]+$/,
      message: "must be letters, digits, ., - or _",
    },
  ] as const;
}

/** EventBridge: internal/service/events/. */
export const EVENTS: readonly TypeConstraints[] = [
  {
    type: "aws:cloudwatch/eventRule:EventRule",
    file: "internal/service/events/rule.go",
    autoName: "name",
    rules: [
      { kind: "ConflictsWith", path: "name", with: ["namePrefix"] },
      ...ruleName("name"),
      { kind: "StringLenBetween", path: "description", min: 0, max: 512 },
      { kind: "AtLeastOneOf", paths: ["scheduleExpression", "eventPattern"] },
      { kind: "StringIsJSON", path: "eventPattern" },
      // validateEventPatternValue: at most 4,096 characters once normalised.
      { kind: "StringLenBetween", path: "eventPattern", min: 0, max: 4096 },
      { kind: "StringLenBetween", path: "scheduleExpression", min: 0, max: 256 },
      { kind: "ValidARN", path: "roleArn" },
      { kind: "ConflictsWith", path: "isEnabled", with: ["state"] },
      {
        kind: "StringInSlice",
        path: "state",
        values: ["DISABLED", "ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"],
      },
    ],
  },
  {
    type: "aws:cloudwatch/eventTarget:EventTarget",
    file: "internal/service/events/target.go",
    rules: [
      { kind: "ValidARN", path: "arn" },
      ...ruleName("rule"),
      ...ruleName("targetId"),
      { kind: "ConflictsWith", path: "input", with: ["inputPath", "inputTransformer"] },
      { kind: "ConflictsWith", path: "inputPath", with: ["input", "inputTransformer"] },
      { kind: "StringIsJSON", path: "input" },
      { kind: "StringLenBetween", path: "input", min: 0, max: 8192 },
      { kind: "StringLenBetween", path: "inputPath", min: 0, max: 256 },
      { kind: "ValidARN", path: "roleArn" },
      { kind: "IntBetween", path: "retryPolicy.maximumEventAgeInSeconds", min: 0, max: 86400 },
      { kind: "IntBetween", path: "retryPolicy.maximumRetryAttempts", min: 0, max: 185 },
    ],
  },
];
