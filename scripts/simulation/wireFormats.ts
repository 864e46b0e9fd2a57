// AWS's wire formats the simulated services answer in: XML, JSON, escaping and times.
import type { FakeServiceAnswer } from "./fakeService";

/** An XML answer (query protocols, S3). */
export const xml = (
  status: number,
  operation: string,
  body: string,
  headers: Record<string, string> = {},
): FakeServiceAnswer => ({
  status,
  operation,
  body: `<?xml version="1.0" encoding="UTF-8"?>\n${body}`,
  headers: { "content-type": "text/xml", ...headers },
});

/** A JSON 1.0 answer (DynamoDB, CloudWatch), with the error type header when `type` is given. */
export const json = (status: number, operation: string, body: unknown, type?: string): FakeServiceAnswer => ({
  status,
  operation,
  body,
  headers: {
    "content-type": "application/x-amz-json-1.0",
    ...(type ? { "x-amzn-errortype": type } : {}),
  },
});

/** Text as XML character data. */
export const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** An ISO-8601 date-time as the query protocols and S3 write it. */
export const isoTime = (ms: number) => new Date(ms).toISOString();

/**
 * An error of the awsQuery protocol (RDS, Auto Scaling, STS): `<ErrorResponse>` with the service's
 * namespace attribute `ns` (e.g. `xmlns="..."`), a Sender fault.
 */
export const queryError = (status: number, operation: string, ns: string, code: string, message: string) =>
  xml(
    status,
    operation,
    `<ErrorResponse ${ns}><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>1</RequestId></ErrorResponse>`,
  );

/** An error of EC2's query protocol: `<Response><Errors>`, its own shape. */
export const ec2Error = (status: number, operation: string, code: string, message: string) =>
  xml(
    status,
    operation,
    `<Response><Errors><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>1</RequestID></Response>`,
  );
