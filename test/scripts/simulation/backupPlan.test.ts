// A backup plan's run in the simulation: tag-based selection in the plan's region, a backup per selected resource, its copy once it completes.
import { BackupClient, ListBackupJobsCommand } from "@aws-sdk/client-backup";
import { expect } from "chai";
import { vaultArn } from "../../../scripts/simulation/backupJobs";
import { FakeAws, startFakeAws } from "../../../scripts/simulation/fakeAwsServer";
import { resourceArn } from "../../../scripts/simulation/resourceStore";

const PRIMARY = "us-east-1";
const DR = "us-west-2";
const MIN = 60_000;
const TAG = { backup: "true" };

describe("simulation: a backup plan's run selects by tag, backs up, and copies what completed", function () {
  this.timeout(30_000);
  let time = Date.parse("2026-04-12T09:00:00Z");
  const clock = { now: () => time };
  let fake: FakeAws;
  const arn = (type: string, id: string, region = PRIMARY) => resourceArn(type, region, id);

  beforeEach(async () => {
    time = Date.parse("2026-04-12T09:00:00Z");
    fake = await startFakeAws({
      points: [],
      clock,
      downRegion: "none",
      primaryVaultName: "primary-vault",
      jobScript: { backupMs: 10 * MIN, copyMs: 15 * MIN },
      resources: [
        { type: "RDS", id: "app-db", region: PRIMARY, tags: TAG, state: { writes: 4 } },
        {
          type: "DynamoDB",
          id: "Orders",
          region: PRIMARY,
          tags: { ...TAG, team: "shop" },
          state: { writes: 2 },
        },
        { type: "EBS", id: "vol-0untagged", region: PRIMARY, state: { writes: 9 } },
        { type: "RDS", id: "other-db", region: PRIMARY, tags: { backup: "false" } },
        { type: "RDS", id: "dr-db", region: DR, tags: TAG },
      ],
    });
  });

  afterEach(() => fake.close());

  it("backs up every resource of its region carrying a selection tag (any of them), as its state was at the start", () => {
    const run = fake.runBackupPlan({
      region: PRIMARY,
      vault: "primary-vault",
      selectionTags: { ...TAG, team: "none" },
      copyTo: { vaultArn: vaultArn(DR, "dr-vault"), lifecycle: { DeleteAfterDays: 35 } },
    });
    expect(run.backups.map((b) => b.resourceArn)).to.have.members([
      arn("RDS", "app-db"),
      arn("DynamoDB", "Orders"),
    ]);
    fake.write(arn("RDS", "app-db"), 3);
    time += 10 * MIN;
    const primary = fake.vault(PRIMARY, "primary-vault")?.points ?? [];
    expect(primary.map((p) => `${p.resourceArn} ${p.state?.writes}`)).to.have.members([
      `${arn("RDS", "app-db")} 4`,
      `${arn("DynamoDB", "Orders")} 2`,
    ]);
    expect(primary.every((p) => p.tags?.backup === "true")).to.equal(true);
    // The copies started once the backups completed: in the DR vault 15 minutes later, the same resource and state.
    expect(fake.vault(DR, "dr-vault")?.points).to.deep.equal([]);
    time += 15 * MIN;
    const copies = fake.vault(DR, "dr-vault")?.points ?? [];
    expect(
      copies.map((p) => `${p.resourceArn} ${p.state?.writes} ${p.sourceBackupVaultArn}`),
    ).to.have.members([
      `${arn("RDS", "app-db")} 4 ${vaultArn(PRIMARY, "primary-vault")}`,
      `${arn("DynamoDB", "Orders")} 2 ${vaultArn(PRIMARY, "primary-vault")}`,
    ]);
    expect(fake.backupAndCopy.listCopies(PRIMARY).map((c) => c.State)).to.deep.equal([
      "COMPLETED",
      "COMPLETED",
    ]);
  });

  it("selects at each run: a resource that lost its tag is left out of the next one; the jobs are listed as AWS lists them", async () => {
    delete fake.resource(arn("DynamoDB", "Orders"))?.tags.backup;
    const run = fake.runBackupPlan({ region: PRIMARY, vault: "primary-vault", selectionTags: TAG });
    expect(run.backups.map((b) => b.resourceArn)).to.deep.equal([arn("RDS", "app-db")]);
    const client = new BackupClient({
      region: PRIMARY,
      endpoint: fake.url,
      credentials: { accessKeyId: "AKIDLOCALFAKE", secretAccessKey: "local-fake-secret" },
    });
    try {
      const listed = await client.send(new ListBackupJobsCommand({}));
      expect(listed.BackupJobs?.map((j) => [j.ResourceArn, j.BackupVaultName])).to.deep.equal([
        [arn("RDS", "app-db"), "primary-vault"],
      ]);
    } finally {
      client.destroy();
    }
    time += 10 * MIN;
    // Without a copy action nothing is copied.
    time += 60 * MIN;
    expect(fake.backupAndCopy.listCopies(PRIMARY)).to.deep.equal([]);
  });

  it("the vault's lock judges the rule's lifecycle: a copy kept longer than the DR vault allows FAILS", () => {
    fake.runBackupPlan({
      region: PRIMARY,
      vault: "primary-vault",
      selectionTags: TAG,
      copyTo: { vaultArn: vaultArn(DR, "dr-vault"), lifecycle: { DeleteAfterDays: 365 } },
    });
    time += 10 * MIN;
    fake.resources();
    expect(fake.backupAndCopy.listCopies(PRIMARY).map((c) => c.State)).to.deep.equal(["FAILED", "FAILED"]);
    time += 15 * MIN;
    expect(fake.vault(DR, "dr-vault")?.points).to.deep.equal([]);
  });
});
