// Secrets Manager in the simulation: secrets of each region, their versions and staging labels, over the JSON 1.1 protocol.
import { createHash } from "crypto";
import type { FakeService, FakeServiceAnswer } from "./fakeService";
import { ACCOUNT } from "./fixtures";

/** A secret a scenario creates before anything runs (a stack's database credential secret). */
export interface SeedSecret {
  readonly region: string;
  readonly name: string;
  /** The first version's SecretString (labelled AWSCURRENT). @default none: a secret with no value yet */
  readonly value?: string;
}

interface SecretVersion {
  readonly versionId: string;
  readonly secretString: string;
  readonly createdAt: number;
  readonly stages: Set<string>;
}

interface SimSecret {
  readonly region: string;
  readonly name: string;
  readonly arn: string;
  readonly versions: SecretVersion[];
}

const CURRENT = "AWSCURRENT";
const PREVIOUS = "AWSPREVIOUS";

/** The ARN Secrets Manager gives a secret: its name, a hyphen and six random characters (here: from the name). */
export function secretArn(region: string, name: string): string {
  const suffix = createHash("sha256").update(`${region}/${name}`).digest("base64url").slice(0, 6);
  return `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-${suffix}`;
}

const answer = (status: number, operation: string, body: unknown, type?: string): FakeServiceAnswer => ({
  status,
  operation,
  body,
  headers: { "content-type": "application/x-amz-json-1.1", ...(type ? { "x-amzn-errortype": type } : {}) },
});

/**
 * Secrets of every region: found only by calls signed for their region (secrets are regional; a replica is
 * another secret: https://docs.aws.amazon.com/secretsmanager/latest/userguide/create-manage-multi-region-secrets.html),
 * by ARN or name. Each value is a version with staging labels, AWSCURRENT the one GetSecretValue answers
 * by default.
 */
export class SimulatedSecrets {
  private readonly secrets: SimSecret[] = [];

  constructor(private readonly now: () => number) {}

  /** Creates a secret (and its first version when `value` is given); returns its ARN. */
  add(seed: SeedSecret): string {
    const secret: SimSecret = {
      region: seed.region,
      name: seed.name,
      arn: secretArn(seed.region, seed.name),
      versions: [],
    };
    this.secrets.push(secret);
    if (seed.value !== undefined) {
      this.put(secret, `seed-${seed.name}`.padEnd(32, "0"), seed.value, undefined);
    }
    return secret.arn;
  }

  /** The value labelled `stage` (default AWSCURRENT) of a secret, by ARN or name in `region`; undefined when none. */
  value(region: string, secretId: string, stage = CURRENT): string | undefined {
    return this.find(region, secretId)?.versions.find((v) => v.stages.has(stage))?.secretString;
  }

  /** Every version of a secret with its labels, oldest first (for tests). */
  versions(region: string, secretId: string): { versionId: string; stages: string[]; value: string }[] {
    return (this.find(region, secretId)?.versions ?? []).map((v) => ({
      versionId: v.versionId,
      stages: [...v.stages],
      value: v.secretString,
    }));
  }

  private find(region: string, secretId: string | undefined): SimSecret | undefined {
    return this.secrets.find((s) => s.region === region && (s.arn === secretId || s.name === secretId));
  }

  /**
   * PutSecretValue's labels: `VersionStages`, or AWSCURRENT when not given; the first version of a secret
   * gets AWSCURRENT whatever was asked. A label moves from the version that had it; AWSCURRENT moving
   * takes AWSPREVIOUS to the version it left. Source: Secrets Manager API reference, PutSecretValue
   * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html).
   */
  private put(secret: SimSecret, token: string, value: string, stages: string[] | undefined): SecretVersion {
    const wanted = new Set(stages ?? [CURRENT]);
    if (secret.versions.length === 0) {
      wanted.add(CURRENT);
    }
    const previousCurrent = wanted.has(CURRENT)
      ? secret.versions.find((v) => v.stages.has(CURRENT))
      : undefined;
    for (const version of secret.versions) {
      for (const stage of wanted) {
        version.stages.delete(stage);
      }
    }
    if (previousCurrent) {
      for (const version of secret.versions) {
        version.stages.delete(PREVIOUS);
      }
      previousCurrent.stages.add(PREVIOUS);
    }
    const version = { versionId: token, secretString: value, createdAt: this.now(), stages: wanted };
    secret.versions.push(version);
    return version;
  }

  /** The JSON 1.1 front end (`X-Amz-Target: secretsmanager.<Operation>`). */
  service(): FakeService {
    return ({ headers, body, region }) => {
      const operation =
        String(headers["x-amz-target"] ?? "")
          .split(".")
          .pop() ?? "unknown";
      const input = JSON.parse(body || "{}") as {
        SecretId?: string;
        VersionId?: string;
        VersionStage?: string;
        ClientRequestToken?: string;
        SecretString?: string;
        VersionStages?: string[];
      };
      if (!["GetSecretValue", "PutSecretValue", "DescribeSecret"].includes(operation)) {
        return answer(
          400,
          operation,
          { message: `the simulation does not serve ${operation}` },
          "UnknownOperationException",
        );
      }
      const secret = this.find(region, input.SecretId);
      if (!secret) {
        return answer(
          400,
          operation,
          { message: "Secrets Manager can't find the specified secret." },
          "ResourceNotFoundException",
        );
      }
      if (operation === "DescribeSecret") {
        return answer(200, operation, {
          ARN: secret.arn,
          Name: secret.name,
          VersionIdsToStages: Object.fromEntries(secret.versions.map((v) => [v.versionId, [...v.stages]])),
        });
      }
      if (operation === "GetSecretValue") {
        // VersionId or VersionStage, AWSCURRENT by default (API reference, GetSecretValue).
        const stage = input.VersionId === undefined ? (input.VersionStage ?? CURRENT) : undefined;
        const version = secret.versions.find((v) =>
          input.VersionId !== undefined ? v.versionId === input.VersionId : v.stages.has(stage ?? CURRENT),
        );
        if (!version) {
          return answer(
            400,
            operation,
            {
              message:
                input.VersionId !== undefined
                  ? `Secrets Manager can't find the specified secret value for VersionId: ${input.VersionId}`
                  : `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
            },
            "ResourceNotFoundException",
          );
        }
        return answer(200, operation, {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: version.versionId,
          SecretString: version.secretString,
          VersionStages: [...version.stages],
          CreatedDate: version.createdAt / 1000,
        });
      }
      // PutSecretValue: ClientRequestToken is the new version's id, 32-64 characters; the same token with
      // the same value is ignored (idempotent), with another value it fails: a version is never modified.
      const token = input.ClientRequestToken ?? "";
      if (token.length < 32 || token.length > 64 || input.SecretString === undefined) {
        return answer(
          400,
          operation,
          { message: "ClientRequestToken must be 32 to 64 characters and SecretString is required" },
          "InvalidParameterException",
        );
      }
      const existing = secret.versions.find((v) => v.versionId === token);
      if (existing) {
        if (existing.secretString !== input.SecretString) {
          return answer(
            400,
            operation,
            { message: "You can't modify an existing version, you can only create a new version." },
            "ResourceExistsException",
          );
        }
        return answer(200, operation, {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: existing.versionId,
          VersionStages: [...existing.stages],
        });
      }
      const version = this.put(secret, token, input.SecretString, input.VersionStages);
      return answer(200, operation, {
        ARN: secret.arn,
        Name: secret.name,
        VersionId: version.versionId,
        VersionStages: [...version.stages],
      });
    };
  }
}
