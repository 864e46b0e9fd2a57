/** Reads the environment both roles build: VPC, availability zones, NAT, servers, port, health check, DNS. */
import { ConfigReader } from "./reader";
import { CONFIG_NAMESPACE } from "./schema";
import {
  COMPUTE_KINDS,
  ComputeKind,
  EnvironmentSettings,
  NatGatewayStrategy,
  StackSettings,
} from "./settings";

const REGION_ZONE = /^[a-z]{2}(-[a-z]+)+-\d+[a-z]$/;
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;
/** Whether `image` is in `region`'s private ECR: `<account>.dkr.ecr.<region>.amazonaws.com/<repository>...`. */
function privateEcrImage(image: string, region: string): boolean {
  return image.startsWith(`.dkr.ecr.${region}.amazonaws.com/`, image.indexOf(".")) && /^\d{12}\./.test(image);
}

/** The environment of a stack of `role` in `region`; a dr stack may have no NAT gateway. */
export function readEnvironment(
  reader: ConfigReader,
  region: string,
  role: StackSettings["role"],
): EnvironmentSettings {
  const vpcCidr = reader.string("vpcCidr");
  const cidr = CIDR.exec(vpcCidr);
  if (
    !cidr ||
    cidr.slice(1, 5).some((octet) => Number(octet) > 255) ||
    Number(cidr[5]) < 16 ||
    Number(cidr[5]) > 24
  ) {
    reader.problem("vpcCidr", vpcCidr, "must be an IPv4 CIDR block from /16 to /24, e.g. 10.0.0.0/16");
  }
  const availabilityZones = reader.stringArray("availabilityZones");
  if (availabilityZones.length !== 0 && availabilityZones.length !== 2) {
    reader.problem(
      "availabilityZones",
      availabilityZones,
      "must name exactly two availability zones, or none",
    );
  }
  for (const zone of availabilityZones) {
    if (!REGION_ZONE.test(zone) || !zone.startsWith(region)) {
      reader.problem(
        "availabilityZones",
        availabilityZones,
        `must name zones of the stack's region ${region}, e.g. ${region}a`,
      );
      break;
    }
  }
  if (new Set(availabilityZones).size !== availabilityZones.length) {
    reader.problem("availabilityZones", availabilityZones, "must name two different zones");
  }
  const natGateways = reader.oneOf<NatGatewayStrategy>("natGateways", ["None", "Single", "OnePerAz"]);
  if (role === "dr" && natGateways !== "None") {
    reader.problem(
      "natGateways",
      natGateways,
      "must be None on a dr stack: NAT gateways are billed by the hour, and standby runs nothing",
    );
  }
  const zoneId = reader.optional("route53ZoneId", {
    pattern: /^Z[A-Z0-9]{1,32}$/,
    rule: "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ",
  });
  const domainName = reader.optional("domainName", {
    pattern: HOSTNAME,
    rule: "must be a lower-case DNS name such as api.example.com",
  });
  if ((zoneId === undefined) !== (domainName === undefined)) {
    const [setKey, unsetKey] =
      zoneId === undefined ? ["domainName", "route53ZoneId"] : ["route53ZoneId", "domainName"];
    reader.problem(
      setKey,
      zoneId ?? domainName,
      `needs ${CONFIG_NAMESPACE}:${unsetKey} as well: the DNS record needs both the zone and the name`,
    );
  }
  const compute = reader.oneOf<ComputeKind>("compute", COMPUTE_KINDS);
  const containerImage = reader.string("containerImage", {
    pattern: /^[a-z0-9][a-z0-9._/:@-]{0,254}$/,
    rule: "must be a container image reference such as 123456789012.dkr.ecr.us-west-2.amazonaws.com/app:1.4",
  });
  if (compute === "ecs" && natGateways === "None" && !privateEcrImage(containerImage, region)) {
    reader.problem(
      "containerImage",
      containerImage,
      `must be an image in ${region}'s private ECR (<account>.dkr.ecr.${region}.amazonaws.com/<repository>...) with compute ecs and no NAT gateway: the tasks pull it through the region's ECR endpoints, and nothing else is reachable (replicate the repository to ${region})`,
    );
  }
  return {
    vpcCidr,
    availabilityZones,
    natGateways,
    interfaceEndpoints: reader.boolean("interfaceEndpoints"),
    instanceType: reader.string("instanceType", {
      pattern: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
      rule: "must be an EC2 instance type such as t3.small",
    }),
    amiId: reader.string("amiId", {
      pattern: /^(ami-[0-9a-f]{8,17}|resolve:ssm:\S+)$/,
      rule: "must be an AMI id (ami-...) or resolve:ssm:<parameter name>",
    }),
    appPort: reader.integer("appPort", 1, 65535),
    healthCheckPath: reader.string("healthCheckPath", {
      pattern: /^\/\S*$/,
      rule: "must be a path starting with /",
    }),
    compute,
    containerImage,
    dns: zoneId !== undefined && domainName !== undefined ? { zoneId, domainName } : undefined,
  };
}
