// EFS: how a file system's recovery point is restored as a new file system and deleted after a drill.
import { DeleteFileSystemCommand, DescribeFileSystemsCommand } from "@aws-sdk/client-efs";
import { expectState, ResourceRecovery } from "./resourceRecovery";

/**
 * An EFS file system (https://docs.aws.amazon.com/aws-backup/latest/devguide/restoring-efs.html): restored
 * as a new file system whose creation token is the name the CLI chose; AWS gives it its id.
 */
export const efs: ResourceRecovery = {
  type: "EFS",
  dataKind: "efs",
  // Creation tokens: at most 64.
  nameRule: { maxLength: 64, lowerCase: false, invalid: /[^A-Za-z0-9_.-]/g },
  idIsName: false,
  fullyManagedByBackup: true,
  metadataKeys: [
    "CreationToken",
    "Encrypted",
    "file-system-id",
    "ItemsToRestore",
    "KmsKeyId",
    "newFileSystem",
    "PerformanceMode",
  ],
  restoreFixes: { nameKey: "CreationToken", quotaService: "elasticfilesystem" },
  placeRestore(meta, _notes, { targetName }) {
    meta.set("newFileSystem", "true");
    meta.set("CreationToken", targetName);
  },
  async verify(clients, id) {
    const out = await clients.efs.send(new DescribeFileSystemsCommand({ FileSystemId: id }));
    return expectState("file system", id, out.FileSystems?.[0]?.LifeCycleState, ["available"]);
  },
  async delete(clients, id) {
    await clients.efs.send(new DeleteFileSystemCommand({ FileSystemId: id }));
    return `file system ${id} deleted`;
  },
};
