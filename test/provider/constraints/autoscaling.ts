// The AWS provider's argument constraints for Auto Scaling groups.
import { TypeConstraints } from "../rules";

/** Auto Scaling: internal/service/autoscaling/. */
export const AUTOSCALING: readonly TypeConstraints[] = [
  {
    type: "aws:autoscaling/group:Group",
    file: "internal/service/autoscaling/group.go",
    rules: [
      { kind: "ExactlyOneOf", paths: ["launchConfiguration", "launchTemplate", "mixedInstancesPolicy"] },
      { kind: "ConflictsWith", path: "availabilityZones", with: ["vpcZoneIdentifiers"] },
      { kind: "ConflictsWith", path: "launchTemplate.id", with: ["launchTemplate.name"] },
      { kind: "StringLenBetween", path: "launchTemplate.version", min: 1, max: 255 },
      { kind: "ConflictsWith", path: "loadBalancers", with: ["trafficSources"] },
      { kind: "StringInSlice", path: "instanceRefresh.strategy", values: ["Rolling", "ReplaceRootVolume"] },
      { kind: "IntBetween", path: "instanceRefresh.preferences.minHealthyPercentage", min: 0, max: 100 },
      { kind: "IntBetween", path: "instanceRefresh.preferences.maxHealthyPercentage", min: 100, max: 200 },
    ],
    note: "health_check_type has no validator in group.go (AWS accepts EC2, ELB, VPC_LATTICE, EBS)",
  },
];
