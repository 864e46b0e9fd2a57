/** How the cost model rounds and writes amounts: cents, plain numbers, dollars and unit prices. */

/** Rounds to the cent, half up, after removing binary floating-point noise (730 x 0.0225 = 16.43). */
export function cents(amount: number): number {
  return Math.round(Number((amount * 100).toPrecision(12))) / 100;
}

/** A number for arithmetic text: whole numbers plain, others to 2 decimals (4 below 10), with separators. */
export function num(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  const digits = Math.abs(value) >= 10 ? 2 : 4;
  return value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** Dollars to the cent: `$1,234.56`. */
export function usd(amount: number): string {
  return `${amount < 0 ? "-" : ""}$${Math.abs(amount).toLocaleString("en-US", {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;
}

/** A unit price as the price file gives it: `$0.0125`. */
export function unitUsd(price: number): string {
  return `$${price}`;
}
