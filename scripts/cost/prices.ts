/** The price files (data/prices/*.json): the keys the estimate needs, checked and loaded. */
import * as fs from "fs";
import * as path from "path";
import { REPOSITORY_DIR } from "../repository";

/** The price file the `cost` command uses unless `--prices` names another. */
export const DEFAULT_PRICES_FILE = path.join(
  REPOSITORY_DIR,
  "data",
  "prices",
  "aws-us-east-1-us-west-2-2026-11.json",
);

/** Schema tag every price file carries, so a file written for another layout is refused. */
export const PRICES_SCHEMA = "restorekit-prices/1";

/** The prices the estimate needs, by key. Every key must be in a price file. */
export const PRICE_KEYS = [
  "backupWarmRds",
  "backupWarmEbs",
  "backupColdEbs",
  "backupWarmDynamodb",
  "backupColdDynamodb",
  "backupIsolatedRds",
  "backupIsolatedEbs",
  "backupIsolatedDynamodb",
  "crossRegionTransfer",
  "s3Standard",
  "s3StandardIa",
  "s3PutRequests",
  "s3ReplicationTimeControl",
  "albHour",
  "albLcuHour",
  "publicIpv4Hour",
  "natGatewayHour",
  "kmsKeyMonth",
  "cloudwatchAlarmMonth",
  "vpcInterfaceEndpointAzHour",
  "route53HealthCheckMonth",
  "backupAuditControlEvaluation",
] as const;

/** One of {@link PRICE_KEYS}. */
export type PriceKey = (typeof PRICE_KEYS)[number];

/** One price: an amount per unit, and which of the file's `source` pages it comes from. */
export interface Price {
  /** US dollars per `unit`. */
  readonly usd: number;
  /** What one unit is, e.g. `GB-month`, `1,000 requests`, `ALB-hour`. */
  readonly unit: string;
  /** Key of the file's `source` map naming the pricing page. */
  readonly source: string;
  /** What the price covers. */
  readonly note?: string;
}

/** A dated price file (data/prices/*.json): where the prices come from, and the prices. */
export interface PriceBook {
  readonly schema: string;
  readonly title: string;
  /** The date the prices were read from the pages, `YYYY-MM-DD`. */
  readonly asOf: string;
  readonly currency: string;
  /** The regions the prices apply to. */
  readonly regions: readonly string[];
  /** How the prices were compiled and that they must be checked. */
  readonly notice: string;
  /** Hours in a billing month (AWS uses 730). */
  readonly hoursPerMonth: number;
  /** Pricing pages, by key. */
  readonly source: Readonly<Record<string, string>>;
  readonly prices: Readonly<Record<PriceKey, Price>>;
  /** The file the book was read from, when it was read from one. */
  readonly file?: string;
}

/**
 * Checks that `raw` is a complete price book: every key of {@link PRICE_KEYS} with a non-negative amount,
 * a unit and a source that the `source` map names with an https URL, a valid `asOf` date and a notice.
 * @throws Error listing every problem, each naming the field.
 */
export function parsePriceBook(raw: unknown, file?: string): PriceBook {
  const problems: string[] = [];
  const where = file ? `${file}: ` : "";
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new Error(`${where}a price file must be a JSON object`);
  }
  const book = raw as Record<string, unknown>;
  const text = (key: string) => {
    if (typeof book[key] !== "string" || (book[key] as string).trim() === "") {
      problems.push(`"${key}" must be a non-empty string`);
      return "";
    }
    return book[key] as string;
  };
  const schema = text("schema");
  if (schema !== "" && schema !== PRICES_SCHEMA) {
    problems.push(
      `"schema" is ${JSON.stringify(schema)}; this estimator reads ${JSON.stringify(PRICES_SCHEMA)}`,
    );
  }
  const title = text("title");
  const asOf = text("asOf");
  if (asOf !== "" && !(/^\d{4}-\d{2}-\d{2}$/.test(asOf) && !Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))) {
    problems.push(`"asOf" (${asOf}) must be a date written YYYY-MM-DD`);
  }
  const currency = text("currency");
  const notice = text("notice");
  const regions = Array.isArray(book.regions) ? book.regions.filter((r) => typeof r === "string") : [];
  if (regions.length === 0) {
    problems.push(`"regions" must list the regions the prices apply to`);
  }
  const hoursPerMonth = book.hoursPerMonth;
  if (typeof hoursPerMonth !== "number" || !(hoursPerMonth > 0)) {
    problems.push(`"hoursPerMonth" must be a positive number (AWS uses 730)`);
  }
  const source =
    typeof book.source === "object" && book.source !== null && !Array.isArray(book.source)
      ? (book.source as Record<string, unknown>)
      : {};
  for (const [key, url] of Object.entries(source)) {
    if (typeof url !== "string" || !/^https:\/\/\S+$/.test(url)) {
      problems.push(`"source.${key}" must be an https URL`);
    }
  }
  if (Object.keys(source).length === 0) {
    problems.push(`"source" must map page keys to the pricing pages' URLs`);
  }
  const rawPrices =
    typeof book.prices === "object" && book.prices !== null && !Array.isArray(book.prices)
      ? (book.prices as Record<string, unknown>)
      : {};
  const prices = {} as Record<PriceKey, Price>;
  for (const key of PRICE_KEYS) {
    const entry = rawPrices[key] as Record<string, unknown> | undefined;
    if (typeof entry !== "object" || entry === null) {
      problems.push(`"prices.${key}" is missing`);
      continue;
    }
    const usd = entry.usd;
    if (typeof usd !== "number" || !Number.isFinite(usd) || usd < 0) {
      problems.push(`"prices.${key}.usd" must be a non-negative number`);
    }
    if (typeof entry.unit !== "string" || entry.unit === "") {
      problems.push(`"prices.${key}.unit" must name the unit`);
    }
    if (typeof entry.source !== "string" || !(entry.source in source)) {
      problems.push(`"prices.${key}.source" must be one of the keys of "source"`);
    }
    prices[key] = {
      usd: Number(usd),
      unit: String(entry.unit),
      source: String(entry.source),
      ...(typeof entry.note === "string" && { note: entry.note }),
    };
  }
  if (problems.length > 0) {
    throw new Error(`${where}invalid price file:\n  ${problems.join("\n  ")}`);
  }
  return {
    schema,
    title,
    asOf,
    currency,
    regions,
    notice,
    hoursPerMonth: hoursPerMonth as number,
    source: source as Record<string, string>,
    prices,
    ...(file !== undefined && { file }),
  };
}

/**
 * Reads and checks a price file.
 * @param file path of the JSON file. @default {@link DEFAULT_PRICES_FILE}
 */
export function loadPriceBook(file: string = DEFAULT_PRICES_FILE): PriceBook {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`cannot read price file ${file}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`price file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parsePriceBook(raw, file);
}
