// The AWS provider's argument constraints for DynamoDB tables.
import { BillingMode, ScalarAttributeType } from "@aws-sdk/client-dynamodb";
import { TypeConstraints } from "../rules";

/** DynamoDB: internal/service/dynamodb/. */
export const DYNAMODB: readonly TypeConstraints[] = [
  {
    type: "aws:dynamodb/table:Table",
    file: "internal/service/dynamodb/table.go",
    rules: [
      { kind: "StringInSlice", path: "attributes[].type", values: Object.values(ScalarAttributeType) },
      { kind: "StringInSlice", path: "billingMode", values: Object.values(BillingMode) },
      { kind: "ValidARN", path: "serverSideEncryption.kmsKeyArn" },
      { kind: "ValidARN", path: "replicas[].kmsKeyArn" },
      {
        kind: "StringInSlice",
        path: "streamViewType",
        values: ["", "NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"],
      },
      { kind: "StringInSlice", path: "tableClass", values: ["STANDARD", "STANDARD_INFREQUENT_ACCESS"] },
    ],
    note: "CustomizeDiff validateDynamoDbTableAttributes also requires every attribute to be a key or index key (not encoded; the stack's attributes are its hash and range keys)",
  },
];
