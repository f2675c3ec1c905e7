// When a cron schedule fires in a time zone, as robfig/cron (which Argo CD's sync windows use) reads five fields: pure.
//
// A schedule is checked first (workspace/cron.ts cronProblems); this reads one that passed. Day of month and day of
// week combine as robfig combines them: either field starting with * or ? (without a step above 1) means both must
// match, otherwise either may. A wall time the clocks skip (spring forward) does not fire that day, as in robfig; one
// that happens twice (fall back) fires at the first.
import { CRON_FIELDS } from '../workspace/cron';
import { instantOf, wallTime, weekday } from '../util/time-zone';

export interface CronSchedule {
  minutes: number[];
  hours: number[];
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** robfig's star bit on either day field: both day fields must match. */
  daysBoth: boolean;
}

const DAY = 86_400_000;

function readField(text: string, index: number): { values: Set<number>; star: boolean } {
  const bounds = CRON_FIELDS[index];
  const value = (part: string) => bounds.names?.[part.toLowerCase()] ?? Number(part);
  const values = new Set<number>();
  let star = false;
  for (const item of text.split(',').filter(Boolean)) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    const [low, high] = range.split('-');
    const any = low === '*' || low === '?';
    if (any && step <= 1) star = true;
    const start = any ? bounds.min : value(low);
    const end = any || (high === undefined && stepText !== undefined) ? bounds.max : value(high ?? low);
    for (let n = start; n <= end; n += step) values.add(n);
  }
  return { values, star };
}

/** A five-field schedule that cronProblems accepts, without a TZ= prefix or @ descriptor. */
export function parseCron(schedule: string): CronSchedule {
  const fields = schedule.trim().split(/\s+/).map(readField);
  const sorted = (values: Set<number>) => [...values].sort((a, b) => a - b);
  return {
    minutes: sorted(fields[0].values),
    hours: sorted(fields[1].values),
    days: fields[2].values,
    months: fields[3].values,
    weekdays: fields[4].values,
    daysBoth: fields[2].star || fields[4].star,
  };
}

function dayMatches(schedule: CronSchedule, date: { year: number; month: number; day: number }): boolean {
  if (!schedule.months.has(date.month)) return false;
  const dom = schedule.days.has(date.day);
  const dow = schedule.weekdays.has(weekday(date));
  return schedule.daysBoth ? dom && dow : dom || dow;
}

/** A zone's offset from UTC at `instant`, in milliseconds (whole seconds, as the tz database has them). */
function offsetAt(instant: number, timeZone: string): number {
  const second = Math.floor(instant / 1000) * 1000;
  const wall = wallTime(second, timeZone);
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - second;
}

const HOUR = 3_600_000;

/** The first time at or after `from` the schedule fires in `timeZone`, looking no further than `until`. */
export function nextFire(schedule: CronSchedule, from: number, timeZone: string, until: number): number | undefined {
  const start = wallTime(from, timeZone);
  // candidates are estimated with the offset at `from`, and only those that may be at or after it are converted
  // exactly; near a clock change the estimate may be an hour out, so a margin lets those through too
  const offset = offsetAt(from, timeZone);
  const margin = offsetAt(from - 3 * HOUR, timeZone) === offsetAt(from + 3 * HOUR, timeZone) ? 0 : 2 * HOUR;
  for (let date = Date.UTC(start.year, start.month - 1, start.day); date <= until + DAY; date += DAY) {
    const calendar = new Date(date);
    const ymd = { year: calendar.getUTCFullYear(), month: calendar.getUTCMonth() + 1, day: calendar.getUTCDate() };
    if (!dayMatches(schedule, ymd)) continue;
    for (const hour of schedule.hours)
      for (const minute of schedule.minutes) {
        if (date + hour * HOUR + minute * 60_000 - offset < from - margin) continue;
        const instant = instantOf({ ...ymd, hour, minute, second: 0 }, timeZone);
        if (instant === undefined || instant < from) continue;
        return instant <= until ? instant : undefined;
      }
  }
  return undefined;
}
