// The AWS provider's argument constraints for EBS volumes, launch templates, security groups, VPC endpoints.
import {
  HttpTokensState,
  LaunchTemplateInstanceMetadataEndpointState,
  ResourceType,
  VpcEndpointType,
} from "@aws-sdk/client-ec2";
import { TypeConstraints } from "../rules";

/** EC2: internal/service/ec2/. Enumerations come from the EC2 service model, as the provider's do. */
export const EC2: readonly TypeConstraints[] = [
  {
    type: "aws:ec2/securityGroup:SecurityGroup",
    file: "internal/service/ec2/vpc_security_group.go",
    autoName: "name",
    rules: [
      { kind: "ConflictsWith", path: "name", with: ["namePrefix"] },
      { kind: "StringLenBetween", path: "name", min: 0, max: 255 },
      { kind: "StringMatch", path: "name", pattern: /^(?!sg-)/, message: "cannot begin with sg-" },
      { kind: "StringLenBetween", path: "namePrefix", min: 0, max: 229 },
      { kind: "StringLenBetween", path: "description", min: 0, max: 255 },
      // validSecurityGroupRuleDescription (internal/service/ec2/validate.go).
      ...(["ingress", "egress"] as const).flatMap((block) => [
        { kind: "StringLenBetween", path: `${block}[].description`, min: 0, max: 255 } as const,
        {
          kind: "StringMatch",
          path: `${block}[].description`,
          pattern: /^[A-Za-z0-9 .:/()#,@[\]+=&;{}!$*_-]*$/,
          message: "only alphanumeric characters, spaces and ._-:/()#,@[]+=&;{}!$* allowed",
        } as const,
        {
          kind: "StringMatch",
          path: `${block}[].cidrBlocks[]`,
          pattern: /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/,
          message: "must be a valid IPv4 CIDR network address (ValidIPv4CIDRNetworkAddress)",
        } as const,
      ]),
    ],
  },
  {
    type: "aws:ec2/vpcEndpoint:VpcEndpoint",
    file: "internal/service/ec2/vpc_endpoint.go",
    rules: [
      { kind: "ConflictsWith", path: "serviceName", with: ["resourceConfigurationArn", "serviceNetworkArn"] },
      { kind: "ConflictsWith", path: "resourceConfigurationArn", with: ["serviceName", "serviceNetworkArn"] },
      { kind: "StringInSlice", path: "vpcEndpointType", values: Object.values(VpcEndpointType) },
      { kind: "ValidARN", path: "resourceConfigurationArn" },
      { kind: "ValidARN", path: "serviceNetworkArn" },
      { kind: "StringIsJSON", path: "policy" },
    ],
  },
  {
    type: "aws:ebs/volume:Volume",
    file: "internal/service/ec2/ebs_volume.go",
    rules: [
      { kind: "AtLeastOneOf", paths: ["size", "snapshotId"] },
      { kind: "IntBetween", path: "throughput", min: 125, max: 1000 },
      { kind: "IntBetween", path: "volumeInitializationRate", min: 100, max: 300 },
      { kind: "ValidARN", path: "kmsKeyId" },
      { kind: "ValidARN", path: "outpostArn" },
    ],
    note: "CustomizeDiff also ties iops, throughput and multiAttachEnabled to the volume type (conditional, not encoded; the stack sets none of them)",
  },
  {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    file: "internal/service/ec2/ec2_launch_template.go",
    autoName: "name",
    rules: [
      { kind: "ConflictsWith", path: "name", with: ["namePrefix"] },
      // verify.ValidLaunchTemplateName: 3-128 of letters, digits and ()./_-.
      {
        kind: "StringMatch",
        path: "name",
        pattern: /^[0-9A-Za-z()./_-]{3,128}$/,
        message: "must be 3-128 letters, digits or ()./_-",
      },
      { kind: "StringLenBetween", path: "description", min: 0, max: 255 },
      { kind: "ConflictsWith", path: "defaultVersion", with: ["updateDefaultVersion"] },
      { kind: "IntBetween", path: "defaultVersion", min: 1 },
      { kind: "ConflictsWith", path: "securityGroupNames", with: ["vpcSecurityGroupIds"] },
      {
        kind: "StringInSlice",
        path: "tagSpecifications[].resourceType",
        values: Object.values(ResourceType),
      },
      { kind: "StringInSlice", path: "metadataOptions.httpTokens", values: Object.values(HttpTokensState) },
      {
        kind: "StringInSlice",
        path: "metadataOptions.httpEndpoint",
        values: Object.values(LaunchTemplateInstanceMetadataEndpointState),
      },
      { kind: "ValidARN", path: "iamInstanceProfile.arn" },
    ],
  },
];
