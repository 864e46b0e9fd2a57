import { expect } from "chai";

import { AwsCronError, parseAwsCron, worstCaseIntervalMinutes } from "../../components/src/schedule";

const utc = (iso: string): Date => new Date(`${iso}Z`);
const NEW_YORK = "America/New_York";

describe("parseAwsCron: validation", () => {
  const FIELDS = "Minutes Hours Day-of-month Month Day-of-week Year";
  const rejected: ReadonlyArray<readonly [string, string, string]> = [
    // [rule, expression, exact message]
    [
      "rate() is unsupported",
      "rate(1 hour)",
      'AWS Backup supports only cron() schedules, not rate(): "rate(1 hour)"',
    ],
    ["must be cron(...)", "0 3 * * ? *", `schedule must be written as cron(${FIELDS}): "0 3 * * ? *"`],
    [
      "must be cron(...) with nothing after it",
      "cron(0 3 * * ? *) ",
      `schedule must be written as cron(${FIELDS}): "cron(0 3 * * ? *) "`,
    ],
    [
      "six fields: too few",
      "cron(0 3 * *)",
      `cron() needs exactly 6 space-separated fields (${FIELDS}), found 4: "0 3 * *"`,
    ],
    [
      "six fields: too many (Quartz seconds field)",
      "cron(0 0 3 * * ? *)",
      `cron() needs exactly 6 space-separated fields (${FIELDS}), found 7: "0 0 3 * * ? *"`,
    ],
    ["six fields: empty", "cron()", `cron() needs exactly 6 space-separated fields (${FIELDS}), found 0: ""`],
    ["minutes range", "cron(60 3 * * ? *)", 'Minutes field "60": 60 is outside 0-59'],
    ["hours range", "cron(0 0-24 * * ? *)", 'Hours field "0-24": 24 is outside 0-23'],
    ["day-of-month range (low)", "cron(0 3 0 * ? *)", 'Day-of-month field "0": 0 is outside 1-31'],
    ["day-of-month range (W)", "cron(0 3 32W * ? *)", 'Day-of-month field "32W": 32 is outside 1-31'],
    ["month range", "cron(0 3 1 13 ? *)", 'Month field "13": 13 is outside 1-12 or JAN-DEC'],
    [
      "day-of-week range (SUN=1)",
      "cron(0 3 ? * 0 *)",
      'Day-of-week field "0": 0 is outside 1-7 or SUN-SAT (SUN=1)',
    ],
    [
      "day-of-week range (L)",
      "cron(0 3 ? * 8L *)",
      'Day-of-week field "8L": 8 is outside 1-7 or SUN-SAT (SUN=1)',
    ],
    ["year range (low)", "cron(0 3 * * ? 1969)", 'Year field "1969": 1969 is outside 1970-2199'],
    ["year range (high)", "cron(0 3 * * ? 2026-2200)", 'Year field "2026-2200": 2200 is outside 1970-2199'],
    [
      "no ? in Minutes",
      "cron(? 3 * * ? *)",
      'Minutes field "?": the ? wildcard is not allowed in Minutes (allowed: , - * /)',
    ],
    [
      "no L in Hours",
      "cron(0 L * * ? *)",
      'Hours field "L": the L wildcard is not allowed in Hours (allowed: , - * /)',
    ],
    [
      "no # in Day-of-month",
      "cron(0 3 1#2 * ? *)",
      'Day-of-month field "1#2": the # wildcard is not allowed in Day-of-month (allowed: , - * ? / L W)',
    ],
    [
      "no W in Month",
      "cron(0 3 1 1W ? *)",
      'Month field "1W": the W wildcard is not allowed in Month (allowed: , - * /)',
    ],
    [
      "no / in Day-of-week",
      "cron(0 3 ? * 1/2 *)",
      'Day-of-week field "1/2": the / wildcard is not allowed in Day-of-week (allowed: , - * ? L #)',
    ],
    [
      "no W in Day-of-week",
      "cron(0 3 ? * 2W *)",
      'Day-of-week field "2W": the W wildcard is not allowed in Day-of-week (allowed: , - * ? L #)',
    ],
    [
      "no ? in Year",
      "cron(0 3 * * ? ?)",
      'Year field "?": the ? wildcard is not allowed in Year (allowed: , - * /)',
    ],
    [
      "not * in both day fields",
      "cron(0 3 * * * *)",
      'Day-of-month "*" and Day-of-week "*" are both set (values or *); exactly one of them must be ?',
    ],
    [
      "not values in both day fields",
      "cron(0 3 1 * MON *)",
      'Day-of-month "1" and Day-of-week "MON" are both set (values or *); exactly one of them must be ?',
    ],
    [
      "not ? in both day fields",
      "cron(0 3 ? * ? *)",
      'Day-of-month "?" and Day-of-week "?" are both ?; exactly one of them must be ?',
    ],
    [
      "? stands alone",
      "cron(0 3 ?,5 * * *)",
      'Day-of-month field "?,5": ? cannot be combined with anything else',
    ],
    [
      "# only once in Day-of-week",
      "cron(0 3 ? * 3#1,6#3 *)",
      'Day-of-week field "3#1,6#3": with # only one expression is allowed in the field',
    ],
    [
      "# occurrence 1-5",
      "cron(0 3 ? * 2#6 *)",
      'Day-of-week field "2#6": the occurrence after # must be between 1 and 5, got 6',
    ],
    [
      "# occurrence is not 0",
      "cron(0 3 ? * 2#0 *)",
      'Day-of-week field "2#0": the occurrence after # must be between 1 and 5, got 0',
    ],
    [
      "nL stands alone",
      "cron(0 3 ? * 6L,2 *)",
      'Day-of-week field "6L,2": "6L" cannot be combined with other expressions in the field',
    ],
    [
      "L stands alone in Day-of-month",
      "cron(0 3 L,15 * ? *)",
      'Day-of-month field "L,15": "L" cannot be combined with other expressions in the field',
    ],
    [
      "nW stands alone",
      "cron(0 3 1,15W * ? *)",
      'Day-of-month field "1,15W": "15W" cannot be combined with other expressions in the field',
    ],
    [
      "no L-n offsets (undocumented by AWS)",
      "cron(0 3 L-3 * ? *)",
      'Day-of-month field "L-3": "L-3" is not one of the forms allowed here: ?, n, a-b, *, a/s, a-b/s, */s, L, LW or nW',
    ],
    [
      "# and L take day numbers",
      "cron(0 3 ? * FRI#2 *)",
      'Day-of-week field "FRI#2": "FRI#2" is not one of the forms allowed here: ?, n, a-b, *, L, nL or n#k',
    ],
    [
      "malformed range",
      "cron(0 1--2 * * ? *)",
      'Hours field "1--2": "1--2" is not one of the forms allowed here: n, a-b, *, a/s, a-b/s or */s',
    ],
    [
      "step needs a start",
      "cron(0 /2 * * ? *)",
      'Hours field "/2": "/2" is not one of the forms allowed here: n, a-b, *, a/s, a-b/s or */s',
    ],
    ["step at least 1", "cron(0 */0 * * ? *)", 'Hours field "*/0": step 0 in "*/0" must be between 1 and 23'],
    [
      "step at most the field span",
      "cron(0 0/24 * * ? *)",
      'Hours field "0/24": step 24 in "0/24" must be between 1 and 23',
    ],
    [
      "ranges run low-high",
      "cron(0 22-2 * * ? *)",
      'Hours field "22-2": range "22-2" runs from high to low; only low-high ranges are accepted (no wrap-around)',
    ],
    [
      "named ranges run low-high",
      "cron(0 3 ? * FRI-MON *)",
      'Day-of-week field "FRI-MON": range "FRI-MON" runs from high to low; only low-high ranges are accepted (no wrap-around)',
    ],
    [
      "empty list entry",
      "cron(0 1,,2 * * ? *)",
      'Hours field "1,,2": empty entry in the comma-separated list',
    ],
    ["unknown word", "cron(0 3 * FOO ? *)", 'Month field "FOO": "FOO" is not a number or a name JAN-DEC'],
    ["words in numeric fields", "cron(abc 3 * * ? *)", 'Minutes field "abc": "abc" is not a number'],
    ["foreign characters", "cron(0 1.5 * * ? *)", 'Hours field "1.5": "." is not part of AWS cron syntax'],
    [
      "at most hourly: step",
      "cron(0/30 * * * ? *)",
      'AWS Backup runs scheduled backups at most once an hour, but Minutes "0/30" selects 2 minutes of every hour',
    ],
    [
      "at most hourly: list",
      "cron(0,30 3 * * ? *)",
      'AWS Backup runs scheduled backups at most once an hour, but Minutes "0,30" selects 2 minutes of every hour',
    ],
    [
      "at most hourly: every minute",
      "cron(* 3 * * ? *)",
      'AWS Backup runs scheduled backups at most once an hour, but Minutes "*" selects 60 minutes of every hour',
    ],
  ];

  for (const [rule, expression, message] of rejected) {
    it(`rejects ${expression} (${rule})`, () => {
      expect(() => parseAwsCron(expression)).to.throw(AwsCronError, message);
      try {
        parseAwsCron(expression);
      } catch (error) {
        expect((error as Error).message).to.equal(message);
      }
    });
  }

  it("rejects a non-string value from untyped configuration", () => {
    expect(() => parseAwsCron(42 as unknown as string)).to.throw(
      AwsCronError,
      'schedule must be written as cron(Minutes Hours Day-of-month Month Day-of-week Year): "42"',
    );
  });

  it("AwsCronError is an Error named AwsCronError", () => {
    const error = new AwsCronError("x");
    expect(error).to.be.instanceOf(Error);
    expect(error.name).to.equal("AwsCronError");
  });

  const accepted = [
    // examples from the AWS Backup and EventBridge documentation
    "cron(0 5 ? * * *)",
    "cron(0 3 * * ? *)",
    "cron(0 * * * ? *)",
    "cron(0 12 ? * MON-FRI *)",
    "cron(0 8 1 * ? *)",
    "cron(15 10 ? * 6L 2026-2030)",
    "cron(0 18 ? * 2#1 *)",
    "cron(0 0 L * ? *)",
    "cron(0 0 15W * ? *)",
    "cron(0 0 LW * ? *)",
    // further valid shapes
    "cron(0 12 ? * mon-fri *)",
    "cron(0 0 ? JAN,JUL * *)",
    "cron(45/30 */6 1-15/2 * ? 2026/2)",
    "cron(5,5 3 * * ? *)",
    "cron(0 3 ? * L *)",
    "cron(0 3 ? * 1,7 *)",
    "cron( 0  3 * * ? * )",
  ];
  for (const expression of accepted) {
    it(`accepts ${expression}`, () => {
      expect(parseAwsCron(expression).expression).to.equal(expression);
    });
  }
});

