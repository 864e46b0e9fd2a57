import { expect } from "chai";
import * as status from "../../../scripts/commands/status";
import { bindCommand } from "../../helpers/command";

describe("dr status: its flags bound into StatusOptions", () => {
  it("GIVEN every flag THEN each lands in its field, parsed", async () => {
    const { options } = await bindCommand(status, [
      "status",
      "--json",
      "--vault",
      "dr-vault",
      "--isolated-vault",
      "dr-isolated",
      "--primary-vault",
      "primary-vault",
      "--primary-region",
      "us-east-1",
      "--rpo",
      "30",
      "--since-hours",
      "12",
    ]);
    expect(options).to.deep.equal({
      json: true,
      vault: "dr-vault",
      isolatedVault: "dr-isolated",
      primaryVault: "primary-vault",
      primaryRegion: "us-east-1",
      rpoMinutes: 30,
      sinceHours: 12,
    });
  });

  it("GIVEN no flag THEN the defaults: tables, the stack's outputs, 24 hours", async () => {
    const { options } = await bindCommand(status, ["status"]);
    expect(options).to.deep.equal({
      json: false,
      vault: undefined,
      isolatedVault: undefined,
      primaryVault: undefined,
      primaryRegion: undefined,
      rpoMinutes: undefined,
      sinceHours: 24,
    });
  });

  it("GIVEN the global options THEN the context carries them", async () => {
    const { ctx } = await bindCommand(status, [
      "--stack",
      "org/dr-app/dr",
      "--region",
      "eu-west-1",
      "status",
    ]);
    expect(ctx.global).to.deep.include({ stack: "org/dr-app/dr", region: "eu-west-1" });
  });
});
