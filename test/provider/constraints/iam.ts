// The AWS provider's argument constraints for IAM roles, their policies and instance profiles.
import { TypeConstraints } from "../rules";

/**
 * validResourceName(max) in internal/service/iam/validate.go: 1 to `max` of letters, digits and `_+=,.@-`.
 * A `namePrefix` leaves room for the provider's 26-character unique suffix.
 */
function iamName(path: string, max: number) {
  return {
    kind: "StringMatch",
    path,
    pattern: new RegExp(`^[\\w+=,.@-]{1,${max}}$`),
    message: `must be 1-${max} letters, digits or _+=,.@-`,
  } as const;
}

/** IAM: internal/service/iam/. */
export const IAM: readonly TypeConstraints[] = [
  {
    type: "aws:iam/role:Role",
    file: "internal/service/iam/role.go",
    autoName: "name",
    rules: [
      { kind: "ConflictsWith", path: "name", with: ["namePrefix"] },
      iamName("name", 64),
      iamName("namePrefix", 38),
      { kind: "StringIsJSON", path: "assumeRolePolicy" },
      { kind: "StringLenBetween", path: "description", min: 0, max: 1000 },
      {
        kind: "StringMatch",
        path: "description",
        pattern: /^[^“‘]*$/,
        message: "cannot contain specially formatted single or double quotes: [“‘]",
      },
      { kind: "IntBetween", path: "maxSessionDuration", min: 3600, max: 43200 },
      { kind: "StringLenBetween", path: "path", min: 0, max: 512 },
      { kind: "ValidARN", path: "permissionsBoundary" },
      { kind: "ValidARN", path: "managedPolicyArns[]" },
    ],
  },
  {
    type: "aws:iam/rolePolicy:RolePolicy",
    file: "internal/service/iam/role_policy.go",
    autoName: "name",
    rules: [
      { kind: "ConflictsWith", path: "name", with: ["namePrefix"] },
      iamName("name", 128),
      iamName("namePrefix", 102),
      iamName("role", 64),
      { kind: "StringIsJSON", path: "policy" },
      // ValidIAMPolicyJSON: an inline role policy is at most 10,240 characters.
      { kind: "StringLenBetween", path: "policy", min: 1, max: 10240 },
    ],
  },
  {
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    file: "internal/service/iam/role_policy_attachment.go",
    rules: [],
    note: "no cross-argument constraints or validators: role and policyArn are required, which the types enforce",
  },
  {
    type: "aws:iam/instanceProfile:InstanceProfile",
    file: "internal/service/iam/instance_profile.go",
    autoName: "name",
    rules: [
      { kind: "ConflictsWith", path: "name", with: ["namePrefix"] },
      iamName("name", 128),
      iamName("namePrefix", 102),
    ],
  },
];
