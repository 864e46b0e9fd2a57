import { expect } from "chai";
import fc from "fast-check";

import { AwsCronError, parseAwsCron, worstCaseIntervalMinutes } from "../../components/src/schedule";

// A reference evaluator written from the EventBridge cron reference, independent of the implementation: it
// interprets generated field specs directly (never parses text) and scans minute by minute.

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;
const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

type Item =
  | { kind: "star" }
  | { kind: "value"; value: number; named: boolean }
  | { kind: "range"; from: number; to: number; named: boolean }
  | { kind: "step"; from: number | "*"; to?: number; step: number };

type DayOfMonth =
  | { kind: "?" }
  | { kind: "list"; items: Item[] }
  | { kind: "L" }
  | { kind: "LW" }
  | { kind: "W"; day: number };
type DayOfWeek =
  | { kind: "?" }
  | { kind: "list"; items: Item[] }
  | { kind: "L" }
  | { kind: "nL"; day: number }
  | { kind: "#"; day: number; nth: number };

interface Spec {
  minute: Item[];
  hour: Item[];
  dayOfMonth: DayOfMonth;
  month: Item[];
  dayOfWeek: DayOfWeek;
  year: Item[];
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

// ---- rendering -------------------------------------------------------------------------------------------

function renderValue(value: number, named: boolean, names?: string[], min = 0): string {
  return named && names ? names[value - min] : String(value);
}

function renderItems(items: Item[], names?: string[], min = 0): string {
  return items
    .map((item) => {
      switch (item.kind) {
        case "star":
          return "*";
        case "value":
          return renderValue(item.value, item.named, names, min);
        case "range":
          return `${renderValue(item.from, item.named, names, min)}-${renderValue(item.to, item.named, names, min)}`;
        case "step":
          return `${item.from}${item.to === undefined ? "" : `-${item.to}`}/${item.step}`;
      }
    })
    .join(",");
}

function render(spec: Spec): string {
  const dom = spec.dayOfMonth;
  const dow = spec.dayOfWeek;
  const domText = dom.kind === "list" ? renderItems(dom.items) : dom.kind === "W" ? `${dom.day}W` : dom.kind;
  const dowText =
    dow.kind === "list"
      ? renderItems(dow.items, WEEKDAYS, 1)
      : dow.kind === "nL"
        ? `${dow.day}L`
        : dow.kind === "#"
          ? `${dow.day}#${dow.nth}`
          : dow.kind;
  return `cron(${renderItems(spec.minute)} ${renderItems(spec.hour)} ${domText} ${renderItems(spec.month, MONTHS, 1)} ${dowText} ${renderItems(spec.year)})`;
}

// ---- naive matching ----------------------------------------------------------------------------------------

function itemMatches(item: Item, x: number, min: number, max: number): boolean {
  switch (item.kind) {
    case "star":
      return true;
    case "value":
      return x === item.value;
    case "range":
      return item.from <= x && x <= item.to;
    case "step": {
      const from = item.from === "*" ? min : item.from;
      const to = item.to ?? max;
      return x >= from && x <= to && (x - from) % item.step === 0;
    }
  }
}

const fieldMatches = (items: Item[], x: number, min: number, max: number): boolean =>
  items.some((item) => itemMatches(item, x, min, max));

const lastDayOf = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();
const weekdayOf = (year: number, month: number, day: number): number =>
  new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
const isMondayToFriday = (year: number, month: number, day: number): boolean => {
  const weekday = weekdayOf(year, month, day);
  return weekday >= 2 && weekday <= 6;
};

function dayMatches(spec: Spec, { year, month, day }: Wall): boolean {
  const last = lastDayOf(year, month);
  const dom = spec.dayOfMonth;
  const dow = spec.dayOfWeek;
  if (dom.kind !== "?") {
    switch (dom.kind) {
      case "list":
        return fieldMatches(dom.items, day, 1, 31);
      case "L":
        return day === last;
      case "LW": {
        if (!isMondayToFriday(year, month, day)) return false;
        for (let later = day + 1; later <= last; later++)
          if (isMondayToFriday(year, month, later)) return false;
        return true;
      }
      case "W": {
        // the Monday-Friday of this month closest to the target day (no ties are possible)
        if (dom.day > last) return false;
        let best = 0;
        for (let d = 1; d <= last; d++) {
          if (
            isMondayToFriday(year, month, d) &&
            (best === 0 || Math.abs(d - dom.day) < Math.abs(best - dom.day))
          ) {
            best = d;
          }
        }
        return day === best;
      }
    }
  }
  const weekday = weekdayOf(year, month, day);
  switch (dow.kind) {
    case "list":
      return fieldMatches(dow.items, weekday, 1, 7);
    case "L":
      return weekday === 7;
    case "nL":
      return weekday === dow.day && day + 7 > last;
    case "#":
      return weekday === dow.day && Math.ceil(day / 7) === dow.nth;
    case "?":
      throw new Error("generator produced ? in both day fields");
  }
}

function wallMatches(spec: Spec, wall: Wall): boolean {
  return (
    fieldMatches(spec.minute, wall.minute, 0, 59) &&
    fieldMatches(spec.hour, wall.hour, 0, 23) &&
    fieldMatches(spec.month, wall.month, 1, 12) &&
    fieldMatches(spec.year, wall.year, 1970, 2199) &&
    dayMatches(spec, wall)
  );
}

const formats = new Map<string, Intl.DateTimeFormat>();
function wallAt(instant: number, timeZone: string): Wall {
  if (timeZone === "Etc/UTC") {
    const d = new Date(instant);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
    };
  }
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value);
  return {
    year: part("year"),
    month: part("month"),
    day: part("day"),
    hour: part("hour"),
    minute: part("minute"),
  };
}

