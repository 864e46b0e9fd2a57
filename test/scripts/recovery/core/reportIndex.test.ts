// The HTML page and the index written beside each report: two runs listed with their trend, the page's delta, escaping, no network.
import { expect } from "chai";
import { judgeObjective, judgeRun } from "../../../../scripts/recovery/core/verdict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { writeReport } from "../../../../scripts/recovery/core/reportWriter";
import { RunReport } from "../../../../scripts/recovery/core/report";
import { at, sampleReport } from "./reportFixture";
import { FailbackReport, writeFailbackReport } from "../../../../scripts/recovery/failback/report";

const LABEL = { scenario: "all-fine", speed: 100 };

describe("report pages: the HTML report and the index of the report directory", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "dr-report-pages-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const first = sampleReport({ rehearsal: LABEL });
  /** A day later: 5 minutes slower to healthy, data 30 minutes fresher, S3 3 minutes slower. */
  const second: RunReport = {
    ...first,
    runId: "20261208t090000bb",
    startedAt: at(24 * 60),
    finishedAt: at(24 * 60 + 48),
    rto: { ...first.rto, measuredSeconds: 47 * 60 },
    rpo: { ...first.rpo, achievedMinutes: 570 },
    jobs: first.jobs.map((j) =>
      j.resourceType === "S3" ? { ...j, durationSeconds: (j.durationSeconds as number) + 180 } : j,
    ),
  };

  it("writes the page beside the Markdown and JSON, and an index without a JSON file of its own", async () => {
    const paths = await writeReport(first, dir);
    expect(paths.html).to.equal(path.join(dir, "rehearsal-recover-20261207t090000aa.html"));
    expect(paths.index).to.equal(path.join(dir, "index.html"));
    expect(fs.readdirSync(dir).sort()).to.deep.equal([
      "index.html",
      "index.md",
      "rehearsal-recover-20261207t090000aa.html",
      "rehearsal-recover-20261207t090000aa.json",
      "rehearsal-recover-20261207t090000aa.md",
    ]);
    const page = fs.readFileSync(paths.html, "utf8");
    expect(page).to.match(/^<!doctype html>/);
    expect(page).to.contain('<svg xmlns="http://www.w3.org/2000/svg" class="timeline"');
    expect(page).to.contain("<h2>RTO by phase: 42m 00s from start to healthy</h2>");
    expect(page).to.contain("<li>throw the failover switch</li>");
    expect(page).to.contain("<dt>Operator</dt>");
    expect(page).to.contain("<dt>Rehearsal</dt><dd><code>scenario all-fine, clock at 100x</code></dd>");
    expect(page).to.contain("nothing to compare with yet");
    // Opens with no network: no script, nothing loaded from elsewhere.
    expect(page).not.to.match(/<script|<link|@import|src=|url\(/i);
  });

  it("lists two runs of a kind, newest first, with the trend; the later page shows its delta", async () => {
    const before = await writeReport(first, dir);
    const paths = await writeReport(second, dir);
    const index = fs.readFileSync(path.join(dir, "index.md"), "utf8");
    const rows = index.split("\n").filter((l) => l.startsWith("| 2026"));
    expect(rows).to.deep.equal([
      "| 2026-12-08T09:00:00.000Z | [20261208t090000bb](rehearsal-recover-20261208t090000bb.html) | rehearsal of recover (all-fine) | success | 47m 00s (objective 8h 00m: met) | 9h 30m (objective 30h 00m: met) | RTO +5m 00s (slower), RPO -30 min (fresher data) against 20261207t090000aa |",
      "| 2026-12-07T09:00:00.000Z | [20261207t090000aa](rehearsal-recover-20261207t090000aa.html) | rehearsal of recover (all-fine) | success | 42m 00s (objective 8h 00m: met) | 10h 00m (objective 30h 00m: met) | first of its kind here |",
    ]);
    const html = fs.readFileSync(path.join(dir, "index.html"), "utf8");
    expect(html).to.contain('<a href="rehearsal-recover-20261208t090000bb.html">20261208t090000bb</a>');
    expect(html).to.contain("RTO +5m 00s (slower), RPO -30 min (fresher data) against 20261207t090000aa");
    const page = fs.readFileSync(paths.html, "utf8");
    expect(page).to.contain("<strong>RTO +5m 00s (slower), RPO -30 min (fresher data)</strong>");
    expect(page).to.contain("<li>S3 app-bucket: +3m 00s</li>");
    const markdown = fs.readFileSync(paths.markdown, "utf8");
    expect(markdown).to.contain(
      "- Against the previous run 20261207t090000aa: RTO +5m 00s (slower), RPO -30 min (fresher data)\n",
    );
    expect(fs.readFileSync(before.markdown, "utf8")).to.contain(
      "- Critical path: preflight and selection (2m 00s) -> RDS app-db (25m 00s) -> stack update: data (9m 00s) -> health check (4m 00s) -> checks and report (1m 00s)\n",
    );
  });

  it("compares a rehearsal only with rehearsals of its scenario, and a real run only with real runs", async () => {
    await writeReport(first, dir);
    await writeReport({ ...second, rehearsal: { scenario: "partial-point", speed: 100 } }, dir);
    await writeReport({ ...second, runId: "20261208t100000cc", rehearsal: undefined }, dir);
    const rows = fs
      .readFileSync(path.join(dir, "index.md"), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("| 2026"));
    expect(rows.map((r) => r.split(" | ").slice(2, 3).concat(r.split(" | ").slice(-1)))).to.deep.equal([
      ["recover", "first of its kind here |"],
      ["rehearsal of recover (partial-point)", "first of its kind here |"],
      ["rehearsal of recover (all-fine)", "first of its kind here |"],
    ]);
  });

  it("keeps the Markdown's content and adds its glance lines at the end only", async () => {
    const { renderMarkdown } = await import("../../../../scripts/recovery/core/report");
    const paths = await writeReport(first, dir);
    const markdown = fs.readFileSync(paths.markdown, "utf8");
    expect(markdown.startsWith(renderMarkdown(first))).to.equal(true);
    expect(markdown.slice(renderMarkdown(first).length)).to.match(
      /^\n## At a glance\n\n- Timeline, RTO by phase/,
    );
  });

  it("escapes what the run holds in the page and the index", async () => {
    const evil = `<script>alert(1)</script>`;
    const paths = await writeReport(
      sampleReport({ runId: "20261207t090000ee", notes: [`next: ${evil}`] }, evil),
      dir,
    );
    for (const file of [paths.html, paths.index]) {
      expect(fs.readFileSync(file, "utf8"), file).not.to.contain("<script");
    }
    expect(fs.readFileSync(paths.html, "utf8")).to.contain(
      "<li>next: &lt;script&gt;alert(1)&lt;/script&gt;</li>",
    );
  });

  it("says a partial run's objective is not met, never met", async () => {
    const paths = await writeReport(sampleReport({ outcome: "partial" }), dir);
    const page = fs.readFileSync(paths.html, "utf8");
    expect(page).to.contain(
      'objective 8h 00m: <span class="verdict bad">not met: the run ended partial</span>',
    );
    expect(page).not.to.contain('<span class="verdict good">met</span></td></tr>\n<tr><th>Data restored');
  });
  it("lists a failback with its measured time, linked to its Markdown, when the failback writes its report", async () => {
    await writeReport(first, dir);
    const failback: FailbackReport = {
      kind: "failback",
      runId: "20261209t090000ff",
      drStack: "dr",
      prodStack: "prod",
      drRegion: "us-west-2",
      primaryRegion: "us-east-1",
      drVault: "app-dr-vault",
      primaryVault: "app-vault",
      startedAt: at(48 * 60),
      finishedAt: at(48 * 60 + 90),
      outcome: "success",
      failbackSeconds: 85 * 60,
      phases: [],
      jobs: [],
      flips: [],
      notes: [],
      verdict: judgeRun("success", [
        judgeObjective("success", { objective: "writes lost", target: 0, achieved: 0 }),
      ]),
    };
    await writeFailbackReport(failback, dir);
    const rows = fs
      .readFileSync(path.join(dir, "index.md"), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("| 2026"));
    expect(rows[0]).to.equal(
      "| 2026-12-09T09:00:00.000Z | [20261209t090000ff](failback-20261209t090000ff.md) | failback | success | 1h 25m | - | first of its kind here |",
    );
    expect(rows).to.have.length(2);
  });
});
