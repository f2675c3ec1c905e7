// Ages in words and in days, table by table, always counted to a "now" that is passed in.
import { describe, expect, it } from 'vitest';
import { elapsedDays, formatAge } from '../../src/status/ages';

const NOW = new Date('2025-06-15T12:00:00Z');
const before = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('formatAge', () => {
  it.each<[string, string, string]>([
    ['this instant', before(0), 'under a minute'],
    ['59 seconds', before(59_000), 'under a minute'],
    ['a minute', before(MINUTE), '1 minute'],
    ['59 minutes', before(59 * MINUTE + 59_000), '59 minutes'],
    ['an hour', before(HOUR), '1 hour'],
    ['23 hours 59', before(DAY - MINUTE), '23 hours'],
    ['a day', before(DAY), '1 day'],
    ['47 hours: rounded down', before(47 * HOUR), '1 day'],
    ['3 days', before(3 * DAY + 5 * HOUR), '3 days'],
    ['89 days', before(89 * DAY), '89 days'],
    ['90 days', before(90 * DAY), '2 months'],
    ['200 days', before(200 * DAY), '6 months'],
    ['700 days', before(700 * DAY), '22 months'],
    ['two years', before(731 * DAY), '2 years'],
    ["git's offset form", '2025-06-12T14:00:00+02:00', '3 days'],
    ['a few seconds ahead (clocks drift)', before(-30_000), 'under a minute'],
    ['dated after now', before(-2 * DAY), 'a future date'],
    ['not a date', 'yesterday', 'an unknown time'],
  ])('%s', (_, since, expected) => expect(formatAge(since, NOW)).toBe(expected));
});

describe('elapsedDays', () => {
  it.each<[string, string | null, number | null]>([
    ['the same moment', before(0), 0],
    ['under a day', before(DAY - 1), 0],
    ['a day', before(DAY), 1],
    ['18 days and some hours', before(18 * DAY + 23 * HOUR), 18],
    ['dated after now', before(-3 * DAY), 0],
    ['no date', null, null],
    ['not a date', 'soon', null],
  ])('%s', (_, since, expected) => expect(elapsedDays(since, NOW)).toBe(expected));
});
