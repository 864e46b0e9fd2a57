// The AWS provider's argument constraints for Secrets Manager secrets and their versions.
import { TypeConstraints } from "../rules";

/** The characters a secret's name and name prefix may use (internal/service/secretsmanager/validate.go). */
const SECRET_NAME = /^[0-9A-Za-z/_+=.@-]+$/;
const SECRET_NAME_MESSAGE = "only alphanumeric characters and /_+=.@- special characters are allowed";

/** Secrets Manager: internal/service/secretsmanager/. */
export const SECRETSMANAGER: readonly TypeConstraints[] = [
  {
    type: "aws:secretsmanager/secret:Secret",
    file: "internal/service/secretsmanager/secret.go, validate.go",
    rules: [
      { kind: "ConflictsWith", path: "name", with: ["namePrefix"] },
      { kind: "StringMatch", path: "name", pattern: SECRET_NAME, message: SECRET_NAME_MESSAGE },
      { kind: "StringLenBetween", path: "name", min: 0, max: 512 },
      { kind: "StringMatch", path: "namePrefix", pattern: SECRET_NAME, message: SECRET_NAME_MESSAGE },
      // 512 less the 26 characters of the unique suffix (sdk id.UniqueIDSuffixLength).
      { kind: "StringLenBetween", path: "namePrefix", min: 0, max: 486 },
      { kind: "StringIsJSON", path: "policy" },
    ],
    note: "recoveryWindowInDays: validation.Any(IntBetween(7, 30), IntInSlice(0)), a pair the rule kinds do not express; the stacks leave it at its default 30",
  },
  {
    type: "aws:secretsmanager/secretVersion:SecretVersion",
    file: "internal/service/secretsmanager/secret_version.go",
    rules: [
      { kind: "ConflictsWith", path: "secretBinary", with: ["secretString", "secretStringWo"] },
      { kind: "ConflictsWith", path: "secretString", with: ["secretBinary", "secretStringWo"] },
      { kind: "RequiredWith", path: "secretStringWo", with: ["secretStringWoVersion"] },
      { kind: "RequiredWith", path: "secretStringWoVersion", with: ["secretStringWo"] },
    ],
    note: "secretBinary must be base64 (verify.ValidBase64String); the stacks set secretString only",
  },
];