describe("AwsCronSchedule.next", () => {
  const cases: ReadonlyArray<readonly [string, string, string | undefined, string?]> = [
    // [expression, after (UTC), expected next (UTC) or undefined, time zone]
    ["cron(0 3 * * ? *)", "2026-01-01T02:59:59.999", "2026-01-01T03:00"],
    ["cron(0 3 * * ? *)", "2026-01-01T03:00", "2026-01-02T03:00"],
    ["cron(0 3 * * ? *)", "2026-12-31T03:00", "2027-01-01T03:00"],
    ["cron(0 * * * ? *)", "2026-01-01T10:00:30", "2026-01-01T11:00"],
    ["cron(0 5 ? * * *)", "2026-06-30T05:00", "2026-07-01T05:00"],
    ["cron(0 12 ? * MON-FRI *)", "2026-01-02T12:00", "2026-01-05T12:00"],
    ["cron(0 8 1 * ? *)", "2026-01-01T08:00", "2026-02-01T08:00"],
    ["cron(0 18 ? * 2#1 *)", "2026-01-06T00:00", "2026-02-02T18:00"],
    ["cron(0 0 ? * 1#5 *)", "2026-02-01T00:00", "2026-03-29T00:00"],
    ["cron(0 0 ? * L *)", "2026-01-01T00:00", "2026-01-03T00:00"],
    ["cron(15 10 ? * 6L 2026-2030)", "2026-01-01T00:00", "2026-01-30T10:15"],
    ["cron(15 10 ? * 6L 2026-2030)", "2030-12-27T10:14", "2030-12-27T10:15"],
    ["cron(15 10 ? * 6L 2026-2030)", "2030-12-27T10:15", undefined],
    ["cron(0 0 L * ? *)", "2026-01-31T00:00", "2026-02-28T00:00"],
    ["cron(0 0 L * ? *)", "2028-01-31T00:00", "2028-02-29T00:00"],
    ["cron(0 0 L * ? *)", "2100-01-31T00:00", "2100-02-28T00:00"],
    ["cron(0 0 L * ? *)", "2026-04-30T00:00", "2026-05-31T00:00"],
    ["cron(0 0 LW * ? *)", "2026-05-01T00:00", "2026-05-29T00:00"],
    ["cron(0 0 15W * ? *)", "2026-08-01T00:00", "2026-08-14T00:00"],
    ["cron(0 0 15W * ? *)", "2026-02-01T00:00", "2026-02-16T00:00"],
    ["cron(0 0 1W * ? *)", "2026-07-31T00:00", "2026-08-03T00:00"],
    ["cron(0 0 31W * ? *)", "2026-05-01T00:00", "2026-05-29T00:00"],
    ["cron(0 0 31W * ? *)", "2026-03-31T00:00", "2026-05-29T00:00"],
    ["cron(0 0 29 2 ? *)", "2026-01-01T00:00", "2028-02-29T00:00"],
    ["cron(0 0 30 2 ? *)", "2026-01-01T00:00", undefined],
    ["cron(0 0 1 1 ? 2030)", "2026-05-05T00:00", "2030-01-01T00:00"],
    ["cron(0 0 1 1 ? 2030)", "2030-01-01T00:00", undefined],
    ["cron(0 3 * * ? *)", "1960-06-01T00:00", "1970-01-01T03:00"],
    ["cron(59 23 31 12 ? *)", "2199-12-31T23:58", "2199-12-31T23:59"],
    ["cron(59 23 31 12 ? *)", "2199-12-31T23:59", undefined],
    // Asia/Kolkata is UTC+05:30 all year
    ["cron(0 3 * * ? *)", "2026-01-01T00:00", "2026-01-01T21:30", "Asia/Kolkata"],
    // 02:30 does not exist in New York on 2026-03-08 (spring forward): that run is skipped
    ["cron(30 2 * * ? *)", "2026-03-07T12:00", "2026-03-09T06:30", NEW_YORK],
    // 01:30 happens twice on 2026-11-01 (fall back): the run is at the first one (EDT) only
    ["cron(30 1 * * ? *)", "2026-11-01T00:00", "2026-11-01T05:30", NEW_YORK],
    ["cron(30 1 * * ? *)", "2026-11-01T05:30", "2026-11-02T06:30", NEW_YORK],
    // Lord Howe Island moves its clocks by 30 minutes: 02:15 is skipped on 2026-10-04
    ["cron(15 2 * * ? *)", "2026-10-02T16:00", "2026-10-04T15:15", "Australia/Lord_Howe"],
  ];

  for (const [expression, after, expected, timeZone] of cases) {
    it(`${expression}${timeZone ? ` in ${timeZone}` : ""} after ${after}Z -> ${expected ?? "none"}`, () => {
      const next = parseAwsCron(expression).next(utc(after), timeZone);
      expect(next?.toISOString()).to.equal(expected === undefined ? undefined : utc(expected).toISOString());
    });
  }

  it("defaults to Etc/UTC", () => {
    const schedule = parseAwsCron("cron(0 3 * * ? *)");
    const after = utc("2026-01-01T00:00");
    expect(schedule.next(after)?.getTime()).to.equal(schedule.next(after, "Etc/UTC")?.getTime());
  });

  it("rejects invalid dates and unknown time zones with RangeError", () => {
    const schedule = parseAwsCron("cron(0 3 * * ? *)");
    expect(() => schedule.next(new Date(NaN))).to.throw(
      RangeError,
      "expected a valid Date, got Invalid Date",
    );
    expect(() => schedule.next(utc("2026-01-01T00:00"), "Mars/Olympus")).to.throw(
      RangeError,
      'unknown IANA time zone "Mars/Olympus"',
    );
  });
});

