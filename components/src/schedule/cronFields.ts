// The six cron fields as EventBridge writes them, each parsed into the values it selects.
import { AwsCronError } from "./awsCronError";
import type { DayOfMonthSpec, DayOfWeekSpec } from "./calendarDays";

/** How one of the six cron fields may be written, per the EventBridge cron reference. */
export interface CronFieldSpec {
  /** Field name as AWS documents it, used in error messages. */
  readonly label: string;
  readonly min: number;
  readonly max: number;
  /** Optional names for the values `min`, `min + 1`, ...; matched case-insensitively. */
  readonly names?: readonly string[];
  /** The wildcards AWS allows in this field, space-separated as in the AWS table. */
  readonly wildcards: string;
  /** The item shapes accepted, for "malformed" messages. */
  readonly forms: string;
  /** Extra note appended to the value range in messages. */
  readonly rangeNote?: string;
}

const STEPPED_FORMS = "n, a-b, *, a/s, a-b/s or */s";

/** Minutes: 0-59, wildcards `, - * /`. */
export const MINUTES: CronFieldSpec = {
  label: "Minutes",
  min: 0,
  max: 59,
  wildcards: ", - * /",
  forms: STEPPED_FORMS,
};

/** Hours: 0-23, wildcards `, - * /`. */
export const HOURS: CronFieldSpec = {
  label: "Hours",
  min: 0,
  max: 23,
  wildcards: ", - * /",
  forms: STEPPED_FORMS,
};

/** Day-of-month: 1-31, wildcards `, - * ? / L W`. */
export const DAY_OF_MONTH: CronFieldSpec = {
  label: "Day-of-month",
  min: 1,
  max: 31,
  wildcards: ", - * ? / L W",
  forms: "?, n, a-b, *, a/s, a-b/s, */s, L, LW or nW",
};

/** Month: 1-12 or JAN-DEC, wildcards `, - * /`. */
export const MONTH: CronFieldSpec = {
  label: "Month",
  min: 1,
  max: 12,
  names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
  wildcards: ", - * /",
  forms: STEPPED_FORMS,
};

/** Day-of-week: 1-7 or SUN-SAT (SUN = 1), wildcards `, - * ? L #` (no steps). */
export const DAY_OF_WEEK: CronFieldSpec = {
  label: "Day-of-week",
  min: 1,
  max: 7,
  names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
  wildcards: ", - * ? L #",
  forms: "?, n, a-b, *, L, nL or n#k",
  rangeNote: " (SUN=1)",
};

/** Year: 1970-2199, wildcards `, - * /`. */
export const YEAR: CronFieldSpec = {
  label: "Year",
  min: 1970,
  max: 2199,
  wildcards: ", - * /",
  forms: STEPPED_FORMS,
};

type Wildcard = "," | "-" | "*" | "/" | "?" | "#" | "L" | "W";

type Token =
  | { readonly kind: "number"; readonly value: number; readonly start: number; readonly end: number }
  | { readonly kind: "name"; readonly value: number; readonly start: number; readonly end: number }
  | { readonly kind: "symbol"; readonly symbol: Wildcard; readonly start: number; readonly end: number };

/** One comma-separated entry of a field: its text and tokens, plus a shape signature such as `n-n/n`. */
interface Item {
  readonly text: string;
  readonly tokens: readonly Token[];
  /** `n` for a number, `a` for a name, symbols as themselves. */
  readonly shape: string;
}

/**
 * Parses Minutes, Hours, Month or Year into the sorted distinct values it selects.
 * @throws AwsCronError when the field breaks an AWS rule.
 */
export function parseValueField(text: string, spec: CronFieldSpec): number[] {
  return [...regularValues(items(text, spec), text, spec)].sort((a, b) => a - b);
}

/**
 * Parses Day-of-month; `undefined` means `?`.
 * @throws AwsCronError when the field breaks an AWS rule.
 */
