// The AWS provider's argument constraints for EFS file systems and mount targets.
import { TypeConstraints } from "../rules";

/** EFS: internal/service/efs/. */
export const EFS: readonly TypeConstraints[] = [
  {
    type: "aws:efs/fileSystem:FileSystem",
    file: "internal/service/efs/file_system.go",
    rules: [
      { kind: "StringLenBetween", path: "creationToken", min: 0, max: 64 },
      { kind: "StringInSlice", path: "performanceMode", values: ["generalPurpose", "maxIO"] },
      { kind: "StringInSlice", path: "throughputMode", values: ["bursting", "provisioned", "elastic"] },
      { kind: "ValidARN", path: "kmsKeyId" },
      {
        kind: "StringMatch",
        path: "availabilityZoneName",
        pattern: /^.+$/,
        message: "must not be empty (validation.StringIsNotEmpty)",
      },
    ],
    note: "provisioned_throughput_in_mibps is TypeFloat, Optional, with no validator (the 1-3414 range is EFS's, checked by the stacks' data config)",
  },
  {
    type: "aws:efs/mountTarget:MountTarget",
    file: "internal/service/efs/mount_target.go",
    rules: [
      // validation.IsIPv4Address.
      {
        kind: "StringMatch",
        path: "ipAddress",
        pattern: /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/,
        message: "expected to contain a valid IPv4 address",
      },
    ],
    note: "file_system_id and subnet_id are required (schema Required, no validator)",
  },
];
