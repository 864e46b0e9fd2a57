// Physical names and name prefixes AWS accepts, made from the component's logical names.
import { createHash } from "crypto";
import * as pulumi from "@pulumi/pulumi";

/** Length of the suffix Pulumi's auto-naming appends to a logical name: `-` and seven random characters. */
export const AUTONAME_SUFFIX_LENGTH = 8;

/** What a name must look like for the AWS API that receives it. */
export interface NameRule {
  /** Characters that may appear; any other is replaced by `-`. */
  readonly allowed: RegExp;
  /** Longest name AWS accepts. */
  readonly maxLength: number;
  /** Whether AWS wants lower case only (S3 buckets). */
  readonly lowerCase?: boolean;
}

/** `^[a-zA-Z0-9\-\_]{2,50}$` (CreateBackupVault). */
export const VAULT_NAME: NameRule = { allowed: /[a-zA-Z0-9_-]/, maxLength: 50 };
/** `^[a-zA-Z0-9\-\_\.]{1,50}$` (backup plan, rule and selection names). */
export const PLAN_NAME: NameRule = { allowed: /[a-zA-Z0-9_.-]/, maxLength: 50 };
/** `^[a-zA-Z0-9\-\_]{1,256}$` (CreateTopic, standard topics). */
export const SNS_TOPIC_NAME: NameRule = { allowed: /[a-zA-Z0-9_-]/, maxLength: 256 };
/** `^[\.\-_A-Za-z0-9]{1,64}$` (EventBridge PutRule). */
export const EVENT_RULE_NAME: NameRule = { allowed: /[a-zA-Z0-9._-]/, maxLength: 64 };

/**
 * The physical name for a child whose logical name is `logicalName`, or `undefined` to let Pulumi
 * auto-name it. Auto-naming appends a random suffix, which keeps replacements from colliding with a kept
 * (retained) predecessor; it is used whenever the result is certain to satisfy `rule`. Otherwise (a long
 * component name, or characters AWS rejects) the name is made valid here: disallowed characters become
 * `-`, and it is shortened and given a hash of the stack and logical name so it stays unique.
 */
export function physicalName(logicalName: string, rule: NameRule): string | undefined {
  const valid = [...logicalName].every((ch) => rule.allowed.test(ch));
  const lowerOk = !rule.lowerCase || logicalName === logicalName.toLowerCase();
  if (valid && lowerOk && logicalName.length + AUTONAME_SUFFIX_LENGTH <= rule.maxLength) {
    return undefined;
  }
  let base = [...logicalName].map((ch) => (rule.allowed.test(ch) ? ch : "-")).join("");
  if (rule.lowerCase) {
    base = base.toLowerCase();
  }
  const hash = createHash("sha256")
    .update(`${pulumi.getProject()}/${pulumi.getStack()}/${logicalName}`)
    .digest("hex")
    .slice(0, AUTONAME_SUFFIX_LENGTH);
  return `${base.slice(0, rule.maxLength - hash.length - 1)}-${hash}`;
}

/**
 * A prefix for resources that take one (`namePrefix`, `bucketPrefix`), cut to `maxLength` and cleaned of
 * characters AWS rejects; AWS appends the unique part.
 */
export function namePrefix(base: string, maxLength: number, allowed: RegExp, lowerCase = false): string {
  const cased = lowerCase ? base.toLowerCase() : base;
  const cleaned = [...cased].map((ch) => (allowed.test(ch) ? ch : "-")).join("");
  return `${cleaned.slice(0, maxLength - 1)}-`;
}

/** Longest `namePrefix` IAM accepts for a role (64 characters less its 26-character unique suffix). */
export const IAM_ROLE_NAME_PREFIX_MAX = 38;
/** Characters IAM allows in role names. */
export const IAM_NAME_CHAR = /[\w+=,.@-]/;
