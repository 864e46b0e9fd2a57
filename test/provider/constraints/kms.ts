// The AWS provider's argument constraints for KMS keys.
import { TypeConstraints } from "../rules";

/** KMS: internal/service/kms/. */
export const KMS: readonly TypeConstraints[] = [
  {
    type: "aws:kms/key:Key",
    file: "internal/service/kms/key.go",
    rules: [
      { kind: "IntBetween", path: "deletionWindowInDays", min: 7, max: 30 },
      { kind: "StringLenBetween", path: "description", min: 0, max: 8192 },
      { kind: "IntBetween", path: "rotationPeriodInDays", min: 90, max: 2560 },
      { kind: "RequiredWith", path: "rotationPeriodInDays", with: ["enableKeyRotation"] },
      { kind: "RequiredWith", path: "xksKeyId", with: ["customKeyStoreId"] },
      { kind: "StringLenBetween", path: "customKeyStoreId", min: 1, max: 22 },
      { kind: "StringIsJSON", path: "policy" },
    ],
  },
];
