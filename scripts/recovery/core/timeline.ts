// A run's timeline: its phases and jobs as bars on a time axis, the critical path through them, and the SVG picture.
import { formatDuration } from "../../time";

/** How a bar ended: drawn in its own colour, and named in its class (`state-<state>`). */
export type BarState = "ok" | "failed" | "unfinished" | "not-started";

/** One phase or one job of a run, as the report saw it. */
export interface TimelineBar {
  /** Unique within the timeline and stable across renders (`phase:preflight`, `job:2`). */
  readonly id: string;
  readonly kind: "phase" | "job";
  /** What the picture writes beside the bar: user data (resource names), escaped when drawn. */
  readonly label: string;
  /** Epoch milliseconds; absent for a job that never started. */
  readonly startMs?: number;
  /** Epoch milliseconds; absent while unfinished (the bar is drawn to the run's end). */
  readonly endMs?: number;
  readonly state: BarState;
  /** A job's phase (its bar's id): the phase spans its jobs and is on the critical path through them. */
  readonly phase?: string;
  /** Shown on hover: the status message, the outcome's detail. */
  readonly detail?: string;
}

/** A run as the picture draws it. */
export interface Timeline {
  readonly title: string;
  readonly startMs: number;
  /** When the report was written: the axis ends here, and unfinished bars too. */
  readonly endMs: number;
  /** Bars in the order drawn, top to bottom. */
  readonly bars: readonly TimelineBar[];
  /** The moment the measured RTO ended (healthy), drawn as a marker; absent when not measured. */
  readonly rtoEndMs?: number;
  /** The RTO objective, minutes: drawn as a marker when it falls on the axis. */
  readonly rtoTargetMinutes?: number;
}

/** The end a bar is drawn to: its own, or the run's end while it was unfinished. */
function endOf(bar: TimelineBar, timeline: Pick<Timeline, "endMs">): number {
  return bar.endMs ?? timeline.endMs;
}

/** Phases that hold jobs: they span them, and the path goes through their jobs, not through them. */
function groupIds(bars: readonly TimelineBar[]): Set<string> {
  return new Set(bars.map((b) => b.phase).filter((p): p is string => p !== undefined));
}

/**
 * The chain of bars that determined the run's end, in time order: from the bar that ended last, each step
 * back is the bar that ended last at or before the current one began (what it waited for); ties go to the
 * bar drawn first. The chain runs through jobs, not through the phases that hold them; a phase holding a
 * job on the chain is on it too. Bars that never started are never on it.
 */
export function criticalPath(timeline: Timeline): string[] {
  const groups = groupIds(timeline.bars);
  const candidates = timeline.bars.filter((b) => b.startMs !== undefined && !groups.has(b.id));
  const chain: TimelineBar[] = [];
  const latestEnding = (pool: readonly TimelineBar[]) =>
    pool.reduce<TimelineBar | undefined>(
      (best, bar) => (best === undefined || endOf(bar, timeline) > endOf(best, timeline) ? bar : best),
      undefined,
    );
  let current = latestEnding(candidates);
  while (current) {
    chain.unshift(current);
    const start = current.startMs as number;
    current = latestEnding(candidates.filter((b) => !chain.includes(b) && endOf(b, timeline) <= start));
  }
  const onPath = new Set(chain.map((b) => b.id));
  for (const bar of chain) {
    if (bar.phase !== undefined) onPath.add(bar.phase);
  }
  return timeline.bars.filter((b) => onPath.has(b.id)).map((b) => b.id);
}

/** One row of the RTO's breakdown: a bar of the critical path, or a stretch no recorded step covers. */
export interface BreakdownRow {
  /** The bar's label, or `(between steps)` for a gap. */
  readonly label: string;
  readonly barId?: string;
  readonly startMs: number;
  readonly endMs: number;
}

/**
 * The measured span (run start to `untilMs`: healthy, or the run's end) cut along the critical path: each
 * step on it, clipped to the span, and the gaps between steps (of a second or more); the rows add up to the
 * span exactly.
 */