const sameWall = (a: Wall, b: Wall): boolean =>
  a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute;

// A local time repeated by a fall-back change runs only at its first occurrence, which is one clock shift
// earlier: every daylight-saving shift in use is 30, 60 or 120 minutes.
function isFirstOccurrence(instant: number, wall: Wall, timeZone: string): boolean {
  return [30, 60, 120].every((back) => !sameWall(wallAt(instant - back * MINUTE, timeZone), wall));
}

/** Every run in [from, from + minutes), scanning minute by minute. */
function naiveRuns(spec: Spec, from: number, minutes: number, timeZone: string): number[] {
  const runs: number[] = [];
  const first = Math.ceil(from / MINUTE) * MINUTE;
  for (let instant = first; instant < first + minutes * MINUTE; instant += MINUTE) {
    const wall = wallAt(instant, timeZone);
    if (wallMatches(spec, wall) && (timeZone === "Etc/UTC" || isFirstOccurrence(instant, wall, timeZone))) {
      runs.push(instant);
    }
  }
  return runs;
}

function naiveNext(spec: Spec, after: number, minutes: number, timeZone: string): number | undefined {
  const first = Math.floor(after / MINUTE) * MINUTE + MINUTE;
  for (let instant = first; instant < first + minutes * MINUTE; instant += MINUTE) {
    const wall = wallAt(instant, timeZone);
    if (wallMatches(spec, wall) && (timeZone === "Etc/UTC" || isFirstOccurrence(instant, wall, timeZone))) {
      return instant;
    }
  }
  return undefined;
}

/** Some hour and minute the spec's time fields accept, so a day can be tested on its own. */
function firstTime(spec: Spec): { hour: number; minute: number } {
  let hour = 0;
  while (!fieldMatches(spec.hour, hour, 0, 23)) hour++;
  let minute = 0;
  while (!fieldMatches(spec.minute, minute, 0, 59)) minute++;
  return { hour, minute };
}

// ---- generators ------------------------------------------------------------------------------------------

function itemArb(min: number, max: number, options: { steps: boolean; names: boolean }): fc.Arbitrary<Item> {
  const value = fc.integer({ min, max });
  const named = options.names ? fc.boolean() : fc.constant(false);
  const pair = fc.tuple(value, value).map(([a, b]) => (a <= b ? [a, b] : [b, a]));
  const arbs: fc.Arbitrary<Item>[] = [
    fc.constant<Item>({ kind: "star" }),
    fc.record({ kind: fc.constant("value" as const), value, named }),
    fc.tuple(pair, named).map(([[from, to], isNamed]): Item => ({ kind: "range", from, to, named: isNamed })),
  ];
  if (options.steps) {
    const step = fc.integer({ min: 1, max: max - min });
    arbs.push(
      fc.record({ kind: fc.constant("step" as const), from: fc.constant("*" as const), step }),
      fc.record({ kind: fc.constant("step" as const), from: value, step }),
      fc.tuple(pair, step).map(([[from, to], s]): Item => ({ kind: "step", from, to, step: s })),
    );
  }
  return fc.oneof(...arbs);
}

const listArb = (
  min: number,
  max: number,
  options: { steps: boolean; names: boolean },
): fc.Arbitrary<Item[]> => fc.array(itemArb(min, max, options), { minLength: 1, maxLength: 3 });

// Minutes must select exactly one value (AWS Backup runs at most hourly), written in any valid shape.
const minuteArb: fc.Arbitrary<Item[]> = fc.integer({ min: 0, max: 59 }).chain((m) =>
  fc.oneof(
    fc.constant<Item[]>([{ kind: "value", value: m, named: false }]),
    fc.constant<Item[]>([{ kind: "range", from: m, to: m, named: false }]),
    fc.constant<Item[]>([
      { kind: "value", value: m, named: false },
      { kind: "value", value: m, named: false },
    ]),
    ...(m >= 1
      ? [fc.integer({ min: 60 - m, max: 59 }).map((step): Item[] => [{ kind: "step", from: m, step }])]
      : []),
  ),
);

