// The settings of an AWS SDK client that talks to the local HTTP simulation (scripts/simulation/fakeAwsServer.ts).

/** Credentials for the simulation: it checks none, and the SDK signs every request with some. */
export const FAKE_CREDENTIALS = { accessKeyId: "AKIDLOCALFAKE", secretAccessKey: "local-fake-secret" };

/**
 * A client's settings for `region` against the simulation at `url`: one attempt, so a test sees the first
 * answer, and path-style S3 addressing, since one host serves every bucket (other clients ignore it).
 */
export function simulationClient(url: string, region: string) {
  return { region, endpoint: url, forcePathStyle: true, maxAttempts: 1, credentials: FAKE_CREDENTIALS };
}
