import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DrError } from "../../../../scripts/errors";
import { openDrStack } from "../../../../scripts/recovery/core/stackHandle";
import { Harness } from "../../../fakes/harness";
import { PulumiStub, installPulumiStub } from "../../../fakes/pulumiStub";
import { simPoint } from "../../../../scripts/simulation/recoveryPoints";

const NI = "--non-interactive";

describe("dr stack through the Automation API (LocalWorkspace on a pulumi stub)", function () {
  // Each pulumi invocation starts a Node process.
  this.timeout(30_000);
  let stub: PulumiStub;
  beforeEach(() => (stub = installPulumiStub()));
  afterEach(() => stub.dispose());

  it("selects the stack and reads its outputs: version, select, output (masked and plain)", async () => {
    const stack = await openDrStack({ workDir: stub.workDir, pulumiRoot: stub.root });
    const outputs = await stack.outputs();

    expect(outputs.drVaultName).to.equal("dr-vault");
    expect(outputs.privateSubnetIds).to.deep.equal(["subnet-0dra", "subnet-0drb"]);
    expect(outputs.rpoMinutes).to.equal(60);
    expect(stub.calls()).to.deep.equal([
      ["version"],
      ["stack", "select", "--stack", "dr", NI],
      ["stack", "output", "--json", "--stack", "dr", NI],
      ["stack", "output", "--json", "--show-secrets", "--stack", "dr", NI],
    ]);
  });

  it("sets config in one set-all, runs up with streamed output, then reads outputs and the summary", async () => {
    const stack = await openDrStack({ workDir: stub.workDir, pulumiRoot: stub.root });
    const lines: string[] = [];
    await stack.setConfig({ "dr-app:mode": "active", "dr-app:restoredTableName": "dr-r1-Orders" });
    const result = await stack.up((line) => lines.push(line));

    expect(result.result).to.equal("succeeded");
    expect(result.resourceChanges).to.deep.equal({ update: 3, same: 40 });
    expect(result.outputs.mode).to.equal("active");
    expect(lines).to.include(" ~  aws:autoscaling:Group app-asg updating (mode=active)");
    expect(stub.calls().slice(2)).to.deep.equal([
      [
        "config",
        "set-all",
        "--stack",
        "dr",
        "--plaintext",
        "dr-app:mode=active",
        "--plaintext",
        "dr-app:restoredTableName=dr-r1-Orders",
        NI,
      ],
      ["up", "--yes", "--skip-preview", "--exec-kind", "auto.local", "--stack", "dr", NI],
      ["stack", "output", "--json", "--stack", "dr", NI],
      ["stack", "output", "--json", "--show-secrets", "--stack", "dr", NI],
      [
        "stack",
        "history",
        "--json",
        "--show-secrets",
        "--page-size",
        "1",
        "--page",
        "1",
        "--stack",
        "dr",
        NI,
      ],
    ]);
    expect(stub.state().stacks.dr.config).to.deep.include({
      "dr-app:mode": "active",
      "dr-app:restoredTableName": "dr-r1-Orders",
    });
  });

  it("reads and removes config for a drill's revert", async () => {
    const stack = await openDrStack({ workDir: stub.workDir, pulumiRoot: stub.root });
    expect(await stack.getConfig(["dr-app:mode", "dr-app:restoredDbEndpoint"])).to.deep.equal({
      "dr-app:mode": "standby",
    });
    await stack.removeConfig(["dr-app:mode"]);
    expect(stub.calls().slice(2)).to.deep.equal([
      ["config", "--show-secrets", "--json", "--stack", "dr", NI],
      ["config", "rm-all", "--stack", "dr", "dr-app:mode", NI],
    ]);
  });

  it("a failing up is an error carrying pulumi's message", async () => {
    stub.update((s) => (s.failUp = true));
    const stack = await openDrStack({ workDir: stub.workDir, pulumiRoot: stub.root });
    let error: Error | undefined;
    await stack.up(() => undefined).catch((e) => (error = e));
    expect(error?.message).to.equal(
      "pulumi up failed: error: creating Auto Scaling Group: ValidationError: launch template not found",
    );
  });

  it("GIVEN no dr stack THEN one line telling how to fix it", async () => {
    let error: unknown;
    await openDrStack({ workDir: stub.workDir, pulumiRoot: stub.root, stackName: "dr-staging" }).catch(
      (e) => (error = e),
    );
    expect(error).to.be.instanceOf(DrError);
    expect((error as Error).message).to.equal(
      `dr stack 'dr-staging' not found for the project in ${stub.workDir}: deploy it first (pulumi up -s dr-staging) or pass --stack <name>`,
    );
  });

  it("GIVEN no Pulumi CLI THEN one line saying to install it", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-pulumi-"));
    try {
      let error: unknown;
      await openDrStack({ workDir: stub.workDir, pulumiRoot: empty }).catch((e) => (error = e));
      expect(error).to.be.instanceOf(DrError);
      expect((error as Error).message).to.match(
        /^Pulumi CLI not usable \(.*\): install it \(https:\/\/www.pulumi.com\/docs\/install\/\) or pass --pulumi-root <directory with bin\/pulumi>$/,
      );
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it("GIVEN a directory without Pulumi.yaml THEN one line asking for --work-dir", async () => {
    let error: unknown;
    await openDrStack({ workDir: stub.root, pulumiRoot: stub.root }).catch((e) => (error = e));
    expect((error as Error).message).to.equal(
      `no Pulumi.yaml in ${stub.root}: pass --work-dir <directory of the dr-app project>`,
    );
  });

  it("dr recover drives exactly: select, outputs, set-all and rm-all, up (while restoring), set-all restoredData and rm-all, up", async () => {
    const now = Date.parse("2026-04-12T09:00:00Z");
    const h = new Harness({
      points: [
        simPoint("RDS", "production-db", now, 50 * 60_000, { restoreMs: 35 * 60_000 }),
        simPoint("DynamoDB", "Orders", now, 40 * 60_000, { restoreMs: 18 * 60_000 }),
      ],
      openStack: openDrStack,
      health: [200],
    });
    try {
      const code = await h.run(["--pulumi-root", stub.root, "--work-dir", stub.workDir, "recover", "--yes"]);
      expect(code, h.stderr.text).to.equal(0);
      const endpoint = "dr-20260412t090000a7-production-db.c0abcdefgh.us-west-2.rds.amazonaws.com:5432";
      const db = "dr-20260412t090000a7-production-db";
      const table = "dr-20260412t090000a7-Orders";
      // One structured value, set once the restores it names exist (the table finished first, it waits for the database).
      const restoredData = JSON.stringify({
        db: { kind: "rds", id: db, endpoint, arn: `arn:aws:rds:us-west-2:111122223333:db:${db}` },
        table: {
          kind: "dynamodb",
          id: table,
          arn: `arn:aws:dynamodb:us-west-2:111122223333:table/${table}`,
        },
        bucket: { kind: "s3", id: "app-data-replica-us-west-2" },
      });
      const LEGACY_KEYS = [
        "dr-app:restoredDbEndpoint",
        "dr-app:restoredDbInstanceId",
        "dr-app:restoredTableName",
        "dr-app:restoredVolumeId",
        "dr-app:restoredBucketName",
      ];
      const outputs = [
        ["stack", "output", "--json", "--stack", "dr", NI],
        ["stack", "output", "--json", "--show-secrets", "--stack", "dr", NI],
      ];
      const up = ["up", "--yes", "--skip-preview", "--exec-kind", "auto.local", "--stack", "dr", NI];
      const history = [
        "stack",
        "history",
        "--json",
        "--show-secrets",
        "--page-size",
        "1",
        "--page",
        "1",
        "--stack",
        "dr",
        NI,
      ];
      expect(stub.calls()).to.deep.equal([
        ["version"],
        ["stack", "select", "--stack", "dr", NI],
        ...outputs,
        ["config", "set-all", "--stack", "dr", "--plaintext", "dr-app:mode=active", NI],
        ["config", "rm-all", "--stack", "dr", ...LEGACY_KEYS, NI],
        up,
        ...outputs,
        history,
        ["config", "set-all", "--stack", "dr", "--plaintext", `dr-app:restoredData=${restoredData}`, NI],
        ["config", "rm-all", "--stack", "dr", ...LEGACY_KEYS, NI],
        up,
        ...outputs,
        history,
      ]);
      expect(stub.state().stacks.dr.config).to.deep.include({
        "dr-app:mode": "active",
        "dr-app:restoredData": restoredData,
      });
      expect(h.stdout.text).to.contain("  pulumi | Updating (dr):");
    } finally {
      h.dispose();
    }
  });
});
