// The simulated Elastic Load Balancing (v2) over HTTP: the query protocol, XML answers, DescribeTargetHealth.
import { FakeApiError } from "./backupJobs";
import { TargetGroups } from "./elbModel";
import type { FakeService } from "./fakeService";
import { escapeXml, queryError, xml } from "./wireFormats";

/** The namespace of Elastic Load Balancing v2's query protocol answers (API version 2015-12-01). */
const NS = `xmlns="http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/"`;

/**
 * The HTTP front end of {@link TargetGroups}: DescribeTargetHealth (TargetGroupArn, Targets.member.N.Id
 * and .Port), in the region the call is signed for; TargetGroupNotFound for an unknown group (ELB API
 * reference, DescribeTargetHealth, Errors).
 */
export function elbService(model: TargetGroups): FakeService {
  return ({ body, region }) => {
    const params = new URLSearchParams(body);
    const action = params.get("Action") ?? "unknown";
    try {
      if (action !== "DescribeTargetHealth") {
        throw new FakeApiError(400, "InvalidAction", `the simulation does not serve ${action}`);
      }
      const targets = [...params.entries()]
        .filter(([key]) => /^Targets\.member\.\d+\.Id$/.test(key))
        .map(([key, id]) => {
          const port = params.get(key.replace(/\.Id$/, ".Port"));
          return { id, ...(port !== null && { port: Number(port) }) };
        });
      const described = model.describeTargetHealth(region, params.get("TargetGroupArn") ?? "", targets);
      const members = described
        .map(
          (t) =>
            `<member><Target><Id>${escapeXml(t.id)}</Id><Port>${t.port}</Port></Target><HealthCheckPort>${t.port}</HealthCheckPort><TargetHealth><State>${t.state}</State>${t.reason ? `<Reason>${t.reason}</Reason>` : ""}${t.description ? `<Description>${escapeXml(t.description)}</Description>` : ""}</TargetHealth></member>`,
        )
        .join("");
      return xml(
        200,
        action,
        `<${action}Response ${NS}><${action}Result><TargetHealthDescriptions>${members}</TargetHealthDescriptions></${action}Result><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></${action}Response>`,
      );
    } catch (err) {
      if (!(err instanceof FakeApiError)) {
        throw err;
      }
      return queryError(err.status, action, NS, err.type, err.message);
    }
  };
}
