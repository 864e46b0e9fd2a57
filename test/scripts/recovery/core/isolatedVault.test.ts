import {
  DescribeBackupVaultCommand,
  GetRecoveryPointRestoreMetadataCommand,
  ListRecoveryPointsByBackupVaultCommand,
} from "@aws-sdk/client-backup";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { expect } from "chai";
import { chooseAcrossVaults, isolatedVaultRef } from "../../../../scripts/recovery/core/isolatedVault";
import { RecoveryPoint } from "../../../../scripts/recovery/core/recoveryPoints";
import { ACCOUNT } from "../../../../scripts/simulation/fixtures";
import { isolatedCopies } from "../../../../scripts/simulation/isolatedVault";
import { simPoint } from "../../../../scripts/simulation/recoveryPoints";
import { Harness } from "../../../fakes/harness";

const NOW = Date.parse("2026-04-12T09:00:00Z");
const MIN = 60_000;
/** A source encrypted with a customer managed key: its copy into the LAG vault completes (isolatedCopyRule.ts). */
const CMK = { sourceKey: "customer-managed" } as const;

function point(
  vault: string,
  type: string,
  name: string,
  ageMin: number,
  status = "COMPLETED",
): RecoveryPoint {
  const p = simPoint(type, name, NOW, ageMin * MIN, { status });
  return {
    recoveryPointArn: `${p.recoveryPointArn}-${vault}`,
    resourceArn: p.resourceArn,
    resourceTypeName: type,
    status,
    creationDate: p.creationDate,
    backupVaultName: vault,
    resourceName: name,
  };
}

