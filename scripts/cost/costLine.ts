/** The line builder: one priced line of the estimate from its named fields, with its arithmetic written out. */
import { cents, unitUsd, usd } from "./amounts";
import { PriceBook, PriceKey } from "./prices";

/** Which part of the bill a line belongs to. */
export type CostSection =
  | "primary vault"
  | "DR vault"
  | "isolated vault"
  | "cross-region copies"
  | "S3 replication"
  | "idle dr stack"
  | "keys and alarms"
  | "audit framework";

/** One line of the estimate, with the arithmetic that gives it. */
export interface CostLine {
  readonly section: CostSection;
  readonly item: string;
  /** Amount of `unit` per month (or once, for one-time lines). */
  readonly quantity: number;
  readonly unit: string;
  /** Dollars per `unit`. */
  readonly unitPrice: number;
  /** Dollars per month (once, for one-time lines), rounded to the cent. */
  readonly monthly: number;
  /** Every factor, written out: `500 GB full + 96 x 10 GB = 1,460 GB-month x $0.095 = $138.70`. */
  readonly arithmetic: string;
  /** The price key used. */
  readonly price: PriceKey;
}

/** What one cost concern adds to the estimate: monthly lines, one-time lines and notes. */
export interface CostPart {
  readonly lines: readonly CostLine[];
  readonly oneTime?: readonly CostLine[];
  readonly notes?: readonly string[];
}

/** What a line is: where it belongs, what it counts, at which price, and how the count is reached. */
export interface CostLineFields {
  readonly section: CostSection;
  readonly item: string;
  /** Amount of `unit` per month (or once, for one-time lines). */
  readonly quantity: number;
  readonly unit: string;
  /** The price file's key for the price of one `unit`. */
  readonly price: PriceKey;
  /** How `quantity` is reached, term by term; the line adds ` x <unit price> = <amount>`. */
  readonly terms: string;
}

/** The line `fields` describe at `prices`: its unit price, its amount rounded to the cent and its arithmetic. */
export function costLine(prices: PriceBook, fields: CostLineFields): CostLine {
  const { section, item, quantity, unit, price: key, terms } = fields;
  const unitPrice = prices.prices[key].usd;
  const monthly = cents(quantity * unitPrice);
  return {
    section,
    item,
    quantity,
    unit,
    unitPrice,
    monthly,
    price: key,
    arithmetic: `${terms} x ${unitUsd(unitPrice)}/${prices.prices[key].unit} = ${usd(monthly)}`,
  };
}
