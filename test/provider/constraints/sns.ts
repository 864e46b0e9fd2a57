// The AWS provider's argument constraints for SNS topics, policies and subscriptions.
import { TypeConstraints } from "../rules";

/** SNS: internal/service/sns/. */
export const SNS: readonly TypeConstraints[] = [
  {
    type: "aws:sns/topic:Topic",
    file: "internal/service/sns/topic.go",
    autoName: "name",
    rules: [
      { kind: "ConflictsWith", path: "name", with: ["namePrefix"] },
      // resourceTopicCustomizeDiff, at create: standard topics ^[0-9A-Za-z_-]{1,256}$, FIFO ones end in .fifo.
      {
        kind: "StringMatch",
        path: "name",
        pattern: /^([0-9A-Za-z_-]{1,256}|[0-9A-Za-z_-]{1,251}\.fifo)$/,
        message: "invalid topic name (letters, digits, - and _, at most 256; FIFO topics end in .fifo)",
      },
      { kind: "IntBetween", path: "signatureVersion", min: 1, max: 2 },
      { kind: "StringIsJSON", path: "policy" },
      { kind: "StringIsJSON", path: "deliveryPolicy" },
    ],
  },
  {
    type: "aws:sns/topicPolicy:TopicPolicy",
    file: "internal/service/sns/topic_policy.go",
    rules: [
      { kind: "ValidARN", path: "arn" },
      { kind: "StringIsJSON", path: "policy" },
    ],
  },
  {
    type: "aws:sns/topicSubscription:TopicSubscription",
    file: "internal/service/sns/topic_subscription.go",
    rules: [
      {
        kind: "StringInSlice",
        path: "protocol",
        values: ["application", "email", "email-json", "firehose", "http", "https", "lambda", "sms", "sqs"],
      },
      { kind: "ValidARN", path: "topic" },
      { kind: "ValidARN", path: "subscriptionRoleArn" },
      { kind: "StringInSlice", path: "filterPolicyScope", values: ["MessageAttributes", "MessageBody"] },
      { kind: "StringIsJSON", path: "filterPolicy" },
      { kind: "StringIsJSON", path: "deliveryPolicy" },
      { kind: "StringIsJSON", path: "redrivePolicy" },
    ],
  },
];
