// Cron schedules as a Kubernetes CronJob takes them: robfig/cron's standard parser, plus the API server's TZ rule.
//
// Mirrors cron.ParseStandard (github.com/robfig/cron/v3, which kube-apiserver and the CronJob controller use):
// five fields split on white space, each a comma list of `*`, `?`, N, N-M, with an optional /step (N/step means
// N to the field's maximum); month and weekday names (JAN-DEC, SUN-SAT, any case); the descriptors @yearly,
// @annually, @monthly, @weekly, @daily, @midnight, @hourly and @every <Go duration>; a TZ= or CRON_TZ= prefix.
// Stricter than robfig in two forms it lets through by accident: `*-N` (the part after * is ignored) and a field of
// commas only (it never fires). The API server refuses TZ=/CRON_TZ= in a new CronJob's schedule (spec.timeZone
// replaced it), so such a schedule parses but is reported.

export type CronField = 'minute' | 'hour' | 'day of month' | 'month' | 'day of week';

export interface CronProblem {
  /** The field at fault, or "schedule" / "time zone" for the whole. */
  field: CronField | 'schedule' | 'time zone';
  problem: string;
  fix: string;
}

interface Bounds {
  field: CronField;
  min: number;
  max: number;
  names?: Record<string, number>;
  namesHint?: string;
  example: string;
}

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export const CRON_FIELDS: readonly Bounds[] = [
  { field: 'minute', min: 0, max: 59, example: '"30 2 * * *" (02:30 every day)' },
  { field: 'hour', min: 0, max: 23, example: '"0 23 * * *" (23:00 every day)' },
  { field: 'day of month', min: 1, max: 31, example: '"0 0 1 * *" (midnight on the 1st)' },
  {
    field: 'month',
    min: 1,
    max: 12,
    names: Object.fromEntries(MONTH_NAMES.map((name, index) => [name, index + 1])),
    namesHint: 'JAN-DEC',
    example: '"0 0 1 JAN *" (midnight on 1 January)',
  },
  {
    field: 'day of week',
    min: 0,
    max: 6,
    names: Object.fromEntries(DAY_NAMES.map((name, index) => [name, index])),
    namesHint: 'SUN-SAT',
    example: '"0 9 * * MON-FRI" (09:00 on weekdays)',
  },
];

/** The descriptors robfig/cron knows, besides `@every <duration>`. */
export const CRON_MACROS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'] as const;

