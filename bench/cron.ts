/**
 * How fast the AWS cron evaluator is: microseconds per `next()` call for common schedules in UTC and in a
 * daylight-saving zone, and milliseconds for a worst-case interval over a year (what each rule's RPO costs
 * at preview). Prints figures; asserts nothing.
 */
import { parseAwsCron, worstCaseIntervalMinutes } from "../components/src/schedule";

const EXPRESSIONS = ["cron(0 3 * * ? *)", "cron(0 * * * ? *)", "cron(0 3 ? * 2-6 *)", "cron(0 0 L * ? *)"];
const TIME_ZONES = ["Etc/UTC", "America/New_York"];
const CALLS = 20_000;

function microsecondsPerNext(expression: string, timeZone: string): number {
  const schedule = parseAwsCron(expression);
  let after = new Date(Date.UTC(2026, 0, 1));
  const started = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) after = schedule.next(after, timeZone) ?? after;
  return Number(process.hrtime.bigint() - started) / 1e3 / CALLS;
}

function millisecondsPerYear(expression: string, timeZone: string): number {
  const schedule = parseAwsCron(expression);
  const started = process.hrtime.bigint();
  worstCaseIntervalMinutes(schedule, { timeZone });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

console.log(`AWS cron evaluator, ${CALLS} next() calls per schedule (node ${process.version})`);
console.log(
  ["SCHEDULE".padEnd(24), "TIME ZONE".padEnd(18), "µs/next()".padStart(10), "ms/year gap".padStart(12)].join(
    " ",
  ),
);
for (const timeZone of TIME_ZONES) {
  for (const expression of EXPRESSIONS) {
    microsecondsPerNext(expression, timeZone); // warm up
    console.log(
      [
        expression.padEnd(24),
        timeZone.padEnd(18),
        microsecondsPerNext(expression, timeZone).toFixed(2).padStart(10),
        millisecondsPerYear(expression, timeZone).toFixed(1).padStart(12),
      ].join(" "),
    );
  }
}
