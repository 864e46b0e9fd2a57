// What a thrown AWS SDK error means: its code and status, credentials, transient, not found.
import { errorMessage } from "../errors";

interface AwsErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
}

function shape(err: unknown): AwsErrorShape {
  return typeof err === "object" && err !== null ? (err as AwsErrorShape) : {};
}

/** The AWS error code (`ThrottlingException`, `ResourceNotFoundException`...) of a thrown SDK error. */
export function awsErrorCode(err: unknown): string {
  const e = shape(err);
  return e.name ?? e.Code ?? e.code ?? "Error";
}

/** The HTTP status of an SDK service error, or undefined when no response arrived (network, timeout). */
export function httpStatusOf(err: unknown): number | undefined {
  return shape(err).$metadata?.httpStatusCode;
}

const credentialCodes = new Set([
  "ExpiredToken",
  "ExpiredTokenException",
  "RequestExpired",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "AuthFailure",
  "CredentialsProviderError",
  "TokenProviderError",
]);

/** True when the error means the caller's credentials are missing, invalid or expired. */
export function isCredentialsError(err: unknown): boolean {
  const code = awsErrorCode(err);
  return credentialCodes.has(code) || /credential/i.test(code);
}

/** One line telling the operator what is wrong with their credentials and what to do. */
export function describeCredentialsError(err: unknown, profile?: string): string {
  const code = awsErrorCode(err);
  const how = profile
    ? `refresh them (e.g. aws sso login --profile ${profile}) and re-run`
    : "set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or log in with aws sso login) and re-run";
  if (/expired/i.test(code) || /expired/i.test(errorMessage(err))) {
    return `AWS credentials have expired (${code}): ${how}`;
  }
  if (code === "CredentialsProviderError" || /could not load credentials/i.test(errorMessage(err))) {
    return `no AWS credentials found: ${how}`;
  }
  return `AWS rejected the credentials (${code}: ${errorMessage(err)}): ${how}`;
}

const transientCodes = new Set([
  "ThrottlingException",
  "Throttling",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "ServiceUnavailableException",
  "ServiceUnavailable",
  "InternalFailure",
  "InternalServerError",
  "RequestTimeout",
  "RequestTimeoutException",
  "TimeoutError",
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
]);

/**
 * True for errors worth retrying at our level once the SDK's own retries are spent: throttling,
 * 5xx, network and time-outs.
 */
export function isTransientError(err: unknown): boolean {
  const code = awsErrorCode(err);
  const status = httpStatusOf(err);
  return transientCodes.has(code) || (status !== undefined && (status === 429 || status >= 500));
}

/** True when AWS said the named thing does not exist. */
export function isNotFoundError(err: unknown): boolean {
  const code = awsErrorCode(err);
  return /NotFound/i.test(code) || code === "NoSuchBucket" || httpStatusOf(err) === 404;
}

/** `Code: message` for reports and one-line errors. */
export function describeAwsError(err: unknown): string {
  const code = awsErrorCode(err);
  const message = errorMessage(err);
  return message && message !== code ? `${code}: ${message}` : code;
}
