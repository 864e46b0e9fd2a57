/** The destroy table's IAM policy evaluator: @cloud-copilot/iam-simulate's runSimulation behind PolicyEvaluator. */
import * as fs from "fs";
import * as path from "path";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { AuthorizationRequest, Decision, PolicyEvaluator } from "./lastCopy";

/** The installed library's version, said in every cell it answers (its package.json is not exported: read beside dist/). */
function installedVersion(): string {
  const entry = require.resolve("@cloud-copilot/iam-simulate"); // <package>/dist/cjs/index.js
  const manifest = path.join(path.dirname(entry), "..", "..", "package.json");
  return (JSON.parse(fs.readFileSync(manifest, "utf8")) as { version: string }).version;
}

/**
 * Asks iam-simulate (AGPL-3.0-or-later) in strict mode: the principal's identity policies and the resource's
 * policy, same account, no SCPs or RCPs (none are generated here). The library does not fill in the global
 * context keys AWS adds to every request (its README: "Automatically populating context keys from the
 * request" is not yet supported), so the ones the generated policies test are given as AWS sets them for a
 * signed call over HTTPS by this principal (IAM User Guide, "AWS global condition context keys":
 * aws:PrincipalArn, aws:PrincipalAccount, aws:SecureTransport). A request the library refuses to evaluate
 * (an invalid policy, an action or ARN it does not know) throws with its message: the table must not turn
 * an unevaluated question into an answer.
 */
export function iamSimulateEvaluator(): PolicyEvaluator {
  return {
    name: `@cloud-copilot/iam-simulate ${installedVersion()}`,
    async evaluate(request: AuthorizationRequest): Promise<Decision> {
      const result = await runSimulation(
        {
          request: {
            principal: request.principalArn,
            action: request.action,
            resource: { resource: request.resourceArn, accountId: request.accountId },
            contextVariables: {
              "aws:PrincipalArn": request.principalArn,
              "aws:PrincipalAccount": request.accountId,
              "aws:SecureTransport": "true",
            },
          },
          identityPolicies: request.identityPolicies.map((policy, index) => ({
            name: `identity-${index}`,
            policy,
          })),
          serviceControlPolicies: [],
          resourceControlPolicies: [],
          ...(request.resourcePolicy && { resourcePolicy: request.resourcePolicy }),
        },
        { simulationMode: "Strict" },
      );
      if (result.resultType === "error") {
        throw new Error(
          `iam-simulate could not evaluate ${request.action} by ${request.principalArn} on ${request.resourceArn}: ${result.errors.message}`,
        );
      }
      return result.overallResult as Decision;
    },
  };
}
