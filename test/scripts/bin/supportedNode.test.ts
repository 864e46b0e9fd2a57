import { expect } from "chai";
import * as fs from "fs";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SUPPORTED_NODE, isSupportedNode, unsupportedNodeNotice } = require("../../../scripts/bin/supportedNode");

const ROOT = path.resolve(__dirname, "..", "..", "..");
const readJson = (file: string) => JSON.parse(fs.readFileSync(path.join(ROOT, file), "utf8"));

describe("supported Node.js versions (scripts/bin/supportedNode.js)", () => {
  it("is the component's engines range, and the repository root declares none (npm's EBADENGINE block)", () => {
    expect(readJson("components/package.json").engines.node).to.equal(SUPPORTED_NODE);
    expect(readJson("package.json").engines, "root engines make npm warn on every install").to.equal(
      undefined,
    );
  });

  it("admits 22.12 and later in 22, and 24 and later", () => {
    for (const version of ["v22.12.0", "v22.23.3", "v24.0.0", "v24.21.0", "v26.1.0", "22.12.0"]) {
      expect(isSupportedNode(version), version).to.equal(true);
    }
    for (const version of ["v20.20.2", "v22.11.9", "v23.11.0", "v18.20.0", "not a version"]) {
      expect(isSupportedNode(version), version).to.equal(false);
    }
  });

  it("says in one line what to do on an unsupported Node, and nothing on a supported one", () => {
    expect(unsupportedNodeNotice("v24.21.0")).to.equal(undefined);
    expect(unsupportedNodeNotice("v20.20.2")).to.equal(
      "warning: Node.js v20.20.2 is not supported; install Node.js 22.12+ or 24+ " +
        "(for example `nvm install 24`), then run `npm ci` again",
    );
  });
});
