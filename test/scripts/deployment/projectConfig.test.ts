import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  loadProject,
  OFFLINE_SECRET_PLACEHOLDER,
  ProjectConfigError,
  resolveStackConfig,
} from "../../../scripts/deployment/projectConfig";

const made: string[] = [];

/** A project directory with these Pulumi.yaml and stack files. */
function projectWith(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-config-"));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const PROJECT = `name: demo
runtime: nodejs
config:
  size:
    type: integer
    description: how many
    default: 2
  zones:
    type: array
    items:
      type: string
    default: []
  token:
    type: string
    secret: true
  owner:
    type: string
`;

describe("offline plan: config as pulumi resolves it", () => {
  after(() => made.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  it("applies the stack file over the project defaults, objects as JSON, and marks secure values secret", () => {
    const dir = projectWith({
      "Pulumi.yaml": PROJECT,
      "Pulumi.dev.yaml": `config:
  aws:region: eu-west-1
  demo:zones: [eu-west-1a, eu-west-1b]
  demo:token:
    secure: v1:abc:def
  demo:owner: team
`,
    });
    const config = resolveStackConfig(loadProject(dir), "dev");
    expect(config.values).to.deep.equal({
      "aws:region": "eu-west-1",
      "demo:zones": '["eu-west-1a","eu-west-1b"]',
      "demo:token": OFFLINE_SECRET_PLACEHOLDER,
      "demo:owner": "team",
      "demo:size": "2",
    });
    expect(config.secretKeys).to.deep.equal(["demo:token"]);
    expect(config.sources["demo:size"]).to.equal("default");
  });

  it("names every required key a stack leaves unset, as pulumi does", () => {
    const dir = projectWith({ "Pulumi.yaml": PROJECT, "Pulumi.dev.yaml": "config: {}\n" });
    expect(() => resolveStackConfig(loadProject(dir), "dev")).to.throw(
      ProjectConfigError,
      "Stack 'dev' is missing configuration values 'owner' and 'token'",
    );
  });

  it("checks the stack's values against the declared types", () => {
    const dir = projectWith({
      "Pulumi.yaml": PROJECT,
      "Pulumi.dev.yaml":
        "config:\n  demo:owner: team\n  demo:token:\n    secure: x\n  demo:zones: eu-west-1a\n",
    });
    expect(() => resolveStackConfig(loadProject(dir), "dev")).to.throw(
      "Stack 'dev' with configuration key 'zones' value 'eu-west-1a' must be of type 'array<string>'",
    );
  });

  it("requires a secret key to be encrypted in the stack file", () => {
    const dir = projectWith({
      "Pulumi.yaml": PROJECT,
      "Pulumi.dev.yaml": "config:\n  demo:owner: team\n  demo:token: plain\n",
    });
    expect(() => resolveStackConfig(loadProject(dir), "dev")).to.throw(
      "Stack 'dev' with configuration key 'token' must be encrypted as it's secret",
    );
  });

  it("takes --config overrides, JSON for arrays, and warns about keys Pulumi.yaml does not declare", () => {
    const dir = projectWith({
      "Pulumi.yaml": PROJECT,
      "Pulumi.dev.yaml": "config:\n  demo:owner: team\n  demo:token:\n    secure: x\n  demo:sise: 3\n",
    });
    const config = resolveStackConfig(loadProject(dir), "dev", { size: "5", zones: '["a"]' });
    expect(config.values).to.deep.include({ "demo:size": "5", "demo:zones": '["a"]' });
    expect(config.sources["demo:size"]).to.equal("override");
    expect(config.warnings).to.deep.equal([
      "Stack 'dev' sets configuration key 'demo:sise', which Pulumi.yaml does not declare: the program ignores it (a typo?)",
    ]);
  });

  it("reads a JSON override of a string key as structured (refused), or as a string with plaintextOverrides, as `config set-all --plaintext` stores it", () => {
    const dir = projectWith({
      "Pulumi.yaml": PROJECT,
      "Pulumi.dev.yaml": "config:\n  demo:token:\n    secure: x\n",
    });
    const json = '{"app-db":{"kind":"rds","id":"dr-x-app-db"}}';
    expect(() => resolveStackConfig(loadProject(dir), "dev", { owner: json })).to.throw(
      `Stack 'dev' with configuration key 'owner' value '${json}' must be of type 'string'`,
    );
    const config = resolveStackConfig(loadProject(dir), "dev", { owner: json }, { plaintextOverrides: true });
    expect(config.values["demo:owner"]).to.equal(json);
  });

  it("refuses --config keys Pulumi.yaml does not declare, all named, unless allowed (then a warning)", () => {
    const dir = projectWith({
      "Pulumi.yaml": PROJECT,
      "Pulumi.dev.yaml": "config:\n  demo:owner: team\n  demo:token:\n    secure: x\n",
    });
    expect(() => resolveStackConfig(loadProject(dir), "dev", { sise: "5", "demo:zonez": "[]" })).to.throw(
      "--config 'demo:sise', 'demo:zonez': not declared in Pulumi.yaml, so the program would ignore them (a typo?); pass --allow-unknown-config to plan anyway",
    );
    const allowed = resolveStackConfig(
      loadProject(dir),
      "dev",
      { sise: "5" },
      { allowUnknownOverrides: true },
    );
    expect(allowed.warnings).to.deep.equal([
      "Stack 'dev' sets configuration key 'demo:sise', which Pulumi.yaml does not declare: the program ignores it (a typo?)",
    ]);
  });

  it("rejects a declared default of the wrong type, and an array without items", () => {
    const wrongDefault = projectWith({
      "Pulumi.yaml": "name: demo\nruntime: nodejs\nconfig:\n  n:\n    type: integer\n    default: many\n",
    });
    expect(() => loadProject(wrongDefault)).to.throw(
      "The default value specified for configuration key 'n' is not of the expected type 'integer'",
    );
    const noItems = projectWith({
      "Pulumi.yaml": "name: demo\nruntime: nodejs\nconfig:\n  l:\n    type: array\n",
    });
    expect(() => loadProject(noItems)).to.throw(
      "The configuration key 'l' declares an array but does not specify the underlying type via the 'items' attribute",
    );
  });
});