describe("AwsCronSchedule.matches and runsBetween", () => {
  it("matches the whole scheduled minute and nothing else", () => {
    const schedule = parseAwsCron("cron(0 3 * * ? *)");
    expect(schedule.matches(utc("2026-03-10T03:00"))).to.equal(true);
    expect(schedule.matches(utc("2026-03-10T03:00:59.999"))).to.equal(true);
    expect(schedule.matches(utc("2026-03-10T03:01"))).to.equal(false);
    expect(schedule.matches(utc("2026-03-10T02:59:59.999"))).to.equal(false);
  });

  it("evaluates wall-clock time in the time zone", () => {
    const schedule = parseAwsCron("cron(0 3 * * ? *)");
    expect(schedule.matches(utc("2026-07-01T07:00"), NEW_YORK)).to.equal(true);
    expect(schedule.matches(utc("2026-01-01T08:00"), NEW_YORK)).to.equal(true);
    expect(schedule.matches(utc("2026-07-01T03:00"), NEW_YORK)).to.equal(false);
  });

  it("matches only the first occurrence of a repeated local time", () => {
    const schedule = parseAwsCron("cron(30 1 * * ? *)");
    expect(schedule.matches(utc("2026-11-01T05:30"), NEW_YORK)).to.equal(true);
    expect(schedule.matches(utc("2026-11-01T06:30"), NEW_YORK)).to.equal(false);
  });

  it("lists runs in [from, to)", () => {
    const runs = parseAwsCron("cron(0 12 ? * MON-FRI *)").runsBetween(
      utc("2026-01-01T12:00"),
      utc("2026-01-06T12:00"),
    );
    expect(runs.map((run) => run.toISOString())).to.deep.equal([
      "2026-01-01T12:00:00.000Z",
      "2026-01-02T12:00:00.000Z",
      "2026-01-05T12:00:00.000Z",
    ]);
  });

  it("lists every hourly run across a fall-back change once", () => {
    const runs = parseAwsCron("cron(0 * * * ? *)").runsBetween(
      utc("2026-11-01T04:00"),
      utc("2026-11-01T09:00"),
      NEW_YORK,
    );
    // 00:00 EDT, 01:00 EDT, (01:00 EST repeats and is skipped), 02:00 EST, 03:00 EST
    expect(runs.map((run) => run.toISOString())).to.deep.equal([
      "2026-11-01T04:00:00.000Z",
      "2026-11-01T05:00:00.000Z",
      "2026-11-01T07:00:00.000Z",
      "2026-11-01T08:00:00.000Z",
    ]);
  });
});

