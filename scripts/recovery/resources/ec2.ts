// EC2: how an instance's recovery point is placed in a DR subnet, restored, and terminated after a drill.
import { DescribeInstancesCommand, TerminateInstancesCommand } from "@aws-sdk/client-ec2";
import { dropIfPresent, keepJsonFields } from "./metadata";
import { expectState, ResourceRecovery } from "./resourceRecovery";

/**
 * An EC2 instance (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ec2.html): AWS gives
 * the copy an instance id; it starts in the dr stack's private subnet with the app security group.
 */
export const ec2: ResourceRecovery = {
  type: "EC2",
  idIsName: false,
  metadataKeys: [
    "BlockDeviceMappings",
    "CapacityReservationSpecification",
    "CpuOptions",
    "CreditSpecification",
    "DisableApiTermination",
    "EbsOptimized",
    "ElasticGpuSpecification",
    "ElasticInferenceAccelerators",
    "EnclaveOptions",
    "HibernationOptions",
    "IamInstanceProfileName",
    "InstanceInitiatedShutdownBehavior",
    "InstanceMarketOptions",
    "InstanceType",
    "KeyName",
    "LicenseSpecifications",
    "MaintenanceOptions",
    "MetadataOptions",
    "Monitoring",
    "NetworkInterfaces",
    "Placement",
    "PrivateDnsNameOptions",
    "RequireIMDSv2",
    "SecurityGroupIds",
    "SubnetId",
    "UserData",
    "vpcId",
  ],
  restoreFixes: { sizeKey: "InstanceType", zoneKey: "SubnetId", quotaService: "ec2" },
  /**
   * The keys bound to the source region: the subnet, security groups and VPC are replaced by the dr
   * stack's; network interfaces go; key pairs are regional, so the source's key pair name would fail the
   * restore where it does not exist; of the placement only the tenancy is kept (zones, placement groups,
   * hosts and host resource groups are regional); a capacity reservation target is a reservation of the
   * source region. The instance profile is kept: IAM is global (the restore role needs iam:PassRole on
   * its role, as the page says).
   */
  placeRestore(meta, notes, { network: net, need, region }) {
    meta.set("SubnetId", need(net.privateSubnetIds[0], "privateSubnetIds"));
    meta.setList("SecurityGroupIds", [need(net.appSecurityGroupId, "appSecurityGroupId")]);
    if (meta.has("vpcId")) {
      meta.set("vpcId", need(net.vpcId, "vpcId"));
    }
    dropIfPresent(meta, notes, "NetworkInterfaces", "source-region network interfaces");
    const keyName = meta.get("KeyName");
    if (keyName !== undefined) {
      meta.delete("KeyName");
      notes.push(
        `KeyName '${keyName}' removed: key pairs are regional, the instance starts without one (pass --metadata ec2.KeyName=<a key pair in ${region}> to set one)`,
      );
    }
    keepJsonFields(meta, notes, "Placement", ["Tenancy"], "placement of the source region");
    keepJsonFields(
      meta,
      notes,
      "CapacityReservationSpecification",
      ["CapacityReservationPreference"],
      "a capacity reservation of the source region",
    );
    const profile = meta.get("IamInstanceProfileName");
    if (profile !== undefined) {
      notes.push(
        `IamInstanceProfileName '${profile}' kept: IAM is global; the restore role needs iam:PassRole on its role`,
      );
    }
  },
  async verify(clients, id) {
    const out = await clients.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    const state = out.Reservations?.[0]?.Instances?.[0]?.State?.Name;
    return expectState("instance", id, state, ["running", "pending"]);
  },
  async delete(clients, id) {
    await clients.ec2.send(new TerminateInstancesCommand({ InstanceIds: [id] }));
    return `instance ${id} terminating`;
  },
};
