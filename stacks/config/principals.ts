/** Reads the IAM principals exempt from the vaults' deny policy: break-glass and deployer ARNs. */
import { validation } from "@restorekit/backup-restore-dr";
import { ConfigReader } from "./reader";

/** A list of IAM principal ARNs: `breakGlassPrincipalArns` or `deployerPrincipalArns`. */
export function readPrincipals(
  reader: ConfigReader,
  key: "breakGlassPrincipalArns" | "deployerPrincipalArns",
): string[] {
  const arns = reader.stringArray(key);
  arns.forEach((arn, index) =>
    validation
      .checkArn(`${key}[${index}]`, arn, "iam")
      .forEach((issue) =>
        reader.problem(key, arns, `has ${issue.field} ${JSON.stringify(arn)} that ${issue.rule}`),
      ),
  );
  return arns;
}