/** What Go's strings.Fields splits on (unicode.IsSpace). */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/;
/** Go's time.ParseDuration: an optional sign, then number-unit pairs, or a bare 0. */
const GO_DURATION = /^[-+]?(0|((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+)$/;
/** strconv.Atoi: an optional sign and decimal digits. */
const GO_INT = /^[+-]?\d+$/;

const FIVE_FIELDS_FIX =
  'write five fields "minute hour day-of-month month day-of-week", e.g. "*/15 * * * *", or one of @hourly, @daily, @weekly, @monthly, @yearly.';

/** Every problem Kubernetes would have with `schedule` as a new CronJob's spec.schedule; empty when it is valid. */
export function cronProblems(schedule: string): CronProblem[] {
  if (schedule.length === 0) return [{ field: 'schedule', problem: 'The schedule is empty.', fix: FIVE_FIELDS_FIX }];
  const problems: CronProblem[] = [];
  let spec = schedule;
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    const zone = spec.slice(spec.indexOf('=') + 1, space === -1 ? undefined : space);
    if (space === -1)
      return [
        {
          field: 'time zone',
          problem: `"${schedule}" names a time zone but no schedule after it.`,
          fix: FIVE_FIELDS_FIX,
        },
      ];
    if (!isTimeZone(zone))
      problems.push({
        field: 'time zone',
        problem: `The time zone "${zone}" is not a time zone name.`,
        fix: 'use an IANA zone such as Europe/Berlin or UTC.',
      });
    spec = spec.slice(space).trim();
  }
  if (schedule.includes('TZ')) {
    problems.push({
      field: 'time zone',
      problem:
        'Kubernetes refuses TZ= or CRON_TZ= in a CronJob\'s schedule ("cannot use TZ or CRON_TZ in schedule, use timeZone field instead").',
      fix: "drop the prefix and write the times in the zone of the cluster's controller manager (UTC on EKS).",
    });
  }
  if (spec.startsWith('@')) return [...problems, ...descriptorProblems(spec)];
  const fields = spec.split(GO_SPACE).filter(Boolean);
  if (fields.length !== CRON_FIELDS.length) {
    return [
      ...problems,
      {
        field: 'schedule',
        problem: `${JSON.stringify(spec)} has ${fields.length} field${fields.length === 1 ? '' : 's'}; Kubernetes expects exactly 5.`,
        fix: FIVE_FIELDS_FIX,
      },
    ];
  }
  fields.forEach((text, index) => problems.push(...fieldProblems(text, CRON_FIELDS[index])));
  return problems;
}

/** One line naming every problem, for an error message; undefined when the schedule is valid. */
export function describeCronProblems(problems: CronProblem[]): { problem: string; fix: string } | undefined {
  if (problems.length === 0) return undefined;
  return {
    problem: problems.map((entry) => entry.problem).join(' '),
    fix: [...new Set(problems.map((entry) => entry.fix))].join(' '),
  };
}

function descriptorProblems(spec: string): CronProblem[] {
  if ((CRON_MACROS as readonly string[]).includes(spec)) return [];
  if (spec.startsWith('@every ')) {
    const duration = spec.slice('@every '.length);
    return GO_DURATION.test(duration)
      ? []
      : [
          {
            field: 'schedule',
            problem: `"${duration}" is not a duration (@every takes one like 90s, 5m or 1h30m).`,
            fix: 'write @every 5m, or five cron fields such as "*/5 * * * *".',
          },
        ];
  }
  return [
    {
      field: 'schedule',
      problem: `"${spec}" is not a cron descriptor (known: ${CRON_MACROS.join(', ')}, @every <duration>).`,
      fix: `use one of ${CRON_MACROS.join(', ')}, or five cron fields.`,
    },
  ];
}

function fieldProblems(text: string, bounds: Bounds): CronProblem[] {
  const items = text.split(',').filter(Boolean);
  const fail = (problem: string): CronProblem[] => [
    { field: bounds.field, problem: `The ${bounds.field} field "${text}" ${problem}`, fix: fieldFix(bounds) },
  ];
  if (items.length === 0) return fail('lists no value, so the job would never run.');
  for (const item of items) {
    const problem = itemProblem(item, bounds, text);
    if (problem) return fail(problem);
  }
  return [];
}

/** Why one comma-separated item of a field is not valid, after robfig's getRange. */
function itemProblem(item: string, bounds: Bounds, fieldText: string): string | undefined {
  const at = item === fieldText ? '' : ` in "${item}"`;
  const rangeAndStep = item.split('/');
  if (rangeAndStep.length > 2) return `has more than one "/"${at}.`;
  const lowAndHigh = rangeAndStep[0].split('-');
  let start = bounds.min;
  let end = bounds.max;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    if (lowAndHigh.length > 1)
      return `has a range starting at "${lowAndHigh[0]}"${at}; a range runs from one value to another, e.g. 1-5.`;
  } else {
    if (lowAndHigh.length > 2) return `has more than one "-"${at}.`;
    const low = valueOf(lowAndHigh[0], bounds, fieldText);
    if (typeof low === 'string') return low;
    start = low;
    end = low;
    if (lowAndHigh.length === 2) {
      const high = valueOf(lowAndHigh[1], bounds, fieldText);
      if (typeof high === 'string') return high;
      end = high;
    }
  }
  if (rangeAndStep.length === 2) {
    if (!GO_INT.test(rangeAndStep[1])) return `has the step "${rangeAndStep[1]}"${at}, which is not a whole number.`;
    const step = Number(rangeAndStep[1]);
    if (step < 0) return `has a negative step${at}.`;
    // "N/step" means N to the maximum, every step
    if (lowAndHigh.length === 1 && lowAndHigh[0] !== '*' && lowAndHigh[0] !== '?') end = bounds.max;
    if (step === 0) return `has the step 0${at}; a step is a positive number.`;
  }
  if (start < bounds.min) return `starts below ${bounds.min}${at} (${rangeOf(bounds)}).`;
  if (end > bounds.max)
    return `goes above ${bounds.max}${at} (${rangeOf(bounds)}${bounds.field === 'day of week' && end === 7 ? '; Sunday is 0 or SUN' : ''}).`;
  if (start > end) return `has a range whose start is after its end${at}.`;
  return undefined;
}

function valueOf(text: string, bounds: Bounds, fieldText: string): number | string {
  const named = bounds.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!GO_INT.test(text)) {
    const what = bounds.namesHint
      ? `a number (${bounds.min}-${bounds.max}) nor a name (${bounds.namesHint})`
      : `a number (${bounds.min}-${bounds.max})`;
    return `${text === fieldText ? 'is' : `holds "${text}", which is`} neither ${what}.`;
  }
  const value = Number(text);
  if (value < 0) return `holds the negative number ${text}.`;
  return value;
}

function rangeOf(bounds: Bounds): string {
  return `${bounds.field === 'day of week' ? 'days of the week' : `${bounds.field}s`.replace('day of months', 'days of the month')} are ${bounds.min}-${bounds.max}${bounds.namesHint ? ` or ${bounds.namesHint}` : ''}`;
}

function fieldFix(bounds: Bounds): string {
  return `write the ${bounds.field} as ${bounds.min}-${bounds.max}${bounds.namesHint ? ` or ${bounds.namesHint}` : ''} (lists "1,15", ranges "1-5", steps "*/10"), e.g. ${bounds.example}.`;
}

/** Names Go's time.LoadLocation accepts: "", UTC, Local and the IANA zones (Node's ICU holds the same database). */
function isTimeZone(zone: string): boolean {
  if (zone === '' || zone === 'UTC' || zone === 'Local') return true;
  if (zone.includes('..') || zone.startsWith('/')) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
