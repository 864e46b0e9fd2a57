import { expect } from "chai";
import * as runbook from "../../../scripts/commands/runbook";
import { bindCommand } from "../../helpers/command";

describe("dr runbook: its flags bound into RunbookOptions", () => {
  it("GIVEN every flag and the global --stack, --work-dir and --pulumi-root THEN each lands in its field, as given", async () => {
    const { options } = await bindCommand(runbook, [
      "--stack",
      "prod",
      "--work-dir",
      "project",
      "--pulumi-root",
      "/opt/pulumi",
      "runbook",
      "--out",
      "docs/runbook.md",
      "--from-stack",
      "--outputs",
      "dr.json",
      "--prod-outputs",
      "prod.json",
      "--checkout",
      "/opt/restorekit-dr",
    ]);
    expect(options).to.deep.equal({
      out: "docs/runbook.md",
      fromStack: true,
      outputs: "dr.json",
      prodOutputs: "prod.json",
      checkout: "/opt/restorekit-dr",
      stack: "prod",
      workDir: "project",
      pulumiRoot: "/opt/pulumi",
    });
  });

  it("GIVEN no flag THEN standard output, no outputs read, the dr stack, the project looked for", async () => {
    const { options } = await bindCommand(runbook, ["runbook"]);
    expect(options).to.deep.equal({
      out: undefined,
      fromStack: undefined,
      outputs: undefined,
      prodOutputs: undefined,
      checkout: undefined,
      stack: "dr",
      workDir: undefined,
      pulumiRoot: undefined,
    });
  });
});
