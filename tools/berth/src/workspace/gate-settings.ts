// Reads env.yaml promotion.gates: the checks a promotion into the environment must pass (docs/promotion-gates.md).
import { parseDuration } from '../util/duration';
import { instantOf, isTimeZone } from '../util/time-zone';
import { cronProblems, describeCronProblems } from './cron';
import type { FieldReader, Fields } from './fields';
import type { PromotionFreeze, PromotionGates, PromotionWindow } from './model';

const GATE_KEYS = ['healthy', 'soak', 'windows', 'freezes'];
const WINDOW_KEYS = ['kind', 'schedule', 'duration', 'timeZone', 'description'];
const FREEZE_KEYS = ['from', 'until', 'timeZone', 'reason'];
const DURATION_FIX = 'write a number and a unit (d, h, m, s), e.g. 30m, 2h, 1d or 1h30m.';

/** A point in time: a date (its midnight), a local date and time in `timeZone`, or either with Z or an offset. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(Z|[+-]\d{2}:\d{2})?$/;

export function readGates(fields: FieldReader, promotesFrom: unknown): PromotionGates {
  const field = 'promotion.gates';
  const gates = fields.mapping(field);
  if (Object.keys(gates).length && (promotesFrom === null || promotesFrom === undefined))
    fields.fail(
      field,
      'is set on the first environment, which nothing promotes into; gates check promotions into an environment.',
      'move them to the env.yaml of the environment that promotes from this one, or remove them.',
    );
  unknownKeys(fields, field, gates, GATE_KEYS, 'healthy, soak, windows and freezes');
  const soakText = fields.get(`${field}.soak`);
  let soak: PromotionGates['soak'];
  if (soakText !== undefined && soakText !== null) {
    const ms = typeof soakText === 'string' ? parseDuration(soakText) : undefined;
    if (ms === undefined)
      fields.fail(`${field}.soak`, `must be a duration such as 30m (found ${JSON.stringify(soakText)}).`, DURATION_FIX);
    soak = { text: soakText as string, ms };
  }
  const healthy = fields.boolean(`${field}.healthy`, soak !== undefined);
  if (soak && !healthy)
    fields.fail(
      `${field}.healthy`,
      'is false, but soak counts how long the source has been healthy.',
      'remove healthy: false (soak checks health too), or remove soak.',
    );
  return {
    healthy,
    ...(soak ? { soak } : {}),
    windows: list(fields, `${field}.windows`).map((entry, index) =>
      readWindow(fields, `${field}.windows[${index}]`, entry),
    ),
    freezes: list(fields, `${field}.freezes`).map((entry, index) =>
      readFreeze(fields, `${field}.freezes[${index}]`, entry),
    ),
  };
}

function list(fields: FieldReader, field: string): Fields[] {
  const value = fields.get(field) ?? [];
  if (!Array.isArray(value))
    fields.fail(field, 'must be a list.', 'write one "- key: value" entry per line under it, or [].');
  value.forEach((entry, index) => {
    if (!entry || typeof entry !== 'object' || Array.isArray(entry))
      fields.fail(
        `${field}[${index}]`,
        `must be a mapping (found ${JSON.stringify(entry)}).`,
        'write its keys under "- ".',
      );
  });
  return value as Fields[];
}

function unknownKeys(fields: FieldReader, field: string, entry: Fields, known: string[], what: string): void {
  const unknown = Object.keys(entry).find((key) => !known.includes(key));
  if (unknown !== undefined)
    fields.fail(
      `${field}.${unknown}`,
      `is not a key berth reads here (it reads ${what}).`,
      ['applications', 'namespaces', 'clusters', 'manualSync', 'andOperator', 'syncOverrun'].includes(unknown)
        ? "remove it: a promotion window covers the whole environment (Argo CD's own syncWindows, in the AppProject, select Applications)."
        : `remove or rename it.`,
    );
}

function text(fields: FieldReader, field: string, value: unknown, fix: string, required = true): string | undefined {
  if ((value === undefined || value === null) && !required) return undefined;
  if (typeof value !== 'string' || value === '')
    fields.fail(field, `must be a non-empty string (found ${JSON.stringify(value)}).`, fix);
  return value;
}

function timeZoneOf(fields: FieldReader, field: string, entry: Fields): string {
  const zone =
    text(fields, `${field}.timeZone`, entry.timeZone, 'name an IANA time zone such as Europe/Berlin.', false) ?? 'UTC';
  if (!isTimeZone(zone))
    fields.fail(
      `${field}.timeZone`,
      `"${zone}" is not a time zone.`,
      'use an IANA name such as Europe/Berlin, America/New_York or UTC.',
    );
  return zone;
}

function readWindow(fields: FieldReader, field: string, entry: Fields): PromotionWindow {
  unknownKeys(
    fields,
    field,
    entry,
    WINDOW_KEYS,
    'kind, schedule, duration, timeZone and description, as Argo CD syncWindows',
  );
  const kind = entry.kind;
  if (kind !== 'allow' && kind !== 'deny')
    fields.fail(
      `${field}.kind`,
      `must be allow or deny (found ${JSON.stringify(kind)}).`,
      'set kind: allow (promote only then) or kind: deny (never then).',
    );
  const schedule = text(
    fields,
    `${field}.schedule`,
    entry.schedule,
    'write when the window opens as five cron fields, e.g. "0 9 * * 1-5" (09:00 on weekdays).',
  )!;
  // Argo CD's window parser takes exactly five fields: no @daily, no TZ= (timeZone says it)
  const problems = schedule.trim().startsWith('@')
    ? [
        {
          problem: `"${schedule}" is a descriptor; windows take five cron fields, as Argo CD's syncWindows do.`,
          fix: 'write it as five fields, e.g. @daily is "0 0 * * *".',
        },
      ]
    : schedule.includes('TZ=')
      ? [
          {
            problem: `"${schedule}" names its time zone in the schedule.`,
            fix: 'drop the TZ= prefix and set timeZone: on the window.',
          },
        ]
      : cronProblems(schedule.trim());
  const described = describeCronProblems(problems.map((problem) => ({ field: 'schedule' as const, ...problem })));
  if (described) fields.fail(`${field}.schedule`, described.problem, described.fix);
  const duration = text(
    fields,
    `${field}.duration`,
    entry.duration,
    `say how long the window stays open: ${DURATION_FIX}`,
  )!;
  const durationMs = parseDuration(duration);
  if (durationMs === undefined)
    fields.fail(
      `${field}.duration`,
      `must be a duration such as 8h (found ${JSON.stringify(duration)}).`,
      DURATION_FIX,
    );
  const description = text(fields, `${field}.description`, entry.description, 'describe the window in a line.', false);
  return {
    kind,
    schedule: schedule.trim(),
    duration,
    durationMs,
    timeZone: timeZoneOf(fields, field, entry),
    ...(description ? { description } : {}),
  };
}

function readFreeze(fields: FieldReader, field: string, entry: Fields): PromotionFreeze {
  unknownKeys(fields, field, entry, FREEZE_KEYS, 'from, until, timeZone and reason');
  const timeZone = timeZoneOf(fields, field, entry);
  const instant = (key: 'from' | 'until') => {
    const written = text(
      fields,
      `${field}.${key}`,
      entry[key],
      'write a date (2026-12-20, midnight) or a date and time (2026-12-20T18:00, or with Z or +01:00).',
    )!;
    const at = parseTimestamp(written, timeZone);
    if (at === undefined)
      fields.fail(
        `${field}.${key}`,
        `"${written}" is not a date or a date and time that exists in ${timeZone}.`,
        'write it like 2026-12-20, 2026-12-20T18:00 or 2026-12-20T18:00:00+01:00.',
      );
    return { written, at };
  };
  const from = instant('from');
  const until = instant('until');
  if (until.at <= from.at)
    fields.fail(
      `${field}.until`,
      `(${until.written}) is not after from (${from.written}).`,
      'make until the moment promotions may start again.',
    );
  const reason = text(fields, `${field}.reason`, entry.reason, 'say in a line why promotions stop.', false);
  return {
    from: from.written,
    until: until.written,
    fromMs: from.at,
    untilMs: until.at,
    timeZone,
    ...(reason ? { reason } : {}),
  };
}

/** A timestamp as freezes write it; a time without Z or offset is the wall time in `timeZone`. */
export function parseTimestamp(written: string, timeZone: string): number | undefined {
  const match = TIMESTAMP.exec(written);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0));
  const wall = { year, month, day, hour, minute, second };
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  // Date.UTC rolls 31 February over into March: a date that does not exist is refused, not moved
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return undefined;
  const offset = match[7];
  if (offset === undefined) return instantOf(wall, timeZone);
  const naive = Date.UTC(year, month - 1, day, hour, minute, second);
  if (offset === 'Z') return naive;
  const sign = offset.startsWith('-') ? -1 : 1;
  const [hours, minutes] = offset.slice(1).split(':').map(Number);
  return naive - sign * (hours * 60 + minutes) * 60_000;
}

/**
 * The commented example of promotion.gates that env.yaml files carry under `promotion:` (the example platform's, the
 * environment generator's, `berth new`'s), each line without its "# ", indented as under `promotion:`.
 */
export function gatesExample(env: string, source: string): string[] {
  return [
    `Gates a promotion into ${env} must pass (docs/promotion-gates.md); berth promote --force --reason TEXT goes`,
    `past them and records why. healthy and soak ask Argo CD about ${source} (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN).`,
    'gates:',
    `  healthy: true            # ${source} runs the version Synced and Healthy`,
    '  soak: 30m                # ...and has been Healthy with it this long (30m, 2h, 1d)',
    "  windows:                 # as an AppProject's syncWindows: open from each time schedule fires, for duration",
    '    - kind: allow          # allow: promote only inside one; deny: never inside one',
    '      schedule: "0 9 * * 1-5"',
    '      duration: 8h',
    '      timeZone: Europe/Berlin',
    '  freezes:                 # none from `from` until `until` (a date is its midnight in timeZone, default UTC)',
    '    - from: "2026-12-21"',
    '      until: "2027-01-04"',
    '      reason: year-end freeze',
  ];
}
