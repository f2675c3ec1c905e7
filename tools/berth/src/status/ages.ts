// How long ago something happened, in days for JSON and in words for people: pure, "now" is always passed in.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Milliseconds from `since` to `now`; undefined when `since` is not a date. Negative: dated after now (clock skew). */
function elapsed(since: string, now: Date): number | undefined {
  const at = Date.parse(since);
  return Number.isNaN(at) ? undefined : now.getTime() - at;
}

/** Whole days from `since` to `now` (0 within the first day or when dated after now); null without a date. */
export function elapsedDays(since: string | null, now: Date): number | null {
  if (!since) return null;
  const ms = elapsed(since, now);
  return ms === undefined ? null : Math.max(0, Math.floor(ms / DAY));
}

const count = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;

/**
 * "3 days", "5 hours", "2 months": the largest unit that reads naturally, rounded down (a version that has run
 * 47 hours has run 1 day, not 2). Days up to 90, so "behind for 40 days" stays exact where it matters.
 */
export function formatAge(since: string, now: Date): string {
  const ms = elapsed(since, now);
  if (ms === undefined) return 'an unknown time';
  // a commit dated after now: the committer's clock was off; say so rather than print a negative age
  if (ms < -MINUTE) return 'a future date';
  if (ms < MINUTE) return 'under a minute';
  if (ms < HOUR) return count(Math.floor(ms / MINUTE), 'minute');
  if (ms < DAY) return count(Math.floor(ms / HOUR), 'hour');
  const days = Math.floor(ms / DAY);
  if (days < 90) return count(days, 'day');
  const months = Math.floor(days / 30.436875);
  if (months < 24) return count(months, 'month');
  return count(Math.floor(days / 365.2425), 'year');
}
