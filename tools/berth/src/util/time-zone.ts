// Wall-clock time in an IANA time zone and back, with Node's ICU (the same tz database Go's time.LoadLocation reads).

export interface WallTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** Whether `timeZone` names a zone: UTC or an IANA name such as Europe/Berlin. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** What a clock in `timeZone` shows at `instant` (milliseconds since the epoch). */
export function wallTime(instant: number, timeZone: string): WallTime {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(instant)
      .map((part) => [part.type, Number(part.value)]),
  );
  return {
    year: parts.year,
    month: parts.month,
    day: parts.day,
    hour: parts.hour,
    minute: parts.minute,
    second: parts.second,
  };
}

/** Day of the week of a calendar date, 0 Sunday to 6 Saturday. */
export const weekday = (wall: Pick<WallTime, 'year' | 'month' | 'day'>) =>
  new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();

const asUtc = (wall: WallTime) => Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);

/**
 * The instant a clock in `timeZone` shows `wall`: undefined when that time does not exist there (skipped when the
 * clocks go forward), the earlier one when it exists twice (when they go back).
 */
export function instantOf(wall: WallTime, timeZone: string): number | undefined {
  const naive = asUtc(wall);
  const offsets = new Set(
    [-86_400_000, 0, 86_400_000].map((shift) => asUtc(wallTime(naive + shift, timeZone)) - (naive + shift)),
  );
  const matches = [...offsets]
    .map((offset) => naive - offset)
    .filter((instant) => asUtc(wallTime(instant, timeZone)) === naive);
  return matches.length ? Math.min(...matches) : undefined;
}