const dayOfMonthArb: fc.Arbitrary<DayOfMonth> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<DayOfMonth>({ kind: "list", items: [{ kind: "star" }] }) },
  {
    weight: 4,
    arbitrary: listArb(1, 31, { steps: true, names: false }).map((items): DayOfMonth => ({
      kind: "list",
      items,
    })),
  },
  { weight: 1, arbitrary: fc.constant<DayOfMonth>({ kind: "L" }) },
  { weight: 1, arbitrary: fc.constant<DayOfMonth>({ kind: "LW" }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 31 }).map((day): DayOfMonth => ({ kind: "W", day })) },
);

const dayOfWeekArb: fc.Arbitrary<DayOfWeek> = fc.oneof(
  { weight: 3, arbitrary: fc.constant<DayOfWeek>({ kind: "list", items: [{ kind: "star" }] }) },
  {
    weight: 4,
    arbitrary: listArb(1, 7, { steps: false, names: true }).map((items): DayOfWeek => ({
      kind: "list",
      items,
    })),
  },
  { weight: 1, arbitrary: fc.constant<DayOfWeek>({ kind: "L" }) },
  { weight: 2, arbitrary: fc.integer({ min: 1, max: 7 }).map((day): DayOfWeek => ({ kind: "nL", day })) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 5 }))
      .map(([day, nth]): DayOfWeek => ({ kind: "#", day, nth })),
  },
);

const yearArb: fc.Arbitrary<Item[]> = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Item[]>([{ kind: "star" }]) },
  { weight: 1, arbitrary: listArb(2024, 2034, { steps: true, names: false }) },
);

const specArb: fc.Arbitrary<Spec> = fc
  .record({
    minute: minuteArb,
    hour: fc.oneof(
      { weight: 2, arbitrary: fc.constant<Item[]>([{ kind: "star" }]) },
      { weight: 5, arbitrary: listArb(0, 23, { steps: true, names: false }) },
    ),
    dayOfMonth: dayOfMonthArb,
    month: fc.oneof(
      { weight: 4, arbitrary: fc.constant<Item[]>([{ kind: "star" }]) },
      { weight: 1, arbitrary: listArb(1, 12, { steps: true, names: true }) },
    ),
    dayOfWeek: dayOfWeekArb,
    year: yearArb,
    questionMarkIn: fc.constantFrom("dayOfMonth" as const, "dayOfWeek" as const),
  })
  .map(({ questionMarkIn, ...spec }) =>
    questionMarkIn === "dayOfMonth"
      ? { ...spec, dayOfMonth: { kind: "?" } }
      : { ...spec, dayOfWeek: { kind: "?" } },
  );

const ZONES = [
  "Etc/UTC",
  "America/New_York",
  "Europe/London",
  "Australia/Lord_Howe",
  "Asia/Kolkata",
  "Pacific/Auckland",
];

// 2026 daylight-saving changes (spring forward, fall back) of the zones above.
const TRANSITIONS: ReadonlyArray<readonly [string, number]> = [
  ["America/New_York", Date.parse("2026-03-08T07:00Z")],
  ["America/New_York", Date.parse("2026-11-01T06:00Z")],
  ["Europe/London", Date.parse("2026-03-29T01:00Z")],
  ["Europe/London", Date.parse("2026-10-25T01:00Z")],
  ["Australia/Lord_Howe", Date.parse("2026-10-03T15:30Z")],
  ["Australia/Lord_Howe", Date.parse("2026-04-04T15:00Z")],
  ["Pacific/Auckland", Date.parse("2026-09-26T14:00Z")],
  ["Pacific/Auckland", Date.parse("2026-04-04T14:00Z")],
];

// Month ends, where L, LW, nW, nL and n#5 fire.
const monthEndArb: fc.Arbitrary<number> = fc
  .tuple(
    fc.integer({ min: 2025, max: 2032 }),
    fc.integer({ min: 0, max: 11 }),
    fc.integer({ min: -6 * DAY, max: DAY }),
  )
  .map(([year, month, offset]) => Date.UTC(year, month + 1, 1) + offset);

const HOUR = 60 * MINUTE;

/** A time zone and a start instant, often just before one of that zone's daylight-saving changes. */
const zoneAndStartArb: fc.Arbitrary<readonly [string, number]> = fc.oneof(
  fc.tuple(
    fc.constantFrom(...ZONES),
    fc.oneof(fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2033, 0, 1) }), monthEndArb),
  ),
  fc
    .tuple(
      fc.constantFrom(...TRANSITIONS),
      fc.oneof(fc.integer({ min: -DAY - 12 * HOUR, max: 0 }), fc.integer({ min: -3 * HOUR, max: HOUR })),
    )
    .map(([[zone, transition], offset]) => [zone, transition + offset] as const),
);

