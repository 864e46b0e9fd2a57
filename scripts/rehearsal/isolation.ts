// What keeps a rehearsal off AWS and Pulumi backends: the refusal, and the SDK's local environment.
import * as path from "path";
import { DrError } from "../errors";

/** The AWS SDK's service ids of the clients the recovery CLI creates (`AWS_ENDPOINT_URL_<ID>`). */
export const SIMULATED_SERVICES = ["BACKUP", "STS", "RDS", "EC2", "DYNAMODB", "EFS", "S3"] as const;

/** Variables that would connect Pulumi to a backend. */
const PULUMI_BACKEND_VARIABLES = ["PULUMI_BACKEND_URL", "PULUMI_ACCESS_TOKEN", "PULUMI_API"];

/** Credentials the rehearsal signs with: well-formed, accepted only by the local simulation. */
export const REHEARSAL_ACCESS_KEY_ID = "AKIAREHEARSAL0000000";

function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "127.0.0.1" || host === "localhost" || host === "[::1]";
  } catch {
    return false;
  }
}

/**
 * Throws when this environment could send the rehearsal to AWS or a Pulumi backend: an AWS endpoint
 * variable pointing off this machine (the operator meant something by it, so it is not silently
 * replaced), `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` (the SDK would skip the local endpoints and call
 * AWS), or a Pulumi backend variable. Credentials are not a reason to refuse: the rehearsal replaces
 * them with its own.
 */
export function assertIsolated(env: NodeJS.ProcessEnv): void {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(env)) {
    if (/^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$/.test(key) && value && !isLoopback(value)) {
      problems.push(`${key}=${value} points outside this machine`);
    }
  }
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) {
    problems.push(
      `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=${env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS} would make the AWS SDK call AWS instead of the simulation`,
    );
  }
  for (const key of PULUMI_BACKEND_VARIABLES) {
    if (env[key]) {
      problems.push(`${key} is set (a Pulumi backend)`);
    }
  }
  if (problems.length > 0) {
    throw new DrError(
      `rehearsal refused: it never touches AWS or a Pulumi backend, and this environment could: ${problems.join(
        "; ",
      )}. Unset ${problems.length > 1 ? "them" : "it"} for the rehearsal (e.g. env -u <NAME> dr rehearse)`,
    );
  }
}

/**
 * The environment the AWS SDK reads during a rehearsal: every client's endpoint on the simulation,
 * the rehearsal's own static credentials, no profile, shared config files that do not exist (so no
 * profile setting, such as an `endpoint_url`, applies) and no instance metadata look-ups.
 */
export function rehearsalEnvironment(endpoint: string, region: string, stateDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: REHEARSAL_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: "rehearsal-only-not-a-secret",
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
    AWS_ROLE_ARN: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONFIG_FILE: path.join(stateDir, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(stateDir, "no-aws-credentials"),
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
  };
  for (const service of SIMULATED_SERVICES) {
    env[`AWS_ENDPOINT_URL_${service}`] = endpoint;
  }
  return env;
}

/** Sets `values` on `process.env` (undefined deletes); returns how to put everything back. */
export function applyEnvironment(values: NodeJS.ProcessEnv): () => void {
  const previous = Object.fromEntries(Object.keys(values).map((k) => [k, process.env[k]]));
  const assign = (entries: NodeJS.ProcessEnv) => {
    for (const [key, value] of Object.entries(entries)) {
      if (value === undefined) {
        delete process.env[key];
      } else {
        process.env[key] = value;
      }
    }
  };
  assign(values);
  return () => assign(previous);
}
