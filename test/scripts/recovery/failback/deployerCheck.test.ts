import { BackupClient, GetBackupVaultAccessPolicyCommand, StartCopyJobCommand } from "@aws-sdk/client-backup";
import { expect } from "chai";
import {
  checkDeployerCovered,
  coverage,
  coveredBy,
  principalArnOf,
} from "../../../../scripts/recovery/failback/deployerCheck";
import { applyEnvironment, rehearsalEnvironment } from "../../../../scripts/rehearsal/isolation";
import { FakeAws, startFakeAws } from "../../../../scripts/simulation/fakeAwsServer";
import { ACCOUNT } from "../../../../scripts/simulation/fixtures";
import { failbackHarness } from "../../../fakes/failbackFixture";
import { Harness } from "../../../fakes/harness";

/** The vault policy prod's BackupRestoreDR renders (components/src/vaultPair.ts), exempting `exempt`. */
function denyPolicy(exempt: string[] | undefined): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyRecoveryPointDeletion",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: [
          "backup:DeleteRecoveryPoint",
          "backup:UpdateRecoveryPointLifecycle",
          ...(exempt ? ["backup:PutBackupVaultAccessPolicy", "backup:DeleteBackupVaultAccessPolicy"] : []),
          "backup:DeleteBackupVaultLockConfiguration",
          "backup:DeleteBackupVault",
        ],
        Resource: "*",
        ...(exempt && exempt.length > 0 && { Condition: { ArnNotLike: { "aws:PrincipalArn": exempt } } }),
      },
    ],
  });
}

