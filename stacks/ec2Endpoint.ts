// The EC2 API endpoint servers without a NAT gateway need to attach their data volume (APP_DATA_VOLUME_ID).
import * as aws from "@pulumi/aws";
import type { EnvironmentSettings } from "./config";
import type { Network } from "./environment";
import { defineServiceEndpoint } from "./interfaceEndpoints";

/**
 * Whether the servers need an `ec2` interface endpoint: they attach EBS volumes (AttachVolume, an EC2 API
 * call) and the VPC has no NAT gateway, so without one the call has no route out of the private subnets.
 * The VPC's gateway endpoints serve S3 and DynamoDB only (Amazon VPC, "Access AWS services through AWS
 * PrivateLink"; "Gateway endpoints"). A dr stack never has a NAT gateway (stacks/config.ts).
 */
export function needsEc2Endpoint(
  settings: Pick<EnvironmentSettings, "natGateways">,
  attachVolumes: boolean | undefined,
): boolean {
  return attachVolumes === true && settings.natGateways === "None";
}

/**
 * The `ec2` interface endpoint in the private subnets, with private DNS so the regional EC2 name resolves
 * to it, and a security group that admits HTTPS from the application servers only. Created in standby
 * too: a flip creates nothing (stacks/README.md, "Static stability"). Billed per AZ-hour like the
 * `interfaceEndpoints` set (scripts/cost counts it).
 */
export function defineEc2Endpoint(name: string, network: Network): aws.ec2.VpcEndpoint {
  return defineServiceEndpoint(
    name,
    { ...network.args, vpc: network.vpc, appSecurityGroup: network.appSecurityGroup },
    "ec2",
    "EC2 API endpoint: HTTPS from the application servers (volume attachment)",
  );
}
