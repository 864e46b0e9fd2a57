// Instants to wall-clock times and back in one IANA time zone, with UTC as plain arithmetic.
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/** A wall-clock time to the minute; `month` is 1-12. */
export interface WallTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/**
 * Converts between instants (epoch milliseconds) and wall-clock times in one IANA time zone.
 *
 * Local times are handled as "local epoch" milliseconds: the wall-clock time written as if it were UTC.
 */
export interface ZonedClock {
  /** The wall-clock time at `instant`, truncated to the minute. */
  wallTime(instant: number): WallTime;
  /**
   * A function mapping local times on the local date starting at `localDayStart` to the instant they occur.
   * It returns `undefined` for a time skipped by a spring-forward change and the first occurrence for a time
   * repeated by a fall-back change, matching EventBridge Scheduler, which skips nonexistent times and runs
   * a repeated time only once.
   */
  resolverForDay(localDayStart: number): (localTime: number) => number | undefined;
}

const clocks = new Map<string, ZonedClock>();

/**
 * The clock for an IANA time zone name, cached per name.
 * @throws RangeError when the runtime does not know the time zone.
 */
export function zonedClock(timeZone: string): ZonedClock {
  let clock = clocks.get(timeZone);
  if (clock === undefined) {
    clock = createClock(timeZone);
    clocks.set(timeZone, clock);
  }
  return clock;
}

function createClock(timeZone: string): ZonedClock {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
      hourCycle: "h23",
    });
  } catch {
    throw new RangeError(`unknown IANA time zone "${timeZone}"`);
  }
  return format.resolvedOptions().timeZone === "UTC" ? UTC_CLOCK : new IntlClock(format);
}

// UTC never shifts, so it skips Intl entirely: the common case stays pure arithmetic.
const UTC_CLOCK: ZonedClock = {
  wallTime(instant) {
    const date = new Date(instant);
    return {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: date.getUTCHours(),
      minute: date.getUTCMinutes(),
    };
  },
  resolverForDay() {
    return (localTime) => localTime;
  },
};

// UTC offsets stay within -12h..+14h, so every instant of a local date lies in this window around it.
const EARLIEST_OFFSET_MS = 14 * HOUR_MS;
const LATEST_OFFSET_MS = 36 * HOUR_MS;

class IntlClock implements ZonedClock {
  constructor(private readonly format: Intl.DateTimeFormat) {}

  wallTime(instant: number): WallTime {
    const { year, month, day, hour, minute } = this.fields(instant);
    return { year, month, day, hour, minute };
  }

  // Assumes at most one offset change within any 50-hour window, which holds for every zone since 1970.
  resolverForDay(localDayStart: number): (localTime: number) => number | undefined {
    const before = this.offsetAt(localDayStart - EARLIEST_OFFSET_MS);
    const after = this.offsetAt(localDayStart + LATEST_OFFSET_MS);
    if (before === after) return (localTime) => localTime - before;
    return (localTime) => {
      const candidates = [localTime - before, localTime - after].filter(
        (instant) => this.offsetAt(instant) === localTime - instant,
      );
      return candidates.length === 0 ? undefined : Math.min(...candidates);
    };
  }

  private offsetAt(instant: number): number {
    const { year, month, day, hour, minute, second } = this.fields(instant);
    return Date.UTC(year, month - 1, day, hour, minute, second) - Math.floor(instant / 1000) * 1000;
  }

  private fields(instant: number): WallTime & { second: number } {
    const values: Record<string, number> = {};
    for (const part of this.format.formatToParts(instant)) {
      if (part.type !== "literal") values[part.type] = Number(part.value);
    }
    return {
      year: values.year,
      month: values.month,
      day: values.day,
      hour: values.hour,
      minute: values.minute,
      second: values.second,
    };
  }
}
