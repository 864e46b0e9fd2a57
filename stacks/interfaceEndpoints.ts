// Interface endpoints the servers use to reach AWS APIs from private subnets without a NAT gateway.
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import type { EnvironmentSettings } from "./config";

/**
 * With `interfaceEndpoints`: what Session Manager needs to reach a server without a NAT gateway (ssm,
 * ssmmessages, ec2messages) and CloudWatch Logs for its logs. Billed per endpoint and AZ-hour; the cost
 * estimate counts them from here.
 */
export const INTERFACE_ENDPOINT_SERVICES = ["ssm", "ssmmessages", "ec2messages", "logs"] as const;

/**
 * Whether the servers need an `ec2` interface endpoint: they attach EBS volumes (AttachVolume, an EC2 API
 * call) and the VPC has no NAT gateway, so without one the call has no route out of the private subnets.
 * The VPC's gateway endpoints serve S3 and DynamoDB only (Amazon VPC, "Access AWS services through AWS
 * PrivateLink"; "Gateway endpoints"). A dr stack never has a NAT gateway (stacks/config/environment.ts).
 */
export function needsEc2Endpoint(
  settings: Pick<EnvironmentSettings, "natGateways">,
  attachVolumes: boolean | undefined,
): boolean {
  return attachVolumes === true && settings.natGateways === "None";
}

/**
 * Whether the servers need a `secretsmanager` interface endpoint to read their database credential
 * (stacks/databaseCredential.ts): the VPC has no NAT gateway, and Secrets Manager has no gateway endpoint.
 */
export function needsSecretsManagerEndpoint(settings: Pick<EnvironmentSettings, "natGateways">): boolean {
  return settings.natGateways === "None";
}

/**
 * What Fargate tasks in private subnets without a NAT gateway need to start: the ECR API and Docker
 * registry endpoints to pull their image (its layers come from S3, through the VPC's gateway endpoint) and
 * CloudWatch Logs for the awslogs driver (ECS developer guide, "Amazon ECR interface VPC endpoints (AWS
 * PrivateLink)": com.amazonaws.<region>.ecr.dkr and ecr.api, the S3 gateway endpoint, and the logs
 * endpoint for awslogs). `logs` is left out when `interfaceEndpoints` already creates it.
 */
export function ecsPullEndpoints(
  settings: Pick<EnvironmentSettings, "natGateways" | "interfaceEndpoints" | "compute">,
): string[] {
  if (settings.compute !== "ecs" || settings.natGateways !== "None") return [];
  return ["ecr.api", "ecr.dkr", ...(settings.interfaceEndpoints ? [] : ["logs"])];
}

/** How many interface endpoints (each in every availability zone) a stack's VPC gets, for the cost estimate. */
export function interfaceEndpointCount(
  settings: Pick<EnvironmentSettings, "natGateways" | "interfaceEndpoints" | "compute">,
  attachVolumes: boolean,
): number {
  return (
    (settings.interfaceEndpoints ? INTERFACE_ENDPOINT_SERVICES.length : 0) +
    (needsEc2Endpoint(settings, attachVolumes) ? 1 : 0) +
    (needsSecretsManagerEndpoint(settings) ? 1 : 0) +
    ecsPullEndpoints(settings).length
  );
}

/** Where an interface endpoint goes and who may reach it. */
export interface EndpointPlacement {
  readonly region: string;
  readonly vpc: awsx.ec2.Vpc;
  /** The application servers' security group: the only source admitted (HTTPS). */
  readonly appSecurityGroup: aws.ec2.SecurityGroup;
  readonly tags: Record<string, string>;
}

/**
 * A security group for interface endpoints that admits HTTPS from the application servers only, named
 * `<name>-<purpose>-sg`.
 */
export function defineEndpointSecurityGroup(
  name: string,
  placement: EndpointPlacement,
  description: string,
): aws.ec2.SecurityGroup {
  return new aws.ec2.SecurityGroup(`${name}-sg`, {
    region: placement.region,
    vpcId: placement.vpc.vpcId,
    description,
    ingress: [
      {
        protocol: "tcp",
        fromPort: 443,
        toPort: 443,
        securityGroups: [placement.appSecurityGroup.id],
        description: "From the application servers",
      },
    ],
    tags: placement.tags,
  });
}

/**
 * The interface endpoint `<name>` of `com.amazonaws.<region>.<service>` in the private subnets, with
 * private DNS so the service's regional name resolves to it and the servers need no endpoint setting
 * (Amazon VPC, "Access AWS services through AWS PrivateLink"). Billed per AZ-hour.
 */
export function defineInterfaceEndpoint(
  name: string,
  placement: EndpointPlacement,
  service: string,
  securityGroupId: pulumi.Input<string>,
): aws.ec2.VpcEndpoint {
  return new aws.ec2.VpcEndpoint(name, {
    region: placement.region,
    vpcId: placement.vpc.vpcId,
    serviceName: `com.amazonaws.${placement.region}.${service}`,
    vpcEndpointType: "Interface",
    subnetIds: placement.vpc.privateSubnetIds,
    securityGroupIds: [securityGroupId],
    privateDnsEnabled: true,
    tags: placement.tags,
  });
}

/** One service's endpoint with its own security group: `<name>-<service>-endpoint` and `...-endpoint-sg`. */
export function defineServiceEndpoint(
  name: string,
  placement: EndpointPlacement,
  service: string,
  description: string,
): aws.ec2.VpcEndpoint {
  const endpointName = `${name}-${service}-endpoint`;
  const securityGroup = defineEndpointSecurityGroup(endpointName, placement, description);
  return defineInterfaceEndpoint(endpointName, placement, service, securityGroup.id);
}
