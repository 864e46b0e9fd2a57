import { expect } from "chai";
import * as path from "path";
import * as rehearse from "../../../scripts/commands/rehearse";
import { bindCommand } from "../../helpers/command";

describe("dr rehearse: its arguments and flags bound into RehearsalOptions", () => {
  const work = path.resolve("/tmp/dr-work");

  it("GIVEN every flag, the command and flags after -- THEN each lands in its field, parsed", async () => {
    const { options } = await bindCommand(rehearse, [
      "--work-dir",
      work,
      "--stack",
      "org/dr-app/dr-west",
      "--state-dir",
      "/tmp/dr-state",
      "--report-dir",
      "/tmp/dr-reports",
      "rehearse",
      "failback",
      "--scenario",
      "throttling",
      "--speed",
      "50",
      "--days-in-dr",
      "3",
      "--seed",
      "42",
      "--rehearsal-dir",
      "/tmp/dr-rehearsal",
      "--confirm",
      "--",
      "--skip-pre-copy",
    ]);
    expect(options).to.deep.equal({
      command: "failback",
      scenario: "throttling",
      speed: 50,
      passthrough: ["--skip-pre-copy"],
      daysInDr: 3,
      seed: 42,
      confirm: true,
      workDir: work,
      // As given: the rehearsal resolves it against Pulumi.yaml (the project part checked) before it starts.
      stack: "org/dr-app/dr-west",
      rehearsalDir: path.resolve("/tmp/dr-rehearsal"),
      realStateDir: path.resolve("/tmp/dr-state"),
      reportDir: path.resolve("/tmp/dr-reports"),
    });
  });

  it("GIVEN no argument THEN recover, all-fine, speed 100, the journals in <work-dir>/.dr-rehearsal", async () => {
    const { options } = await bindCommand(rehearse, ["--work-dir", work, "rehearse"]);
    expect(options).to.deep.equal({
      command: "recover",
      scenario: "all-fine",
      speed: 100,
      passthrough: [],
      daysInDr: undefined,
      confirm: false,
      workDir: work,
      stack: "dr",
      rehearsalDir: path.join(work, ".dr-rehearsal"),
      realStateDir: path.join(work, ".dr"),
      reportDir: path.join(work, "reports"),
    });
  });

  it("GIVEN the root --utc THEN the rehearsal, and the command it runs, print UTC", async () => {
    const { options } = await bindCommand(rehearse, ["--work-dir", work, "--utc", "rehearse"]);
    expect(options.utc).to.equal(true);
  });

  it("GIVEN a speed over the bound THEN refuses before anything runs", async () => {
    let error: unknown;
    await bindCommand(rehearse, ["rehearse", "--speed", "20000"]).catch((err: unknown) => (error = err));
    expect((error as Error).message).to.equal("--speed '20000' must be at most 10000");
  });
});