export function parseDayOfMonth(text: string): DayOfMonthSpec | undefined {
  const spec = DAY_OF_MONTH;
  const entries = items(text, spec);
  if (isQuestionMark(entries, text, spec)) return undefined;
  const special = soleSpecialItem(entries, text, spec, ["L", "LW", "nW"]);
  if (special === undefined) return { kind: "days", days: regularValues(entries, text, spec) };
  switch (special.shape) {
    case "L":
      return { kind: "last" };
    case "LW":
      return { kind: "lastWeekday" };
    default:
      return { kind: "nearestWeekday", day: checkedValue(special.tokens[0], text, spec) };
  }
}

/**
 * Parses Day-of-week (1 = Sunday); `undefined` means `?`.
 * @throws AwsCronError when the field breaks an AWS rule.
 */
export function parseDayOfWeek(text: string): DayOfWeekSpec | undefined {
  const spec = DAY_OF_WEEK;
  const entries = items(text, spec);
  if (isQuestionMark(entries, text, spec)) return undefined;
  const special = soleSpecialItem(entries, text, spec, ["L", "nL", "n#n"]);
  if (special === undefined) return { kind: "days", days: regularValues(entries, text, spec) };
  switch (special.shape) {
    case "L":
      // EventBridge: "L ... specifies the last day of the ... week", i.e. Saturday, every week.
      return { kind: "days", days: new Set([spec.max]) };
    case "nL":
      return { kind: "lastInMonth", day: checkedValue(special.tokens[0], text, spec) };
    default: {
      const day = checkedValue(special.tokens[0], text, spec);
      const nth = tokenValue(special.tokens[2]);
      if (nth < 1 || nth > 5) fail(spec, text, `the occurrence after # must be between 1 and 5, got ${nth}`);
      return { kind: "nthInMonth", day, nth };
    }
  }
}

function fail(spec: CronFieldSpec, text: string, rule: string): never {
  throw new AwsCronError(`${spec.label} field "${text}": ${rule}`);
}

function items(text: string, spec: CronFieldSpec): Item[] {
  const tokens = tokenize(text, spec);
  const entries: Item[] = [];
  let current: Token[] = [];
  const close = (): void => {
    if (current.length === 0) fail(spec, text, "empty entry in the comma-separated list");
    const first = current[0];
    const last = current[current.length - 1];
    entries.push({
      text: text.slice(first.start, last.end),
      tokens: current,
      shape: current.map(shapeOf).join(""),
    });
    current = [];
  };
  for (const token of tokens) {
    if (token.kind === "symbol" && token.symbol === ",") close();
    else current.push(token);
  }
  close();
  return entries;
}

function shapeOf(token: Token): string {
  return token.kind === "number" ? "n" : token.kind === "name" ? "a" : token.symbol;
}

