// The AWS provider's argument constraints for KMS keys and key policies.
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
  {
    type: "aws:kms/keyPolicy:KeyPolicy",
    file: "internal/service/kms/key_policy.go",
    rules: [
      { kind: "StringLenBetween", path: "keyId", min: 1, max: 2048 },
      { kind: "StringIsJSON", path: "policy" },
    ],
    note: "delete puts KMS's default key policy back unless bypass_policy_lockout_safety_check is set; the component keeps the policy on delete (retainOnDelete) like the key",
  },
];
