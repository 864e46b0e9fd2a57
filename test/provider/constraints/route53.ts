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
];
