// `npm run report:png`: a generated report photographed in headless Chromium (skipped without one), and the advice when none is found.
import { expect } from "chai";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { INSTALL_HINT, findChromium, pngSize } from "../../../../bench/reportPng";
import { writeReport } from "../../../../scripts/recovery/core/reportWriter";
import { sampleReport } from "./reportFixture";

const ROOT = path.resolve(__dirname, "..", "..", "..", "..");

/** Runs the script as `npm run report:png -- ...` does, with `env` added. */
function reportPng(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(
    process.execPath,
    [
      path.join(ROOT, "node_modules", "ts-node", "dist", "bin.js"),
      "--transpile-only",
      "--project",
      path.join(ROOT, "tsconfig.json"),
      path.join(ROOT, "bench", "reportPng.ts"),
      ...args,
    ],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } },
  );
}

describe("report:png: a report's page as a picture", function () {
  // ts-node compiles the script, then Chromium starts: seconds on a busy machine.
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-report-png-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("renders a generated drill report to a PNG of the whole page in headless Chromium", async function () {
    const browser = findChromium();
    if (!browser) {
      console.log(`      skipped: ${INSTALL_HINT}`);
      this.skip();
    }
    const paths = await writeReport(sampleReport({ kind: "drill" }), dir);
    const png = path.join(dir, "drill.png");
    const result = reportPng([paths.html, png]);
    expect(result.status, result.stderr).to.equal(0);
    const size = pngSize(fs.readFileSync(png));
    expect(result.stdout).to.equal(
      `${png}: ${size.width}x${size.height} (${path.basename(browser as string)})\n`,
    );
    expect(size.width).to.equal(1040);
    // The header, the timeline (9 rows) and the tables below it: far more than one screen.
    expect(size.height).to.be.within(1200, 4000);
  });

  it("says how to install Chromium when none is found", () => {
    const result = reportPng([path.join(dir, "missing.html")], {
      CHROME_PATH: path.join(dir, "no-chromium"),
    });
    expect(result.status).to.equal(2);
    expect(result.stderr).to.equal(`${INSTALL_HINT}\n`);
    expect(INSTALL_HINT).to.contain("apt-get install chromium");
  });

  it("reads a PNG's size from its header, and refuses what is not a PNG", () => {
    const header = Buffer.from("89504e470d0a1a0a0000000d49484452000004100000070a", "hex");
    expect(pngSize(header)).to.deep.equal({ width: 1040, height: 1802 });
    expect(() => pngSize(Buffer.from("<!doctype html>................"))).to.throw("not a PNG file");
  });
});
