// The EC2 API endpoint servers without a NAT gateway need to attach their data volume (APP_DATA_VOLUME_ID).
import * as aws from "@pulumi/aws";
import type { Network } from "./environment";
import { defineServiceEndpoint } from "./interfaceEndpoints";

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
