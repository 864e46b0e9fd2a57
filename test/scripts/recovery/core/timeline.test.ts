// The timeline picture of a run: a bar per phase and job with its name, the critical path marked, the RTO by phase, escaping, determinism.
import { expect } from "chai";
import { runTimeline } from "../../../../scripts/recovery/core/runTimeline";
import {
  Timeline,
  breakdown,
  criticalPath,
  renderTimelineSvg,
} from "../../../../scripts/recovery/core/timeline";
import { at, sampleReport } from "./reportFixture";

/** Each bar group of the SVG: its id, classes, state, whether it is critical, its label and whether it has a rect. */
function bars(svg: string) {
  const groups = [
    ...svg.matchAll(
      /<g class="([^"]*)" data-id="([^"]*)" data-state="([^"]*)" data-critical="(true|false)">\n<title>[^<]*<\/title>\n<text class="label"[^>]*>([^<]*)<\/text>\n(<rect class="bar")?/g,
    ),
  ];
  return groups.map((m) => ({
    classes: m[1].split(" "),
    id: m[2],
    state: m[3],
    critical: m[4] === "true",
    label: m[5],
    drawn: m[6] !== undefined,
  }));
}

describe("timeline: the picture of a recover run", () => {
  it("has a labelled bar for each of its M phases and N jobs, in order", () => {
    const svg = renderTimelineSvg(runTimeline(sampleReport()));
    expect(bars(svg).map((b) => [b.classes[0], b.label, b.drawn])).to.deep.equal([
      ["phase", "preflight and selection", true],
      ["phase", "restores", true],
      ["job", "DynamoDB app-table", true],
      ["job", "RDS app-db", true],
      ["job", "S3 app-bucket", true],
      ["phase", "stack update: infrastructure", true],
      ["phase", "stack update: data", true],
      ["phase", "health check", true],
      ["phase", "checks and report", true],
    ]);
  });

  it("marks exactly the critical path: preflight, the RDS restore the data update waited for, the update, health, the report", () => {
    const timeline = runTimeline(sampleReport());
    const expected = ["phase:preflight", "phase:restores", "job:1", "flip:1", "phase:health", "phase:finish"];
    expect(criticalPath(timeline)).to.deep.equal(expected);
    const drawn = bars(renderTimelineSvg(timeline));
    expect(drawn.filter((b) => b.critical).map((b) => b.id)).to.deep.equal(expected);
    expect(drawn.filter((b) => b.classes.includes("critical")).map((b) => b.id)).to.deep.equal(expected);
  });

  it("draws each bar's state: a failed job, an unfinished one, one never started", () => {
    const report = sampleReport();
    const jobs = [
      { ...report.jobs[0], status: "FAILED" as const, message: "Table already exists" },
      { ...report.jobs[1], status: "RUNNING" as const, endedAt: undefined },
      { ...report.jobs[2], status: "NOT_STARTED" as const, startedAt: undefined, endedAt: undefined },
    ];
    const drawn = bars(renderTimelineSvg(runTimeline({ ...report, jobs, outcome: "partial" })));
    expect(drawn.filter((b) => b.classes[0] === "job").map((b) => [b.label, b.state, b.drawn])).to.deep.equal(
      [
        ["DynamoDB app-table", "failed", true],
        ["RDS app-db", "unfinished", true],
        ["S3 app-bucket", "not-started", false],
      ],
    );
    expect(drawn.find((b) => b.id === "phase:restores")?.state).to.equal("failed");
  });

  it("cuts the RTO along the critical path, the gaps named, adding up to the measured RTO", () => {
    const timeline = runTimeline(sampleReport());
    const rows = breakdown(timeline, timeline.rtoEndMs as number);
    expect(rows.map((r) => [r.label, (r.endMs - r.startMs) / 60_000])).to.deep.equal([
      ["preflight and selection", 2],
      ["RDS app-db", 25],
      ["(between steps)", 2],
      ["stack update: data", 9],
      ["health check", 4],
    ]);
    expect(rows.reduce((sum, r) => sum + r.endMs - r.startMs, 0)).to.equal(42 * 60_000);
  });

  it("follows what each step waited for, ties to the bar drawn first, never through a bar that did not start", () => {
    const t = (minutes: number) => Date.parse(at(minutes));
    const timeline: Timeline = {
      title: "t",
      startMs: t(0),
      endMs: t(10),
      bars: [
        { id: "a", kind: "phase", label: "a", startMs: t(0), endMs: t(3), state: "ok" },
        { id: "b", kind: "phase", label: "b", startMs: t(0), endMs: t(3), state: "ok" },
        { id: "c", kind: "phase", label: "c", startMs: t(1), endMs: t(5), state: "ok" },
        { id: "d", kind: "phase", label: "d", startMs: t(3), endMs: t(10), state: "ok" },
        { id: "e", kind: "job", label: "e", state: "not-started" },
      ],
    };
    expect(criticalPath(timeline)).to.deep.equal(["a", "d"]);
  });

  it("is deterministic: the same report gives the same bytes", () => {
    const report = sampleReport();
    const copy = JSON.parse(JSON.stringify(report)) as typeof report;
    expect(renderTimelineSvg(runTimeline(copy))).to.equal(renderTimelineSvg(runTimeline(report)));
  });

  it("escapes resource names: a name like a script element stays text", () => {
    const name = `<script>alert("x")</script>&'`;
    const svg = renderTimelineSvg(runTimeline(sampleReport({}, name)));
    expect(svg).not.to.contain("<script");
    expect(svg).to.contain(
      `<text class="label" x="18" y="130">RDS &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;</text>`,
    );
    expect(bars(svg).find((b) => b.id === "job:1")?.critical).to.equal(true);
  });

  it("marks the measured RTO and the objective when it falls on the axis, and says so when it does not", () => {
    const within = renderTimelineSvg(
      runTimeline(sampleReport({ rto: { targetMinutes: 40, measuredSeconds: 2520 } })),
    );
    expect(within).to.contain(">healthy: RTO 42m 00s</text>");
    expect(within).to.match(
      /<g class="marker rto-target"><line [^>]*\/>\n<text [^>]*>RTO objective 40 min<\/text><\/g>/,
    );
    const beyond = renderTimelineSvg(runTimeline(sampleReport()));
    expect(beyond).to.contain(">RTO objective 480 min: beyond the end of the axis</text>");
  });
  it("counts a step that began within a second of the one before as waiting for it, and ends the RTO at the healthy answer", () => {
    const report = sampleReport();
    const ms = (minutes: number, extra: number) => new Date(Date.parse(at(minutes)) + extra).toISOString();
    // RDS began 400 ms after preflight's end; healthy 300 ms past the minute, the RTO rounded to 42m 00s.
    const jobs = report.jobs.map((j) => (j.resourceType === "RDS" ? { ...j, startedAt: ms(2, 400) } : j));
    const health = { ...(report.health as NonNullable<typeof report.health>), checkedAt: ms(42, 300) };
    const timeline = runTimeline({ ...report, jobs, health });
    expect(timeline.rtoEndMs).to.equal(Date.parse(health.checkedAt));
    const rows = breakdown(timeline, timeline.rtoEndMs as number);
    expect(rows.map((r) => r.label)).to.deep.equal([
      "preflight and selection",
      "RDS app-db",
      "(between steps)",
      "stack update: data",
      "health check",
    ]);
  });
});
