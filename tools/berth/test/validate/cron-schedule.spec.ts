// cron-schedule: every rendered CronJob's spec.schedule is cron the API server accepts.
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cronScheduleRule } from '../../src/validate/rules/cron-schedule';
import { berthAsync, copyExample, edit } from '../cli/workspace';
import type { Platform } from './fixtures';
import { describeRule } from './table';

const cronJob =
  (schedule: unknown, env = 'dev') =>
  (p: Platform) =>
    p.app(env, 'service-a').objects.push({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'report' },
      spec: { schedule, jobTemplate: { spec: { template: { spec: { containers: [] } } } } },
    });
const at = (env = 'dev') => ({
  environment: env,
  application: `${env}-service-a`,
  object: 'CronJob/report',
  field: 'spec.schedule',
});

describeRule(cronScheduleRule, {
  accepts: [
    { name: 'five fields', change: cronJob('30 2 * * *') },
    { name: 'names, ranges and steps', change: cronJob('*/15 9-17 * JAN-JUN MON-FRI') },
    { name: 'a descriptor', change: cronJob('@daily') },
    { name: '@every', change: cronJob('@every 90s') },
  ],
  rejects: [
    {
      name: 'minute 61',
      change: cronJob('61 * * * *'),
      finding: at(),
      message: /"61 \* \* \* \*": The minute field "61" goes above 59/,
    },
    {
      name: 'hour 25 and weekday 9 (two findings)',
      change: cronJob('30 25 * * 9', 'prod'),
      finding: [at('prod'), at('prod')],
      message: /hour field "25"/,
    },
    { name: 'six fields', change: cronJob('0 0 * * * *'), finding: at(), message: /6 fields/ },
    {
      name: 'a CRON_TZ prefix',
      change: cronJob('CRON_TZ=UTC 0 0 * * *'),
      finding: at(),
      message: /refuses TZ= or CRON_TZ=/,
    },
    { name: 'no schedule at all', change: cronJob(undefined), finding: at(), message: /not a cron schedule/ },
    { name: 'a number', change: cronJob(5), finding: at(), message: /is 5/ },
  ],
});

describe('berth validate on a schedule the API server would reject', () => {
  it('fails on the rendered CronJob, naming the field and where to fix it', async () => {
    const dir = copyExample();
    try {
      edit(dir, 'charts/berth-image-updater/values.yaml', (text) =>
        text.replace('schedule: "*/5 * * * *"', 'schedule: "61 * * * *"'),
      );
      const run = await berthAsync(dir, 'validate', '--env', 'dev', '--service', 'berth-image-updater');
      expect(run.status, run.stdout + run.stderr).not.toBe(0);
      expect(run.stdout + run.stderr).toMatch(
        /\[cron-schedule\] dev > dev-berth-image-updater > CronJob\/berth-image-updater > spec.schedule: "61 \* \* \* \*": The minute field "61" goes above 59/,
      );
      expect(run.stdout + run.stderr).toMatch(
        /set schedule in charts\/berth-image-updater\/values.yaml or environments\/dev\/berth-image-updater.yaml/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