// ---- properties ------------------------------------------------------------------------------------------

describe("AWS cron evaluator against a minute-by-minute reference (property)", function () {
  this.timeout(60_000);

  it("next(after) is the first matching minute a naive scan finds, and matches() agrees", () => {
    const windowMinutes = 3 * 1440;
    fc.assert(
      fc.property(specArb, zoneAndStartArb, (spec, [timeZone, after]) => {
        const expression = render(spec);
        const schedule = parseAwsCron(expression);
        const actual = schedule.next(new Date(after), timeZone)?.getTime();
        const expected = naiveNext(spec, after, windowMinutes, timeZone);
        if (expected === undefined) {
          // nothing in the window: the implementation must not invent a run inside it
          if (actual !== undefined)
            expect(actual).to.be.at.least(Math.floor(after / MINUTE) * MINUTE + (windowMinutes + 1) * MINUTE);
        } else {
          expect(actual, expression).to.equal(expected);
        }
        if (actual !== undefined) {
          expect(schedule.matches(new Date(actual), timeZone), expression).to.equal(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("runsBetween and worstCaseIntervalMinutes agree with the naive scan over a short horizon", () => {
    fc.assert(
      fc.property(
        specArb,
        zoneAndStartArb,
        fc.integer({ min: 1, max: 2 }),
        (spec, [timeZone, from], horizonDays) => {
          const expression = render(spec);
          const schedule = parseAwsCron(expression);
          const horizonEnd = from + horizonDays * DAY;
          const runs = naiveRuns(spec, from, (horizonDays + 2) * 1440, timeZone);
          const inHorizon = runs.filter((run) => run < horizonEnd);

          const listed = schedule
            .runsBetween(new Date(from), new Date(horizonEnd), timeZone)
            .map((d) => d.getTime());
          expect(listed, expression).to.deep.equal(inHorizon);

          const worst = worstCaseIntervalMinutes(schedule, { from: new Date(from), horizonDays, timeZone });
          let restrictsYears = false;
          for (let year = 1970; year <= 2199; year++)
            restrictsYears ||= !fieldMatches(spec.year, year, 1970, 2199);
          if (restrictsYears || inHorizon.length === 0) {
            expect(worst, expression).to.equal(Infinity);
            return;
          }
          const successor = runs[inHorizon.length];
          if (successor === undefined) return; // the gap after the horizon's last run is longer than the scan
          let longest = 0;
          for (let i = 0; i < inHorizon.length; i++) longest = Math.max(longest, runs[i + 1] - runs[i]);
          expect(worst, expression).to.equal(longest / MINUTE);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("over whole years, the days chosen by L, LW, nW, nL, n#k and lists match a day-by-day reference", () => {
    fc.assert(
      fc.property(specArb, fc.integer({ min: 2025, max: 2032 }), (spec, year) => {
        const expression = render(spec);
        const from = Date.UTC(year, 0, 1);
        const to = Date.UTC(year + 1, 0, 1);
        const expected: number[] = [];
        for (let dayStart = from; dayStart < to; dayStart += DAY) {
          const date = new Date(dayStart);
          const day = { year, month: date.getUTCMonth() + 1, day: date.getUTCDate(), hour: 0, minute: 0 };
          if (!wallMatches(spec, { ...day, ...firstTime(spec) })) continue;
          for (let hour = 0; hour < 24; hour++) {
            for (let minute = 0; minute < 60; minute++) {
              if (wallMatches(spec, { ...day, hour, minute }))
                expected.push(dayStart + (hour * 60 + minute) * MINUTE);
            }
          }
        }
        const actual = parseAwsCron(expression)
          .runsBetween(new Date(from), new Date(to))
          .map((d) => d.getTime());
        expect(actual, expression).to.deep.equal(expected);
      }),
      { numRuns: 100 },
    );
  });

  it("rejects any Minutes field that selects more than one minute per hour", () => {
    fc.assert(
      fc.property(listArb(0, 59, { steps: true, names: false }), (minute) => {
        const selected = new Set<number>();
        for (let m = 0; m <= 59; m++) if (fieldMatches(minute, m, 0, 59)) selected.add(m);
        fc.pre(selected.size > 1);
        const text = renderItems(minute);
        expect(() => parseAwsCron(`cron(${text} 3 * * ? *)`)).to.throw(
          AwsCronError,
          `AWS Backup runs scheduled backups at most once an hour, but Minutes "${text}" selects ${selected.size} minutes of every hour`,
        );
      }),
      { numRuns: 200 },
    );
  });
});
