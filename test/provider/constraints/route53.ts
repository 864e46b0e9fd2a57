// The AWS provider's argument constraints for Route 53 records and health checks.
import { Rule, TypeConstraints } from "../rules";

const ROUTING_POLICIES = [
  "cidrRoutingPolicy",
  "failoverRoutingPolicies",
  "geolocationRoutingPolicies",
  "geoproximityRoutingPolicy",
  "latencyRoutingPolicies",
  "multivalueAnswerRoutingPolicy",
  "weightedRoutingPolicies",
];

/** Each routing policy conflicts with every other one and needs a setIdentifier. */
const routingPolicyRules: Rule[] = ROUTING_POLICIES.flatMap((policy): Rule[] => [
  { kind: "ConflictsWith", path: policy, with: ROUTING_POLICIES.filter((other) => other !== policy) },
  { kind: "RequiredWith", path: policy, with: ["setIdentifier"] },
]);

/** Route 53: internal/service/route53/. */
export const ROUTE53: readonly TypeConstraints[] = [
  {
    type: "aws:route53/record:Record",
    file: "internal/service/route53/record.go",
    rules: [
      { kind: "ExactlyOneOf", paths: ["aliases", "records"] },
      { kind: "ConflictsWith", path: "aliases", with: ["ttl"] },
      { kind: "RequiredWith", path: "ttl", with: ["records"] },
      ...routingPolicyRules,
      { kind: "StringLenBetween", path: "aliases[].name", min: 1, max: 1024 },
      { kind: "StringLenBetween", path: "aliases[].zoneId", min: 1, max: 32 },
      { kind: "StringInSlice", path: "failoverRoutingPolicies[].type", values: ["PRIMARY", "SECONDARY"] },
      { kind: "IntBetween", path: "geoproximityRoutingPolicy.bias", min: -99, max: 99 },
      {
        kind: "StringInSlice",
        path: "type",
        values: [
          "SOA",
          "A",
          "TXT",
          "NS",
          "CNAME",
          "MX",
          "NAPTR",
          "PTR",
          "SRV",
          "SPF",
          "AAAA",
          "CAA",
          "DS",
          "TLSA",
          "SSHFP",
          "SVCB",
          "HTTPS",
        ],
      },
      // validation.NoZeroValues
      { kind: "StringLenBetween", path: "zoneId", min: 1, max: Number.MAX_SAFE_INTEGER },
    ],
  },
  {
    type: "aws:route53/healthCheck:HealthCheck",
    file: "internal/service/route53/health_check.go",
    rules: [
      {
        kind: "StringInSlice",
        path: "type",
        values: [
          "HTTP",
          "HTTPS",
          "HTTP_STR_MATCH",
          "HTTPS_STR_MATCH",
          "TCP",
          "CALCULATED",
          "CLOUDWATCH_METRIC",
          "RECOVERY_CONTROL",
        ],
      },
      // 64 less the provider's 26-character unique suffix and 11 more characters it reserves.
      { kind: "StringLenBetween", path: "referenceName", min: 0, max: 27 },
      { kind: "IntBetween", path: "failureThreshold", min: 1, max: 10 },
      { kind: "StringLenBetween", path: "fqdn", min: 0, max: 255 },
      { kind: "StringLenBetween", path: "resourcePath", min: 0, max: 255 },
      { kind: "StringLenBetween", path: "searchString", min: 0, max: 255 },
      { kind: "IntBetween", path: "port", min: 1, max: 65535 },
      { kind: "IntInSliceOrDivisibleBy", path: "requestInterval", values: [10, 30] },
      { kind: "IntBetween", path: "childHealthThreshold", min: Number.MIN_SAFE_INTEGER, max: 256 },
      {
        kind: "StringInSlice",
        path: "insufficientDataHealthStatus",
        values: ["Healthy", "Unhealthy", "LastKnownStatus"],
      },
      // enum.Validate[CloudWatchRegion]: a region name (the enumeration lists every commercial region).
      {
        kind: "StringMatch",
        path: "cloudwatchAlarmRegion",
        pattern: /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/,
        message: "must be an AWS region name",
      },
      { kind: "ValidARN", path: "routingControlArn" },
    ],
  },
];
