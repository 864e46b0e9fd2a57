// The AWS provider's argument constraints for ECS clusters, services and task definitions.
import {
  ClusterSettingName,
  CPUArchitecture,
  EFSAuthorizationConfigIAM,
  EFSTransitEncryption,
  LaunchType,
  NetworkMode,
  OSFamily,
  PropagateTags,
} from "@aws-sdk/client-ecs";
import { TypeConstraints } from "../rules";

/**
 * validateClusterName (internal/service/ecs/validate.go) as the CreateCluster API reference words it: "Up to
 * 255 letters (uppercase and lowercase), numbers, underscores, and hyphens are allowed".
 */
const ECS_NAME = {
  pattern: /^[0-9A-Za-z_-]{1,255}$/,
  message: "must be 1-255 letters, numbers, hyphens or underscores",
} as const;

/** ECS: internal/service/ecs/. */
export const ECS: readonly TypeConstraints[] = [
  {
    type: "aws:ecs/cluster:Cluster",
    file: "internal/service/ecs/cluster.go",
    autoName: "name",
    rules: [
      { kind: "StringMatch", path: "name", ...ECS_NAME },
      { kind: "StringInSlice", path: "settings[].name", values: Object.values(ClusterSettingName) },
      { kind: "ValidARN", path: "serviceConnectDefaults.namespace" },
    ],
  },
  {
    type: "aws:ecs/service:Service",
    file: "internal/service/ecs/service.go",
    autoName: "name",
    rules: [
      { kind: "IntBetween", path: "capacityProviderStrategies[].base", min: 0, max: 100000 },
      { kind: "IntBetween", path: "capacityProviderStrategies[].weight", min: 0, max: 1000 },
      { kind: "IntBetween", path: "healthCheckGracePeriodSeconds", min: 0, max: 2147483647 },
      { kind: "StringInSlice", path: "launchType", values: Object.values(LaunchType) },
      { kind: "IntBetween", path: "loadBalancers[].containerPort", min: 0, max: 65536 },
      { kind: "ValidARN", path: "loadBalancers[].targetGroupArn" },
      { kind: "StringInSlice", path: "propagateTags", values: Object.values(PropagateTags) },
      { kind: "StringInSlice", path: "schedulingStrategy", values: ["REPLICA", "DAEMON"] },
      { kind: "ValidARN", path: "serviceRegistries.registryArn" },
    ],
    note: "name has no validator in service.go; desired_count, deployment_minimum_healthy_percent and deployment_maximum_percent none either (ECS checks them at CreateService)",
  },
  {
    type: "aws:ecs/taskDefinition:TaskDefinition",
    file: "internal/service/ecs/task_definition.go",
    rules: [
      { kind: "StringIsJSON", path: "containerDefinitions" },
      { kind: "ValidARN", path: "executionRoleArn" },
      { kind: "ValidARN", path: "taskRoleArn" },
      { kind: "StringLenBetween", path: "family", min: 1, max: 255 },
      {
        kind: "StringMatch",
        path: "family",
        pattern: /^[0-9A-Za-z_-]+$/,
        message: "see https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinition.html",
      },
      { kind: "StringInSlice", path: "networkMode", values: Object.values(NetworkMode) },
      { kind: "StringInSlice", path: "requiresCompatibilities[]", values: ["EC2", "FARGATE", "EXTERNAL"] },
      {
        kind: "StringInSlice",
        path: "runtimePlatform.cpuArchitecture",
        values: Object.values(CPUArchitecture),
      },
      {
        kind: "StringInSlice",
        path: "runtimePlatform.operatingSystemFamily",
        values: Object.values(OSFamily),
      },
      { kind: "IntBetween", path: "ephemeralStorage.sizeInGib", min: 21, max: 200 },
      {
        kind: "StringInSlice",
        path: "volumes[].efsVolumeConfiguration.transitEncryption",
        values: Object.values(EFSTransitEncryption),
      },
      {
        kind: "StringInSlice",
        path: "volumes[].efsVolumeConfiguration.authorizationConfig.iam",
        values: Object.values(EFSAuthorizationConfigIAM),
      },
    ],
    note: "containerDefinitions: ValidTaskDefinitionContainerDefinitions parses it as a JSON list of container definitions (checked here as JSON); cpu and memory have no validator (Fargate's pairs are checked by ECS at RegisterTaskDefinition)",
  },
];
