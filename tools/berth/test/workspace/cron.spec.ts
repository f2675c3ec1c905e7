// Cron schedules: what Kubernetes' CronJob (robfig/cron's standard parser) accepts, and what each refusal says.
import { describe, expect, it } from 'vitest';
import { cronProblems, describeCronProblems } from '../../src/workspace/cron';

describe('cronProblems', () => {
  it.each([
    '* * * * *',
    '0 * * * *',
    '30 2 * * *',
    '*/5 * * * *',
    '0 0 1 1 *',
    '59 23 31 12 6',
    '0 9 * * 1-5',
    '0 9 * * MON-FRI',
    '0 9 * * mon,wed,fri',
    '0 0 1 JAN,jul *',
    '0 0 1 jan-jun/2 *',
    '0-30/10 * * * *',
    '5/15 * * * *',
    '1,,2 * * * *',
    '? ? ? ? ?',
    '+5 * * * *',
    '0   0  *  *   *',
    '*/90 * * * *',
    '0 0 31 2 *',
    '@yearly',
    '@annually',
    '@monthly',
    '@weekly',
    '@daily',
    '@midnight',
    '@hourly',
    '@every 5m',
    '@every 1h30m',
    '@every 1.5h',
  ])('accepts %j', (schedule) => {
    expect(cronProblems(schedule)).toEqual([]);
  });

  const rejects: [string, string, RegExp][] = [
    ['61 * * * *', 'minute', /minute field "61" goes above 59 \(minutes are 0-59\)/],
    ['60 * * * *', 'minute', /goes above 59/],
    ['* 24 * * *', 'hour', /hour field "24" goes above 23/],
    ['* * 0 * *', 'day of month', /day of month field "0" starts below 1 \(days of the month are 1-31\)/],
    ['* * 32 * *', 'day of month', /goes above 31/],
    ['* * * 0 *', 'month', /month field "0" starts below 1/],
    ['* * * 13 *', 'month', /month field "13" goes above 12 \(months are 1-12 or JAN-DEC\)/],
    ['* * * * 7', 'day of week', /day of week field "7" goes above 6 .*Sunday is 0 or SUN/],
    ['* * * MON *', 'month', /month field "MON" is neither a number \(1-12\) nor a name \(JAN-DEC\)/],
    ['* * * * JAN', 'day of week', /neither a number \(0-6\) nor a name \(SUN-SAT\)/],
    ['* * JAN * *', 'day of month', /day of month field "JAN" is neither a number \(1-31\)\./],
    ['1,2,70 * * * *', 'minute', /goes above 59 in "70"/],
    ['*/0 * * * *', 'minute', /step 0/],
    ['*/x * * * *', 'minute', /step "x".*not a whole number/],
    ['1/2/3 * * * *', 'minute', /more than one "\/"/],
    ['1-2-3 * * * *', 'minute', /more than one "-"/],
    ['*-5 * * * *', 'minute', /range starting at "\*"/],
    ['5-1 * * * *', 'minute', /start is after its end/],
    ['-5 * * * *', 'minute', /is neither a number/],
    [', * * * *', 'minute', /lists no value, so the job would never run/],
    ['1.5 * * * *', 'minute', /neither a number/],
    ['* * * *', 'schedule', /has 4 fields; Kubernetes expects exactly 5/],
    ['0 * * * * *', 'schedule', /has 6 fields/],
    ['every day', 'schedule', /has 2 fields/],
    ['', 'schedule', /is empty/],
    ['@reboot', 'schedule', /"@reboot" is not a cron descriptor/],
    ['@daily ', 'schedule', /not a cron descriptor/],
    ['@every 5 minutes', 'schedule', /"5 minutes" is not a duration/],
    ['CRON_TZ=Europe/Berlin 30 2 * * *', 'time zone', /Kubernetes refuses TZ= or CRON_TZ=/],
    ['TZ=UTC @daily', 'time zone', /Kubernetes refuses/],
    ['TZ=Europe/Berlin', 'time zone', /names a time zone but no schedule/],
  ];
  it.each(rejects)('rejects %j in the %s field', (schedule, field, message) => {
    const problems = cronProblems(schedule);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0].field).toBe(field);
    expect(problems[0].problem).toMatch(message);
    expect(problems[0].fix).toMatch(/\S/);
  });

  it('reports every field at fault, each with its own fix', () => {
    const problems = cronProblems('30 25 * * 9');
    expect(problems.map((problem) => problem.field)).toEqual(['hour', 'day of week']);
    expect(problems[0].fix).toMatch(/write the hour as 0-23/);
    expect(problems[1].fix).toMatch(/write the day of week as 0-6 or SUN-SAT/);
  });

  it('reports a zone Go would not load besides the prefix itself', () => {
    expect(cronProblems('TZ=Mars/Base 0 0 * * *').map((problem) => problem.problem)).toEqual([
      'The time zone "Mars/Base" is not a time zone name.',
      expect.stringMatching(/Kubernetes refuses/),
    ]);
  });

  it('describes the problems as one message, or nothing for a valid schedule', () => {
    expect(describeCronProblems(cronProblems('@hourly'))).toBeUndefined();
    expect(describeCronProblems(cronProblems('61 * * * *'))).toEqual({
      problem: 'The minute field "61" goes above 59 (minutes are 0-59).',
      fix: 'write the minute as 0-59 (lists "1,15", ranges "1-5", steps "*/10"), e.g. "30 2 * * *" (02:30 every day).',
    });
  });
});
