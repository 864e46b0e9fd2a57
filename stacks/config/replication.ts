/** Reads which further buckets the primary replicates to the DR region, and the KMS keys of their objects. */
import { validation } from "@restorekit/backup-restore-dr";
import { ConfigReader } from "./reader";
import { CONFIG_NAMESPACE } from "./schema";

/** `replicatedBuckets`: further existing buckets of the primary region, each a valid source bucket name. */
export function readExtraBuckets(reader: ConfigReader): string[] {
  const extraBuckets = reader.stringArray("replicatedBuckets");
  extraBuckets.forEach((bucket, index) =>
    validation
      .checkSourceBucket(`replicatedBuckets[${index}]`, bucket)
      .forEach((issue) =>
        reader.problem(
          "replicatedBuckets",
          extraBuckets,
          `has ${issue.field} ${JSON.stringify(bucket)} that ${issue.rule}`,
        ),
      ),
  );
  return extraBuckets;
}

/** `replicatedBucketKmsKeys`: `<bucket>=<KMS key ARN>` entries, each for a bucket of `replicatedBuckets`. */
export function readSourceKeys(
  reader: ConfigReader,
  extraBuckets: readonly string[],
): Record<string, string> {
  const entries = reader.stringArray("replicatedBucketKmsKeys");
  const keys: Record<string, string> = {};
  entries.forEach((entry, index) => {
    const field = `replicatedBucketKmsKeys[${index}]`;
    const problem = (rule: string) =>
      reader.problem(
        "replicatedBucketKmsKeys",
        entries,
        `has ${field} ${JSON.stringify(entry)} that ${rule}`,
      );
    const separator = entry.indexOf("=");
    if (separator < 0) {
      problem(
        "must be <bucket>=<KMS key ARN>, e.g. legacy-reports=arn:aws:kms:us-east-1:111122223333:key/...",
      );
      return;
    }
    const [bucket, arn] = [entry.slice(0, separator), entry.slice(separator + 1)];
    validation.checkArn(field, arn, "kms").forEach((issue) => problem(issue.rule));
    if (!extraBuckets.includes(bucket)) {
      problem(`names a bucket not in ${CONFIG_NAMESPACE}:replicatedBuckets.`);
    }
    keys[bucket] = arn;
  });
  return keys;
}
