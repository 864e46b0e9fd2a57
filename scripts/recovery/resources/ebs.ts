// EBS: how a volume's recovery point is placed in the servers' zone, restored, tagged, wired, deleted.
import { DeleteTagsCommand, DeleteVolumeCommand, DescribeVolumesCommand } from "@aws-sdk/client-ec2";
import { expectState, ResourceRecovery } from "./resourceRecovery";

/**
 * An EBS volume (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-ebs.html): AWS gives the
 * copy a volume id; it is created in the dr stack's first availability zone.
 */
export const ebs: ResourceRecovery = {
  /** EC2 DeleteTags (volume id; each tag with its value, so a tag someone set to another value stays). */
  async removeSelectionTags(clients, arn, tags) {
    await clients.ec2.send(
      new DeleteTagsCommand({
        Resources: [arn.split("/").pop() ?? arn],
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  },
  type: "EBS",
  dataKind: "ebs",
  idIsName: false,
  metadataKeys: [
    "availabilityZone",
    "encrypted",
    "iops",
    "kmsKeyId",
    "multiAttachEnabled",
    "throughput",
    "volumeId",
    "volumeSize",
    "volumeType",
  ],
  restoreFixes: { zoneKey: "availabilityZone", quotaService: "ebs" },
  placeRestore(meta, _notes, { network, need }) {
    meta.set("availabilityZone", need(network.availabilityZones[0], "availabilityZones"));
  },
  drConfig: {
    role: "volume",
    result: {
      key: "restoredVolumeId",
      value: (record) => record.resourceId,
      preview: (plan) => `<volume id restored from ${plan.resourceName}>`,
    },
  },
  async verify(clients, id) {
    const out = await clients.ec2.send(new DescribeVolumesCommand({ VolumeIds: [id] }));
    return expectState("volume", id, out.Volumes?.[0]?.State, ["available", "in-use"]);
  },
  async delete(clients, id) {
    await clients.ec2.send(new DeleteVolumeCommand({ VolumeId: id }));
    return `volume ${id} deleted`;
  },
};
