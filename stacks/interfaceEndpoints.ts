/**
 * With `interfaceEndpoints`: what Session Manager needs to reach a server without a NAT gateway (ssm,
 * ssmmessages, ec2messages) and CloudWatch Logs for its logs. Billed per endpoint and AZ-hour; the cost
 * estimate counts them from here.
 */
export const INTERFACE_ENDPOINT_SERVICES = ["ssm", "ssmmessages", "ec2messages", "logs"] as const;
