// The argument constraints awsx's own provider enforces on its VPC and application load balancer.
import { TypeConstraints } from "../rules";

/**
 * awsx components are remote components: the mock engine records one opaque resource with its inputs, not
 * the aws resources it creates. Their rules come from awsx's own provider (pulumi/pulumi-awsx), which
 * throws these before creating anything; its schema declares no other cross-argument rules.
 */
export const AWSX: readonly TypeConstraints[] = [
  {
    type: "awsx:ec2:Vpc",
    file: "pulumi/pulumi-awsx awsx/ec2/vpc.ts",
    rules: [
      { kind: "ConflictsWith", path: "availabilityZoneNames", with: ["numberOfAvailabilityZones"] },
      { kind: "StringInSlice", path: "natGateways.strategy", values: ["None", "Single", "OnePerAz"] },
      { kind: "StringInSlice", path: "subnetStrategy", values: ["Legacy", "Auto", "Exact"] },
    ],
    note: "awsx component (checked against awsx's rules, not terraform-provider-aws); its child subnets, route tables and NAT gateways are not visible under mocks",
  },
  {
    type: "awsx:lb:ApplicationLoadBalancer",
    file: "pulumi/pulumi-awsx awsx/lb/applicationLoadBalancer.ts",
    rules: [
      { kind: "ConflictsWith", path: "listener", with: ["listeners"] },
      {
        kind: "ConflictsWith",
        path: "defaultSecurityGroup.args",
        with: ["defaultSecurityGroup.securityGroupId"],
      },
      { kind: "ConflictsWith", path: "subnets", with: ["subnetIds", "subnetMappings"] },
      { kind: "ConflictsWith", path: "subnetIds", with: ["subnetMappings"] },
    ],
    note: "awsx component (checked against awsx's rules); its aws:lb LoadBalancer, TargetGroup and Listener are not visible under mocks",
  },
];