describe("the isolated vault: how a run finds it and picks from it", () => {
  describe("isolatedVaultRef", () => {
    it("GIVEN no flag and no output THEN none; the flag wins over the output", () => {
      expect(isolatedVaultRef({ replicaBuckets: {} } as never, undefined, ACCOUNT)).to.equal(undefined);
      expect(isolatedVaultRef(undefined, "lag", ACCOUNT)).to.deep.equal({ name: "lag" });
      expect(
        isolatedVaultRef({ isolatedVaultName: "from-stack" } as never, "from-flag", ACCOUNT),
      ).to.deep.equal({ name: "from-flag" });
    });

    it("GIVEN the output's ARN names another account THEN its reads name that owner; the caller's own is left out", () => {
      const outputs = (account: string) =>
        ({
          isolatedVaultName: "lag",
          isolatedVaultArn: `arn:aws:backup:us-west-2:${account}:backup-vault:lag`,
        }) as never;
      expect(isolatedVaultRef(outputs("444455556666"), undefined, ACCOUNT)).to.deep.equal({
        name: "lag",
        accountId: "444455556666",
      });
      expect(isolatedVaultRef(outputs(ACCOUNT), undefined, ACCOUNT)).to.deep.equal({ name: "lag" });
    });
  });

  describe("chooseAcrossVaults", () => {
    const rpo = { minutes: 60, nowMs: NOW };

    it("GIVEN --as-of THEN the DR vault's point at or before it is clean whatever its age", () => {
      const dr = [point("dr", "RDS", "db", 300)];
      const lag = [point("lag", "RDS", "db", 200)];
      const choice = chooseAcrossVaults(dr, lag, {
        isolatedVaultName: "lag",
        rpo,
        asOf: new Date(NOW - 250 * MIN),
      });
      expect(choice.selected.map((p) => p.backupVaultName)).to.deep.equal(["dr"]);
      expect(choice.fromIsolated.size).to.equal(0);
    });

    it("GIVEN --from-isolated and a resource the isolated vault lacks THEN it is skipped with the reason, not taken from DR", () => {
      const dr = [point("dr", "RDS", "db", 10), point("dr", "DynamoDB", "orders", 10)];
      const lag = [point("lag", "RDS", "db", 20)];
      const choice = chooseAcrossVaults(dr, lag, { isolatedVaultName: "lag", rpo, fromIsolated: true });
      expect(choice.selected.map((p) => [p.resourceTypeName, p.backupVaultName])).to.deep.equal([
        ["RDS", "lag"],
      ]);
      expect(choice.skipped.map((s) => [s.resourceTypeName, s.reason])).to.deep.equal([
        ["DynamoDB", "no recovery point in the isolated vault 'lag' (--from-isolated)"],
      ]);
    });

    it("GIVEN neither vault has a usable point THEN the DR vault's reasons are kept", () => {
      const dr = [point("dr", "EFS", "fs", 10, "PARTIAL")];
      const lag = [point("lag", "EFS", "fs", 20, "EXPIRED")];
      const choice = chooseAcrossVaults(dr, lag, { isolatedVaultName: "lag", rpo });
      expect(choice.selected).to.deep.equal([]);
      expect(choice.skipped.map((s) => s.reason)).to.deep.equal([
        "PARTIAL recovery point of 2026-04-12T08:50:00.000Z passed over",
        "no COMPLETED recovery point",
      ]);
    });
  });

  describe("a vault owned by another account (shared through AWS RAM)", () => {
    let h: Harness;
    afterEach(() => h?.dispose());
    const OWNER = "444455556666";
    const SHARED_ARN = `arn:aws:backup:us-west-2:${OWNER}:backup-vault:lag`;

    it("GIVEN --isolated-vault as a vault ARN THEN the name and owner come from it, the caller's own account is left out; a malformed ARN is refused", () => {
      expect(isolatedVaultRef(undefined, SHARED_ARN, ACCOUNT)).to.deep.equal({
        name: "lag",
        accountId: OWNER,
      });
      expect(
        isolatedVaultRef(undefined, `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:lag`, ACCOUNT),
      ).to.deep.equal({ name: "lag" });
      expect(() => isolatedVaultRef(undefined, "arn:aws:backup:us-west-2:lag", ACCOUNT)).to.throw(
        "--isolated-vault 'arn:aws:backup:us-west-2:lag' is not a backup vault ARN (arn:aws:backup:<region>:<account>:backup-vault:<name>) nor a vault name",
      );
    });

    /** GIVEN the isolated vault owned by OWNER and shared with the caller's account, the dr stack not naming it. */
    const shared = () =>
      new Harness({
        points: [],
        sim: {
          isolated: {
            name: "lag",
            ownerAccount: OWNER,
            points: isolatedCopies(
              [simPoint("RDS", "production-db", NOW, 20 * MIN, CMK)],
              "us-west-2",
              "dr-vault",
            ),
          },
        },
      });

    it("GIVEN --isolated-vault <the shared vault's ARN> THEN every read of it sends its owner's account, and the drill plans from it", async () => {
      h = shared();
      const code = await h.run(["drill", "--yes", "--dry-run", "--isolated-vault", SHARED_ARN]);
      expect(code, h.stderr.text).to.equal(0);
      const owners = [
        ...h.backup.commandCalls(DescribeBackupVaultCommand).map((c) => c.args[0].input),
        ...h.backup.commandCalls(ListRecoveryPointsByBackupVaultCommand).map((c) => c.args[0].input),
        ...h.backup.commandCalls(GetRecoveryPointRestoreMetadataCommand).map((c) => c.args[0].input),
      ]
        .filter((i) => i.BackupVaultName === "lag")
        .map((i) => i.BackupVaultAccountId);
      expect(owners).to.deep.equal([OWNER, OWNER, OWNER]);
    });

    it("GIVEN --isolated-vault <its name> only THEN AWS refuses the read (AccessDeniedException, Insufficient privileges): a warning, the DR vault only; with --from-isolated it stops", async () => {
      h = shared();
      await h.run(["drill", "--yes", "--dry-run", "--isolated-vault", "lag"]);
      expect(h.stderr.text).to.contain("isolated vault not read, recovering from the DR vault only: ");
      expect(h.stderr.text).to.contain("Insufficient privileges to perform this action.");
      h.dispose();
      h = shared();
      expect(
        await h.run(["drill", "--yes", "--dry-run", "--from-isolated", "--isolated-vault", "lag"]),
      ).to.not.equal(0);
      expect(h.stderr.text).to.contain("Insufficient privileges to perform this action.");
    });

    it("GIVEN a recovery account (the caller's) apart from the vault's owner THEN the plan's reads of it name the owner", async () => {
      h = new Harness({
        points: [],
        sim: {
          isolated: {
            name: "lag",
            points: isolatedCopies(
              [simPoint("RDS", "production-db", NOW, 20 * MIN, CMK)],
              "us-west-2",
              "dr-vault",
            ),
          },
        },
        stack: {
          outputs: {
            isolatedVaultName: "lag",
            isolatedVaultArn: `arn:aws:backup:us-west-2:${ACCOUNT}:backup-vault:lag`,
          },
        },
      });
      h.sts.on(GetCallerIdentityCommand).resolves({
        Account: "999988887777",
        Arn: "arn:aws:sts::999988887777:assumed-role/recovery/alice",
      });
      const code = await h.run(["drill", "--yes", "--dry-run"]);
      expect(code, h.stderr.text).to.equal(0);
      const owners = [
        ...h.backup.commandCalls(DescribeBackupVaultCommand).map((c) => c.args[0].input),
        ...h.backup.commandCalls(ListRecoveryPointsByBackupVaultCommand).map((c) => c.args[0].input),
        ...h.backup.commandCalls(GetRecoveryPointRestoreMetadataCommand).map((c) => c.args[0].input),
      ]
        .filter((i) => i.BackupVaultName === "lag")
        .map((i) => i.BackupVaultAccountId);
      expect(owners).to.deep.equal([ACCOUNT, ACCOUNT, ACCOUNT]);
    });

    it("GIVEN isolatedVaultArn of another account THEN every read of it sends BackupVaultAccountId", async () => {
      const owner = "444455556666";
      h = new Harness({
        points: [],
        sim: {
          isolated: {
            name: "lag",
            points: isolatedCopies(
              [simPoint("RDS", "production-db", NOW, 20 * MIN, CMK)],
              "us-west-2",
              "dr-vault",
            ),
          },
        },
        stack: {
          outputs: {
            isolatedVaultName: "lag",
            isolatedVaultArn: `arn:aws:backup:us-west-2:${owner}:backup-vault:lag`,
          },
        },
      });
      // The simulation holds one account: the other owner's vault is one it does not know, and the run says so.
      const code = await h.run(["drill", "--yes", "--dry-run"]);
      expect(code).to.equal(2);
      const described = h.backup
        .commandCalls(DescribeBackupVaultCommand)
        .map((c) => c.args[0].input)
        .find((i) => i.BackupVaultName === "lag");
      expect(described?.BackupVaultAccountId).to.equal(owner);
      expect(h.stderr.text).to.contain("isolated vault not read, recovering from the DR vault only");
      expect(h.stderr.text).to.contain("backup vault 'dr-vault' in us-west-2 holds no recovery points");
      // Nothing else was read from it.
      const vaults = [
        ...h.backup
          .commandCalls(ListRecoveryPointsByBackupVaultCommand)
          .map((c) => c.args[0].input.BackupVaultName),
        ...h.backup
          .commandCalls(GetRecoveryPointRestoreMetadataCommand)
          .map((c) => c.args[0].input.BackupVaultName),
      ];
      expect(vaults).not.to.include("lag");
    });
  });
});