export function breakdown(timeline: Timeline, untilMs: number): BreakdownRow[] {
  const groups = groupIds(timeline.bars);
  const path = new Set(criticalPath(timeline));
  const steps = timeline.bars.filter((b) => path.has(b.id) && !groups.has(b.id));
  const rows: BreakdownRow[] = [];
  let cursor = timeline.startMs;
  for (const step of steps) {
    // A step that began within a second of the previous one's end waited for it (the times are observed).
    const began = Math.max(step.startMs as number, cursor);
    const start = began - cursor < 1000 ? cursor : began;
    const end = Math.min(endOf(step, timeline), untilMs);
    if (start >= untilMs) break;
    if (start > cursor) rows.push({ label: "(between steps)", startMs: cursor, endMs: start });
    if (end > start) rows.push({ label: step.label, barId: step.id, startMs: start, endMs: end });
    cursor = Math.max(cursor, end);
  }
  if (cursor < untilMs) rows.push({ label: "(between steps)", startMs: cursor, endMs: untilMs });
  return rows;
}

/** Text for XML (SVG and HTML): the five characters that could end an element or an attribute. */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Tick spacings the axis picks from, seconds: the smallest giving at most 10 ticks. */
const TICK_SECONDS = [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200, 86_400];

/** Geometry of the picture, pixels. */
const WIDTH = 960;
const LABEL_WIDTH = 250;
const RIGHT_MARGIN = 110;
const ROW = 24;
const BAR = 14;
const TOP = 46;
const PLOT = WIDTH - LABEL_WIDTH - RIGHT_MARGIN;

const STATE_TEXT: Record<BarState, string> = {
  ok: "ok",
  failed: "FAILED",
  unfinished: "unfinished",
  "not-started": "not started",
};

const num = (value: number) => (Math.round(value * 10) / 10).toString();

/** The axis's text for an offset from the run's start: `+0`, `+15m`, `+1h 30m`. */
function offsetText(ms: number): string {
  return ms === 0 ? "+0" : `+${formatDuration(ms).replace(/ 00[ms]$/, "")}`;
}

/** The picture's styles, inside the SVG: it needs no page and no network to look right. */
const TIMELINE_CSS = `
svg.timeline { font: 12px system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 100%; height: auto; }
svg.timeline .caption { font-weight: 600; font-size: 13px; }
svg.timeline .tick { stroke: #e3e3e3; }
svg.timeline .tick-label { fill: #666; font-size: 11px; }
svg.timeline .phase .label { font-weight: 600; }
svg.timeline .note { fill: #444; font-size: 11px; }
svg.timeline .bar { fill: #8aa8c8; }
svg.timeline .phase .bar { fill: #4f6d8f; }
svg.timeline .state-ok .bar { fill: #5b9a68; }
svg.timeline .phase.state-ok .bar { fill: #3c7a4a; }
svg.timeline .state-failed .bar { fill: #c0392b; }
svg.timeline .state-unfinished .bar { fill: #e0a526; }
svg.timeline .critical .bar { stroke: #111; stroke-width: 2.5; }
svg.timeline .critical .label { text-decoration: underline; }
svg.timeline .marker line { stroke-width: 1.5; stroke-dasharray: 4 3; }
svg.timeline .rto-measured line { stroke: #1d5fa8; }
svg.timeline .rto-measured text { fill: #1d5fa8; font-size: 11px; }
svg.timeline .rto-target line { stroke: #b03a2e; }
svg.timeline .rto-target, svg.timeline .rto-target text { fill: #b03a2e; font-size: 11px; }
`;

/**
 * The timeline as a standalone SVG element: a row per bar (phases bold, jobs indented under them), a time
 * axis in offsets from the run's start, the critical path outlined (class `critical`, `data-critical`),
 * the measured RTO's end and the objective as markers. Deterministic: the same timeline gives the same
 * bytes; every text from the run is escaped.
 */