function tokenize(text: string, spec: CronFieldSpec): Token[] {
  const tokens: Token[] = [];
  const pattern = /(\d+)|([A-Za-z]+)|([,\-*/?#])|(.)/sy;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const start = match.index;
    const end = start + match[0].length;
    if (match[1] !== undefined) {
      tokens.push({ kind: "number", value: Number(match[1]), start, end });
    } else if (match[2] !== undefined) {
      tokens.push(...wordTokens(match[2], start, text, spec));
    } else if (match[3] !== undefined) {
      tokens.push({ kind: "symbol", symbol: allowedSymbol(match[3] as Wildcard, text, spec), start, end });
    } else {
      fail(spec, text, `"${match[4]}" is not part of AWS cron syntax`);
    }
  }
  return tokens;
}

// A run of letters is a month/day name, or the L and W wildcards (alone or as LW).
function wordTokens(word: string, start: number, text: string, spec: CronFieldSpec): Token[] {
  const upper = word.toUpperCase();
  const nameIndex = spec.names?.indexOf(upper) ?? -1;
  if (nameIndex >= 0) return [{ kind: "name", value: spec.min + nameIndex, start, end: start + word.length }];
  if (/^[LW]+$/.test(upper)) {
    return [...upper].map((letter, i) => ({
      kind: "symbol",
      symbol: allowedSymbol(letter as Wildcard, text, spec),
      start: start + i,
      end: start + i + 1,
    }));
  }
  const names = spec.names ? ` or a name ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : "";
  return fail(spec, text, `"${word}" is not a number${names}`);
}

function allowedSymbol(symbol: Wildcard, text: string, spec: CronFieldSpec): Wildcard {
  if (!spec.wildcards.split(" ").includes(symbol)) {
    fail(spec, text, `the ${symbol} wildcard is not allowed in ${spec.label} (allowed: ${spec.wildcards})`);
  }
  return symbol;
}

function isQuestionMark(entries: readonly Item[], text: string, spec: CronFieldSpec): boolean {
  if (!entries.some((item) => item.shape.includes("?"))) return false;
  if (entries.length !== 1 || entries[0].shape !== "?") {
    fail(spec, text, "? cannot be combined with anything else");
  }
  return true;
}

// L, W and # pick a single calendar-dependent day, so (as in Quartz, and as AWS documents for #) they must
// be the field's only expression.
function soleSpecialItem(
  entries: readonly Item[],
  text: string,
  spec: CronFieldSpec,
  shapes: readonly string[],
): Item | undefined {
  const special = entries.find((item) => shapes.includes(item.shape));
  if (special === undefined || entries.length === 1) return special;
  if (special.shape.includes("#")) fail(spec, text, "with # only one expression is allowed in the field");
  return fail(spec, text, `"${special.text}" cannot be combined with other expressions in the field`);
}

function regularValues(entries: readonly Item[], text: string, spec: CronFieldSpec): Set<number> {
  const selected = new Set<number>();
  for (const item of entries) addRegularItem(item, text, spec, selected);
  return selected;
}

// Regular shapes (names allowed wherever a number is, except as a step):
//   *  */s  v  v/s  v-v  v-v/s
function addRegularItem(item: Item, text: string, spec: CronFieldSpec, into: Set<number>): void {
  const shape = item.shape.replace(/a/g, "n");
  const slash = shape.indexOf("/");
  const base = slash < 0 ? shape : shape.slice(0, slash);
  const stepToken = slash < 0 ? undefined : item.tokens[slash + 1];
  const wellFormed =
    ["*", "n", "n-n"].includes(base) &&
    (slash < 0 || (shape.slice(slash) === "/n" && stepToken?.kind === "number"));
  if (!wellFormed) fail(spec, text, `"${item.text}" is not one of the forms allowed here: ${spec.forms}`);

  // a/s without an end runs to the field's maximum, as * does
  const from = base === "*" ? spec.min : checkedValue(item.tokens[0], text, spec);
  const to =
    base === "n-n"
      ? checkedValue(item.tokens[2], text, spec)
      : base === "*" || stepToken !== undefined
        ? spec.max
        : from;
  if (to < from) {
    fail(
      spec,
      text,
      `range "${item.text}" runs from high to low; only low-high ranges are accepted (no wrap-around)`,
    );
  }
  const step = stepToken === undefined ? 1 : tokenValue(stepToken);
  const maxStep = spec.max - spec.min;
  if (step < 1 || step > maxStep)
    fail(spec, text, `step ${step} in "${item.text}" must be between 1 and ${maxStep}`);
  for (let value = from; value <= to; value += step) into.add(value);
}

function checkedValue(token: Token, text: string, spec: CronFieldSpec): number {
  const value = tokenValue(token);
  if (value < spec.min || value > spec.max) {
    const names = spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : "";
    fail(spec, text, `${value} is outside ${spec.min}-${spec.max}${names}${spec.rangeNote ?? ""}`);
  }
  return value;
}

function tokenValue(token: Token): number {
  if (token.kind === "symbol") throw new Error(`internal: ${token.symbol} has no value`);
  return token.value;
}
