// Each stack owns AWS Backup's settings of its region: opt-in and advanced DynamoDB backup, kept on delete.
import { expect } from "chai";
import { ofType } from "../helpers/mockEngine";
import { recordResourceOptions } from "../helpers/resourceOptions";
import { evaluateStack } from "./fixtures";

const TYPE = "aws:backup/regionSettings:RegionSettings";

describe("stacks: AWS Backup region settings (advanced DynamoDB backup is per region)", () => {
  for (const [stack, region, why] of [
    ["prod", "us-east-1", "its copies of tables to DR"],
    ["dr", "us-west-2", "a failback's copies of restored tables back to the primary region"],
  ] as const) {
    it(`${stack} turns on advanced DynamoDB backup and the opt-in of its data in ${region}, for ${why}`, async () => {
      const recorded = recordResourceOptions();
      let registrations;
      try {
        ({ registrations } = await evaluateStack(stack));
      } finally {
        recorded.stop();
      }
      const settings = ofType(registrations, TYPE);
      expect(settings.map((s) => s.inputs.region)).to.deep.equal([region]);
      expect(settings[0].inputs.resourceTypeManagementPreference).to.deep.equal({ DynamoDB: true });
      expect(settings[0].inputs.resourceTypeOptInPreference).to.include({
        DynamoDB: true,
        RDS: true,
        EBS: true,
        S3: true,
      });
      // The provider's delete is a no-op; the stack says the same: removing it never turns them off.
      expect(recorded.options.get(settings[0].name)?.retainOnDelete).to.equal(true);
      // Read stores the whole maps AWS answers: without this every `up` would update them again.
      expect(recorded.options.get(settings[0].name)?.ignoreChanges).to.deep.equal([
        "resourceTypeOptInPreference",
        "resourceTypeManagementPreference",
      ]);
    });
  }

  it("is the same in standby and active (a flip changes nothing but the servers)", async () => {
    const standby = ofType((await evaluateStack("dr")).registrations, TYPE);
    const active = ofType((await evaluateStack("dr", { mode: "active" })).registrations, TYPE);
    expect(active.map((s) => s.inputs)).to.deep.equal(standby.map((s) => s.inputs));
  });
});