describe("dr failback: the caller may update prod's vault policy (deployerPrincipalArns)", () => {
  describe("aws:PrincipalArn of the caller", () => {
    it("is the role of an assumed-role session, the ARN of anything else", () => {
      expect(principalArnOf("arn:aws:sts::123456789012:assumed-role/dr-operator/alice")).to.deep.equal({
        arn: "arn:aws:iam::123456789012:role/dr-operator",
        roleName: "dr-operator",
      });
      expect(principalArnOf("arn:aws:iam::123456789012:user/ci")).to.deep.equal({
        arn: "arn:aws:iam::123456789012:user/ci",
      });
    });

    it("is covered whatever the role's path only by a pattern that matches any path", () => {
      const session = principalArnOf(
        "arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/alice",
      );
      expect(coveredBy(session, ["arn:aws:iam::123456789012:role/*AWSReservedSSO_*"])).to.equal(true);
      expect(coveredBy(session, ["arn:aws:iam::123456789012:role/*"])).to.equal(true);
      expect(coveredBy(session, ["arn:aws:iam::123456789012:role/ci"])).to.equal(false);
      expect(coveredBy(session, ["arn:aws:iam::999999999999:role/AWSReservedSSO_Admin_0123"])).to.equal(
        false,
      );
    });

    it("a listed ARN naming one path (or none) covers a session only if the role has that path, which STS does not say", () => {
      // The role is arn:aws:iam::123456789012:role/team/ops/dr-operator: its aws:PrincipalArn carries
      // /team/ops/, its session ARN does not, so role/ops/dr-operator (denied on AWS) cannot be told apart.
      const session = principalArnOf("arn:aws:sts::123456789012:assumed-role/dr-operator/alice");
      const listed = "arn:aws:iam::123456789012:role/ops/dr-operator";
      expect(coveredBy(session, [listed])).to.equal(false);
      expect(coverage(session, [listed])).to.deep.equal({
        covered: "if-path",
        pattern: listed,
        path: "/ops/",
      });
      expect(coverage(session, ["arn:aws:iam::123456789012:role/dr-operator"])).to.deep.equal({
        covered: "if-path",
        pattern: "arn:aws:iam::123456789012:role/dr-operator",
        path: "/",
      });
      const sso = principalArnOf("arn:aws:sts::123456789012:assumed-role/AWSReservedSSO_Admin_0123/alice");
      expect(coverage(sso, ["arn:aws:iam::123456789012:role/AWSReservedSSO_*"]).covered).to.equal("if-path");
    });
  });

  describe("against the simulation (GetBackupVaultAccessPolicy in the primary region)", function () {
    this.timeout(30_000);
    let fake: FakeAws;
    let restoreEnv: () => void;
    // The simulation's STS answers as arn:aws:sts::<account>:assumed-role/dr-operator/ci.
    const operator = `arn:aws:iam::${ACCOUNT}:role/dr-operator`;
    const identity = { account: ACCOUNT, arn: `arn:aws:sts::${ACCOUNT}:assumed-role/dr-operator/ci` };
    const check = (vault: string) =>
      checkDeployerCovered(new BackupClient({ region: "us-east-1" }), vault, "us-east-1", identity);

    before(async () => {
      fake = await startFakeAws({
        points: [],
        downRegion: "none",
        primaryVaultName: "prod-vault",
        vaultAccessPolicies: { "prod-vault": denyPolicy([`arn:aws:iam::${ACCOUNT}:role/ci`]) },
      });
      restoreEnv = applyEnvironment(rehearsalEnvironment(fake.url, "us-east-1", "/nonexistent"));
    });
    after(async () => {
      restoreEnv();
      await fake.close();
    });

    it("refuses a caller the live policy denies PutBackupVaultAccessPolicy, naming the caller and the config key", async () => {
      let message = "";
      await check("prod-vault").catch((err: Error) => (message = err.message));
      expect(message).to.equal(
        `the caller ${identity.arn} (aws:PrincipalArn ${operator}) is denied backup:PutBackupVaultAccessPolicy ` +
          "by the access policy of vault 'prod-vault' in us-east-1, so the failback's prod update could fail after " +
          `the write freeze. Run dr failback as one of arn:aws:iam::${ACCOUNT}:role/ci, or add this role to ` +
          "dr-app:deployerPrincipalArns on the prod stack and run 'pulumi up -s prod' as a listed deployer first",
      );
      expect(fake.requests.filter((r) => r.operation === "GetBackupVaultAccessPolicy")).to.have.length(1);
    });
  });

  describe("in dr failback's preflight", () => {
    let h: Harness;
    afterEach(() => h?.dispose());

    it("refuses before anything starts when the caller is not a listed deployer", async () => {
      ({ h } = failbackHarness({ prodConfig: { "dr-app:domainName": "api.example.com" } }));
      h.backup
        .on(GetBackupVaultAccessPolicyCommand)
        .resolves({ Policy: denyPolicy([`arn:aws:iam::${ACCOUNT}:role/ci`]) });
      expect(await h.run(["failback", "--yes"])).to.equal(2);
      expect(h.stderr.text).to.contain(
        "is denied backup:PutBackupVaultAccessPolicy by the access policy of vault",
      );
      expect(h.stderr.text).to.contain("dr-app:deployerPrincipalArns");
      expect(h.backup.commandCalls(StartCopyJobCommand)).to.have.length(0);
    });

    it("lets a deployer listed under one role path through, warning that the path is not checked", async () => {
      ({ h } = failbackHarness({ prodConfig: { "dr-app:domainName": "api.example.com" } }));
      const listed = `arn:aws:iam::${ACCOUNT}:role/ops/dr-operator`;
      h.backup.on(GetBackupVaultAccessPolicyCommand).resolves({ Policy: denyPolicy([listed]) });
      expect(await h.run(["failback", "--dry-run"]), h.stderr.text).to.equal(0);
      expect(h.stderr.text).to.contain(
        `is exempt from the access policy of vault 'primary-vault' only if its role's path is '/ops/' (listed: ${listed}): ` +
          "the session ARN does not carry the path, and aws:PrincipalArn does, so this is not checked.",
      );
    });

    for (const [label, policy] of [
      ["a deployer listed whatever its path", denyPolicy([`arn:aws:iam::${ACCOUNT}:role/*dr-operator`])],
      [
        "any caller when no deployer is listed (the policy leaves its own update to IAM)",
        denyPolicy(undefined),
      ],
    ] as const) {
      it(`lets ${label} through`, async () => {
        ({ h } = failbackHarness({ prodConfig: { "dr-app:domainName": "api.example.com" } }));
        h.backup.on(GetBackupVaultAccessPolicyCommand).resolves({ Policy: policy });
        expect(await h.run(["failback", "--dry-run"]), h.stderr.text).to.equal(0);
        expect(h.stderr.text).not.to.contain("only if its role's path");
      });
    }
  });
});
