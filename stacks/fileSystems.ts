// Where an EFS file system is reachable: a mount target per private subnet, and NFS from the servers only.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Network } from "./environment";

/** NFS: the port EFS mount targets serve (EFS user guide, "Using VPC security groups": TCP 2049). */
export const NFS_PORT = 2049;

/** The VPC has two availability zones (stacks/config/environment.ts), each with one private subnet. */
const PRIVATE_SUBNETS = 2;

/**
 * The security group of the file systems' mount targets: NFS (TCP 2049) from the application servers'
 * security group, nothing else (EFS user guide, "Using VPC security groups": the mount target's group must
 * allow inbound NFS from the clients' group).
 */
export function defineFileSystemAccess(
  name: string,
  network: Network,
  tags: Record<string, string>,
): aws.ec2.SecurityGroup {
  return new aws.ec2.SecurityGroup(`${name}-efs-sg`, {
    region: network.args.region,
    vpcId: network.vpc.vpcId,
    description: "File systems' mount targets: NFS from the application servers",
    ingress: [
      {
        protocol: "tcp",
        fromPort: NFS_PORT,
        toPort: NFS_PORT,
        securityGroups: [network.appSecurityGroup.id],
        description: "NFS from the application servers",
      },
    ],
    tags,
  });
}

/** Arguments of {@link defineMountTargets}. */
export interface MountTargetsArgs {
  readonly region: string;
  /** The file system: prod's own, or the one a recovery restored. */
  readonly fileSystemId: pulumi.Input<string>;
  readonly network: Network;
  /** The group from {@link defineFileSystemAccess}. */
  readonly securityGroupId: pulumi.Input<string>;
}

/**
 * One mount target in each private subnet, so a server in either AZ mounts the file system by its DNS
 * name: a file system has at most one mount target per AZ, and a client resolves the name to the target in
 * its own AZ (EFS user guide, "Managing mount targets"). A file system AWS Backup restores to a new file
 * system comes without mount targets, so the dr stack creates them for a restored one (stacks/dr.ts).
 */
export function defineMountTargets(name: string, args: MountTargetsArgs): aws.efs.MountTarget[] {
  return Array.from(
    { length: PRIVATE_SUBNETS },
    (_, index) =>
      new aws.efs.MountTarget(`${name}-mount-${index}`, {
        region: args.region,
        fileSystemId: args.fileSystemId,
        subnetId: args.network.vpc.privateSubnetIds.apply((ids) => ids[index]),
        securityGroups: [args.securityGroupId],
      }),
  );
}