export function renderTimelineSvg(timeline: Timeline): string {
  const path = new Set(criticalPath(timeline));
  const span = Math.max(timeline.endMs - timeline.startMs, 1000);
  const x = (ms: number) => LABEL_WIDTH + (Math.min(Math.max(ms - timeline.startMs, 0), span) / span) * PLOT;
  const height = TOP + timeline.bars.length * ROW + 34;
  const step = TICK_SECONDS.find((s) => span / (s * 1000) <= 10) ?? Math.ceil(span / 10_000);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${escapeXml(timeline.title)}">`,
    `<title>${escapeXml(timeline.title)}</title>`,
    `<style>${TIMELINE_CSS}</style>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    `<text x="8" y="18" class="caption">${escapeXml(timeline.title)}</text>`,
  ];
  for (let t = 0; t <= span; t += step * 1000) {
    const tx = num(x(timeline.startMs + t));
    parts.push(
      `<line class="tick" x1="${tx}" y1="${TOP - 8}" x2="${tx}" y2="${height - 30}"/>`,
      `<text class="tick-label" x="${tx}" y="${TOP - 12}" text-anchor="middle">${offsetText(t)}</text>`,
    );
  }
  timeline.bars.forEach((bar, row) => {
    const y = TOP + row * ROW;
    const critical = path.has(bar.id);
    const classes = [bar.kind, `state-${bar.state}`, ...(critical ? ["critical"] : [])].join(" ");
    const indent = bar.kind === "job" && bar.phase !== undefined ? 18 : 8;
    const tooltip = [
      bar.label,
      STATE_TEXT[bar.state],
      bar.startMs !== undefined
        ? `${offsetText(bar.startMs - timeline.startMs)} to ${bar.endMs !== undefined ? offsetText(bar.endMs - timeline.startMs) : "the end"}`
        : "",
      bar.detail ?? "",
      critical ? "on the critical path" : "",
    ]
      .filter((t) => t !== "")
      .join(" | ");
    parts.push(
      `<g class="${classes}" data-id="${escapeXml(bar.id)}" data-state="${bar.state}" data-critical="${critical}">`,
      `<title>${escapeXml(tooltip)}</title>`,
      `<text class="label" x="${indent}" y="${y + BAR - 2}">${escapeXml(bar.label)}</text>`,
    );
    if (bar.startMs === undefined) {
      parts.push(`<text class="note" x="${LABEL_WIDTH + 4}" y="${y + BAR - 2}">not started</text>`);
    } else {
      const x1 = x(bar.startMs);
      const width = Math.max(x(endOf(bar, timeline)) - x1, 2);
      const duration = formatDuration(endOf(bar, timeline) - bar.startMs);
      parts.push(
        `<rect class="bar" x="${num(x1)}" y="${y}" width="${num(width)}" height="${BAR}" rx="2"/>`,
        `<text class="note" x="${num(x1 + width + 4)}" y="${y + BAR - 2}">${duration}${bar.state === "ok" ? "" : ` ${STATE_TEXT[bar.state]}`}</text>`,
      );
    }
    parts.push(`</g>`);
  });
  const markerY = height - 30;
  if (timeline.rtoEndMs !== undefined) {
    const mx = num(x(timeline.rtoEndMs));
    parts.push(
      `<g class="marker rto-measured"><line x1="${mx}" y1="${TOP - 8}" x2="${mx}" y2="${markerY}"/>`,
      `<text x="${mx}" y="${markerY + 14}" text-anchor="middle">healthy: RTO ${formatDuration(timeline.rtoEndMs - timeline.startMs)}</text></g>`,
    );
  }
  if (timeline.rtoTargetMinutes !== undefined) {
    const targetMs = timeline.startMs + timeline.rtoTargetMinutes * 60_000;
    if (targetMs <= timeline.endMs) {
      const tx = num(x(targetMs));
      parts.push(
        `<g class="marker rto-target"><line x1="${tx}" y1="${TOP - 8}" x2="${tx}" y2="${markerY}"/>`,
        `<text x="${tx}" y="${markerY + 26}" text-anchor="middle">RTO objective ${timeline.rtoTargetMinutes} min</text></g>`,
      );
    } else {
      parts.push(
        `<text class="marker rto-target" x="${WIDTH - 8}" y="${markerY + 26}" text-anchor="end">RTO objective ${timeline.rtoTargetMinutes} min: beyond the end of the axis</text>`,
      );
    }
  }
  parts.push(`</svg>`);
  return parts.join("\n");
}
