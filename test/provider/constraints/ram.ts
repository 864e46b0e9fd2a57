// The AWS provider's argument constraints for AWS RAM resource shares and their associations.
import { TypeConstraints } from "../rules";

/** RAM: internal/service/ram/. */
export const RAM: readonly TypeConstraints[] = [
  {
    type: "aws:ram/resourceShare:ResourceShare",
    file: "internal/service/ram/resource_share.go",
    rules: [{ kind: "ValidARN", path: "permissionArns[]" }],
    note: "name Required with no validator; allow_external_principals defaults to false",
  },
  {
    type: "aws:ram/resourceAssociation:ResourceAssociation",
    file: "internal/service/ram/resource_association.go",
    rules: [
      { kind: "ValidARN", path: "resourceArn" },
      { kind: "ValidARN", path: "resourceShareArn" },
    ],
  },
  {
    type: "aws:ram/principalAssociation:PrincipalAssociation",
    file: "internal/service/ram/principal_association.go",
    rules: [
      { kind: "ValidARN", path: "resourceShareArn" },
      {
        kind: "StringMatch",
        path: "principal",
        // validation.Any(verify.ValidAccountID, verify.ValidARN)
        pattern: /^(\d{12}|arn:[^:]+:[^:]+:[^:]*:[^:]*:.+)$/,
        message: "must be a 12-digit AWS account id or an ARN",
      },
    ],
    note: "an account-id principal outside the organization stays ASSOCIATING until that account accepts the invitation",
  },
];