describe("worstCaseIntervalMinutes", () => {
  const cases: ReadonlyArray<
    readonly [string, number, { timeZone?: string; from?: Date; horizonDays?: number }?]
  > = [
    ["cron(0 3 * * ? *)", 1440],
    ["cron(0 * * * ? *)", 60],
    ["cron(0 3 ? * 2-6 *)", 4320],
    ["cron(0 12 ? * MON-FRI *)", 4320],
    ["cron(0 5 ? * * *)", 1440],
    ["cron(0 8 1 * ? *)", 31 * 1440],
    ["cron(0 0 L * ? *)", 31 * 1440],
    ["cron(0 18 ? * 2#1 *)", 35 * 1440],
    ["cron(0 0 1 1 ? *)", 365 * 1440],
    ["cron(0 3 * * ? 2026-2030)", Infinity],
    ["cron(0 0 30 2 ? *)", Infinity],
    ["cron(0 0 29 2 ? *)", Infinity],
    ["cron(0 0 29 2 ? *)", (4 * 365 + 1) * 1440, { from: utc("2028-01-01T00:00") }],
    ["cron(0 3 * * ? *)", 1440, { horizonDays: 1 }],
    ["cron(0 0 1W * ? *)", 32 * 1440, { horizonDays: 100 }],
    // spring forward skips 02:30 on 2026-03-08: Mar 7 02:30 EST -> Mar 9 02:30 EDT
    ["cron(30 2 * * ? *)", 47 * 60, { timeZone: NEW_YORK }],
    // the repeated 01:00 on 2026-11-01 runs once, leaving two hours between 01:00 EDT and 02:00 EST
    ["cron(0 * * * ? *)", 120, { timeZone: NEW_YORK }],
    // a fall-back day is 25 hours long
    ["cron(0 12 * * ? *)", 25 * 60, { timeZone: NEW_YORK }],
    ["cron(0 3 * * ? *)", 1440, { timeZone: "Asia/Kolkata" }],
  ];

  for (const [expression, expected, opts] of cases) {
    it(`${expression} ${opts ? JSON.stringify(opts) : ""} -> ${expected}`, () => {
      expect(worstCaseIntervalMinutes(parseAwsCron(expression), opts)).to.equal(expected);
    });
  }

  it("rejects a non-positive horizon", () => {
    const schedule = parseAwsCron("cron(0 3 * * ? *)");
    expect(() => worstCaseIntervalMinutes(schedule, { horizonDays: 0 })).to.throw(
      RangeError,
      "horizonDays must be a positive number of days, got 0",
    );
  });
});
