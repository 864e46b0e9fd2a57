import { expect } from "chai";
import * as path from "path";
import * as plan from "../../../scripts/commands/plan";
import { DrError } from "../../../scripts/errors";
import { bindCommand } from "../../helpers/command";

describe("dr plan: its flags bound into PlanCommandOptions", () => {
  const work = path.resolve("/tmp/dr-work");

  it("GIVEN every flag and the global --stack and --work-dir THEN each lands in its field, parsed", async () => {
    const { options, err } = await bindCommand(plan, [
      "--stack",
      "prod",
      "--work-dir",
      work,
      "plan",
      "--mode",
      "active",
      "-c",
      "minSize=1",
      "--config",
      "restoredDbEndpoint=db.example:5432",
      "--allow-unknown-config",
      "--json",
    ]);
    expect(options).to.deep.equal({
      stack: "prod",
      mode: "active",
      json: true,
      config: { minSize: "1", restoredDbEndpoint: "db.example:5432" },
      allowUnknownConfig: true,
      projectDir: work,
    });
    expect(err).to.equal("");
  });

  it("GIVEN only the stack, after the command THEN the defaults: text, no config, the project above the current directory, else this repository's", async () => {
    const { options } = await bindCommand(plan, ["plan", "-s", "dr"], { cwd: work });
    expect(options).to.deep.equal({
      stack: "dr",
      mode: undefined,
      json: false,
      config: {},
      allowUnknownConfig: false,
      projectDir: path.resolve(__dirname, "..", "..", ".."),
    });
  });

  it("GIVEN the deprecated --cwd THEN it is the project directory, with one warning", async () => {
    const { options, err } = await bindCommand(plan, ["-s", "dr", "plan", "--cwd", "project"], { cwd: work });
    expect(options.projectDir).to.equal(path.join(work, "project"));
    expect(err).to.match(
      /^\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d) WARNING dr plan --cwd is deprecated: use the global --work-dir <dir>\n$/,
    );
  });

  it("GIVEN no --stack THEN refuses: the plan needs the stack given", async () => {
    let error: unknown;
    await bindCommand(plan, ["plan"]).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(DrError);
    expect((error as Error).message).to.equal("dr plan needs the stack to plan: --stack prod or --stack dr");
  });

  it("GIVEN a --config without = THEN a usage error naming the value", async () => {
    let error: unknown;
    await bindCommand(plan, ["-s", "dr", "plan", "-c", "minSize"]).catch((err: unknown) => (error = err));
    expect((error as Error).message).to.contain("expected key=value, got 'minSize'");
  });
});
