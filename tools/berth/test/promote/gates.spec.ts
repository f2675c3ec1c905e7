// Promotion gates as a table: each gate's pass, refusal and when it would pass, with the clock and Argo CD's word as
// inputs; windows in their time zones, across daylight saving time.
import { describe, expect, it } from 'vitest';
import { parseApplication } from '../../src/argocd-api/application';
import { nextFire, parseCron } from '../../src/promote/cron-fires';
import { describeAt, evaluateGates, nextOpening, runsImage, type GatedService } from '../../src/promote/gates';
import { parseDuration } from '../../src/util/duration';
import { parseTimestamp } from '../../src/workspace/gate-settings';
import type { PromotionGates, PromotionWindow } from '../../src/workspace/model';
import { applicationJson, CHART_COMMIT, type FixtureOptions } from '../argocd-api/fixture';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

const window = (kind: 'allow' | 'deny', schedule: string, duration: string, timeZone = 'UTC'): PromotionWindow => ({
  kind,
  schedule,
  duration,
  durationMs: parseDuration(duration)!,
  timeZone,
});

const freeze = (from: string, until: string, timeZone = 'UTC', reason?: string) => ({
  from,
  until,
  fromMs: parseTimestamp(from, timeZone)!,
  untilMs: parseTimestamp(until, timeZone)!,
  timeZone,
  ...(reason ? { reason } : {}),
});

const gates = (settings: Partial<PromotionGates>): PromotionGates => ({
  healthy: false,
  windows: [],
  freezes: [],
  ...settings,
});

/** The time gates' verdict at `now`: undefined when open, else the gate and when it passes. */
function timeVerdict(settings: Partial<PromotionGates>, now: string) {
  const [refusal] = evaluateGates({
    gates: gates(settings),
    source: 'stage',
    target: 'prod',
    now: at(now),
    services: [],
  });
  return refusal && { gate: refusal.gate, passesAt: iso(refusal.passesAt) };
}

const WEEKDAYS_BERLIN = window('allow', '0 9 * * 1-5', '8h', 'Europe/Berlin');

describe('windows and freezes', () => {
  it('lets everything in when there are none', () => {
    expect(timeVerdict({}, '2026-12-05T03:00:00Z')).toBeUndefined();
  });

  it.each([
    // Wednesday 11:00 in Berlin (CET, UTC+1): inside 09:00-17:00
    ['2026-12-02T10:00:00Z', undefined],
    // the window opens at the fire time and closes at its end
    ['2026-12-02T08:00:00Z', undefined],
    ['2026-12-02T15:59:59Z', undefined],
    ['2026-12-02T16:00:00Z', '2026-12-03T08:00:00.000Z'],
    // 08:30 in Berlin: not yet, opens at 09:00 Berlin = 08:00 UTC
    ['2026-12-02T07:30:00Z', '2026-12-02T08:00:00.000Z'],
    // Friday evening: the next weekday is Monday
    ['2026-12-04T17:00:00Z', '2026-12-07T08:00:00.000Z'],
    // summer (CEST, UTC+2): 09:00 Berlin is 07:00 UTC
    ['2026-07-01T06:30:00Z', '2026-07-01T07:00:00.000Z'],
    ['2026-07-01T07:30:00Z', undefined],
  ])('an allow window of weekdays 09:00 for 8h in Europe/Berlin at %s: passes at %s', (now, passesAt) => {
    const verdict = timeVerdict({ windows: [WEEKDAYS_BERLIN] }, now);
    expect(verdict).toEqual(passesAt === undefined ? undefined : { gate: 'window', passesAt });
  });

  it('reads the same schedule in UTC an hour later in winter', () => {
    expect(timeVerdict({ windows: [window('allow', '0 9 * * 1-5', '8h')] }, '2026-12-02T08:30:00Z')).toEqual({
      gate: 'window',
      passesAt: '2026-12-02T09:00:00.000Z',
    });
  });

  it('follows the clock change inside a window: 09:00 Berlin is 08:00 UTC before 29 March 2026 and 07:00 after', () => {
    const windows = [WEEKDAYS_BERLIN];
    expect(timeVerdict({ windows }, '2026-03-27T16:30:00Z')?.passesAt).toBe('2026-03-30T07:00:00.000Z');
    expect(timeVerdict({ windows }, '2026-10-23T16:30:00Z')?.passesAt).toBe('2026-10-26T08:00:00.000Z');
  });

  it('refuses inside a deny window until it ends, and a deny window wins over an allow window', () => {
    const weekend = window('deny', '0 0 * * 6', '2d');
    expect(timeVerdict({ windows: [weekend] }, '2026-12-05T12:00:00Z')).toEqual({
      gate: 'window',
      passesAt: '2026-12-07T00:00:00.000Z',
    });
    expect(timeVerdict({ windows: [weekend] }, '2026-12-04T23:59:00Z')).toBeUndefined();
    const always = window('allow', '0 0 * * *', '1d');
    const lunch = window('deny', '0 12 * * *', '1h');
    expect(timeVerdict({ windows: [always, lunch] }, '2026-12-02T12:30:00Z')).toEqual({
      gate: 'window',
      passesAt: '2026-12-02T13:00:00.000Z',
    });
    expect(timeVerdict({ windows: [always, lunch] }, '2026-12-02T13:00:00Z')).toBeUndefined();
  });

  it('a deny window whose schedule fires every minute stays shut until the last fire plus its duration', () => {
    // fires 12:00-12:59, each for 30m: shut until 13:29
    const busy = window('deny', '* 12 * * *', '30m');
    expect(timeVerdict({ windows: [busy] }, '2026-12-02T12:10:00Z')?.passesAt).toBe('2026-12-02T13:29:00.000Z');
  });

  it('a deny window that never lets go refuses with no moment ahead, in bounded time', () => {
    const started = Date.now();
    const always = window('deny', '* * * * *', '1h', 'Europe/Berlin');
    expect(timeVerdict({ windows: [always] }, '2026-12-02T12:10:00Z')).toEqual({ gate: 'window', passesAt: undefined });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('refuses during a freeze until it ends, in its time zone, and then waits for the next window', () => {
    const yearEnd = freeze('2026-12-20', '2027-01-04', 'Europe/Berlin', 'year-end freeze');
    expect(timeVerdict({ freezes: [yearEnd] }, '2026-12-24T12:00:00Z')).toEqual({
      gate: 'freeze',
      passesAt: '2027-01-03T23:00:00.000Z',
    });
    const [refusal] = evaluateGates({
      gates: gates({ freezes: [yearEnd] }),
      source: 'stage',
      target: 'prod',
      now: at('2026-12-24T12:00:00Z'),
      services: [],
    });
    expect(refusal.problem).toBe('the freeze from 2026-12-20 until 2027-01-04 (year-end freeze) is on.');
    expect(refusal.fix).toMatch(
      /^promote when it opens \(2027-01-04 00:00 Europe\/Berlin \(2027-01-03 23:00 UTC, in 10d 11h\)\)/,
    );
    expect(timeVerdict({ freezes: [yearEnd] }, '2026-12-19T22:59:59Z')).toBeUndefined();
    expect(timeVerdict({ freezes: [yearEnd] }, '2026-12-19T23:00:00Z')?.gate).toBe('freeze');
    // the freeze ends Monday 00:00 in Berlin; the weekday window opens at 09:00 there
    expect(timeVerdict({ freezes: [yearEnd], windows: [WEEKDAYS_BERLIN] }, '2026-12-24T12:00:00Z')).toEqual({
      gate: 'freeze',
      passesAt: '2027-01-04T08:00:00.000Z',
    });
  });

  it('says so when no window opens at all, and names the gate and the opening in the message', () => {
    const never = window('allow', '0 0 30 2 *', '1h');
    const [refusal] = evaluateGates({
      gates: gates({ windows: [never] }),
      source: 'stage',
      target: 'prod',
      now: at('2026-12-02T10:00:00Z'),
      services: [],
    });
    expect(refusal).toMatchObject({
      gate: 'window',
      problem: 'no allow window is open (allow window "0 0 30 2 *" for 1h (UTC)).',
    });
    expect(refusal.passesAt).toBeUndefined();
    expect(refusal.fix).toMatch(/berth found no moment ahead/);
    const [closed] = evaluateGates({
      gates: gates({ windows: [WEEKDAYS_BERLIN] }),
      source: 'stage',
      target: 'prod',
      now: at('2026-12-04T17:00:00Z'),
      services: [],
    });
    expect(closed.fix).toBe(
      'promote when it opens (2026-12-07 09:00 Europe/Berlin (08:00 UTC, in 2d 15h)), or pass --force --reason TEXT.',
    );
  });

  it('nextOpening is now when open', () => {
    expect(nextOpening(gates({ windows: [WEEKDAYS_BERLIN] }), at('2026-12-02T10:00:00Z'))).toBe(
      at('2026-12-02T10:00:00Z'),
    );
  });
});

describe('cron schedules in a time zone', () => {
  it.each([
    // day of month and day of week without *: either fires (robfig's rule): the 13th, or a Friday
    ['0 0 13 * 5', '2026-12-02T00:00:00Z', 'UTC', '2026-12-04T00:00:00.000Z'],
    ['0 0 13 * 5', '2026-12-12T00:00:00Z', 'UTC', '2026-12-13T00:00:00.000Z'],
    // with * in day of month, only the day of week counts
    ['0 0 * * 5', '2026-12-12T00:00:00Z', 'UTC', '2026-12-18T00:00:00.000Z'],
    // names, steps, lists
    ['*/20 9 * DEC MON,WED', '2026-12-02T09:41:00Z', 'UTC', '2026-12-07T09:00:00.000Z'],
    // 02:30 does not exist in Berlin on 29 March 2026: that day is skipped
    ['30 2 * * *', '2026-03-28T12:00:00Z', 'Europe/Berlin', '2026-03-30T00:30:00.000Z'],
    // 02:30 happens twice on 25 October 2026: it fires at the first (CEST, UTC+2)
    ['30 2 * * *', '2026-10-24T12:00:00Z', 'Europe/Berlin', '2026-10-25T00:30:00.000Z'],
    ['0 9 * * *', '2026-12-02T09:00:00Z', 'America/New_York', '2026-12-02T14:00:00.000Z'],
    ['0 9 * * *', '2026-12-02T09:00:00Z', 'Asia/Kolkata', '2026-12-03T03:30:00.000Z'],
  ])('%s after %s in %s fires at %s', (schedule, from, zone, expected) => {
    expect(iso(nextFire(parseCron(schedule), at(from), zone, at(from) + 30 * 86_400_000))).toBe(expected);
  });

  it('finds nothing beyond the horizon', () => {
    expect(
      nextFire(parseCron('0 0 1 1 *'), at('2026-12-02T00:00:00Z'), 'UTC', at('2026-12-31T00:00:00Z')),
    ).toBeUndefined();
  });
});

const live = (options: FixtureOptions = {}) => parseApplication(applicationJson(options), 'test');

const SERVICE_A: GatedService = {
  service: 'service-a',
  application: 'dev-service-a',
  version: { tag: '1.4.3', chartRevision: CHART_COMMIT },
  addon: false,
  repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-a',
  pinsChartRevision: false,
};

function healthVerdicts(
  settings: Partial<PromotionGates>,
  service: Partial<GatedService>,
  now = '2026-12-02T12:00:00Z',
) {
  return evaluateGates({
    gates: gates(settings),
    source: 'dev',
    target: 'stage',
    now: at(now),
    services: [{ ...SERVICE_A, live: live(), ...service }],
  }).map((refusal) => ({ gate: refusal.gate, problem: refusal.problem, passesAt: iso(refusal.passesAt) }));
}

describe('the healthy gate', () => {
  it('passes when the source runs the version Synced and Healthy', () => {
    expect(healthVerdicts({ healthy: true }, {})).toEqual([]);
  });

  it.each<[string, FixtureOptions, RegExp]>([
    [
      'out of sync',
      { sync: 'OutOfSync' },
      /^dev-service-a is OutOfSync in Argo CD, not Synced, so dev does not run service-a 1\.4\.3 Synced and Healthy\.$/,
    ],
    ['progressing', { health: 'Progressing' }, /^dev-service-a is Progressing, not Healthy/],
    [
      'degraded, with conditions',
      { health: 'Degraded', conditions: [{ type: 'SyncError', message: 'ImagePullBackOff' }] },
      /is Degraded, not Healthy \(SyncError: ImagePullBackOff\)/,
    ],
    [
      'a failed last sync',
      { sync: 'OutOfSync', phase: 'Failed', message: 'one or more objects failed to apply' },
      /last sync Failed: one or more objects failed to apply/,
    ],
    [
      'syncing right now',
      { phase: 'Running', message: 'waiting for healthy state of apps/Deployment/service-a' },
      /is being synced right now \(waiting for healthy state/,
    ],
    [
      'another image',
      { images: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-a:1.4.2'] },
      /runs .*service-a:1\.4\.2, not .*service-a:1\.4\.3/,
    ],
  ])('refuses a source that is %s', (_name, options, problem) => {
    const [refusal, ...rest] = healthVerdicts({ healthy: true }, { live: live(options) });
    expect(rest).toEqual([]);
    expect(refusal.gate).toBe('healthy');
    expect(refusal.problem).toMatch(problem);
    expect(refusal.passesAt).toBeUndefined();
  });

  it('checks the chart revision only where the source pins one', () => {
    const other = { ...SERVICE_A.version, chartRevision: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' };
    expect(healthVerdicts({ healthy: true }, { version: other })).toEqual([]);
    expect(healthVerdicts({ healthy: true }, { version: other, pinsChartRevision: true })[0].problem).toMatch(
      /is synced to 0123456789ab.*, not the charts of aaaaaaaaaaaa/,
    );
    expect(healthVerdicts({ healthy: true }, { pinsChartRevision: true })).toEqual([]);
  });

  it('reads an add-on by its chart version in the revisions', () => {
    const addon = { addon: true, repository: undefined, version: { tag: '3.12.2', chartVersion: '3.12.2' } };
    expect(
      healthVerdicts({ healthy: true }, { ...addon, live: live({ revisions: ['3.12.2', CHART_COMMIT] }) }),
    ).toEqual([]);
    expect(healthVerdicts({ healthy: true }, addon)[0].problem).toMatch(/not chart version 3\.12\.2/);
    // an OCI chart resolves to its digest: the version is the targetRevision Argo CD compared with
    const oci = live({ revisions: [`sha256:${'c'.repeat(64)}`, CHART_COMMIT], comparedTo: ['3.12.2', 'main'] });
    expect(healthVerdicts({ healthy: true }, { ...addon, live: oci })).toEqual([]);
  });

  it('refuses, naming what to set, when Argo CD is not configured', () => {
    const [refusal] = evaluateGates({
      gates: gates({ healthy: true }),
      source: 'dev',
      target: 'stage',
      now: at('2026-12-02T12:00:00Z'),
      services: [SERVICE_A],
    });
    expect(refusal).toMatchObject({
      gate: 'healthy',
      service: 'service-a',
      problem: "stage's promotion.gates.healthy needs Argo CD's word on dev-service-a, and ARGOCD_SERVER is not set.",
      fix: 'set ARGOCD_SERVER and ARGOCD_AUTH_TOKEN (as for the argocd CLI), or pass --force --reason TEXT.',
    });
  });
});

describe('the soak gate', () => {
  const soak = { healthy: true, soak: { text: '30m', ms: 30 * 60_000 } };

  it('counts from the later of the last sync and the last health change, and says when it ends', () => {
    // synced 10:00:00, Healthy since 10:01:30
    expect(healthVerdicts(soak, {}, '2026-12-02T10:20:00Z')).toEqual([
      {
        gate: 'soak',
        problem: 'service-a 1.4.3 has been healthy in dev for 18m 30s, less than the soak of 30m.',
        passesAt: '2026-12-02T10:31:30.000Z',
      },
    ]);
    expect(healthVerdicts(soak, {}, '2026-12-02T10:31:30Z')).toEqual([]);
    // a later sync restarts it
    expect(
      healthVerdicts(soak, { live: live({ deployedAt: '2026-12-02T11:50:00Z' }) }, '2026-12-02T12:00:00Z')[0].passesAt,
    ).toBe('2026-12-02T12:20:00.000Z');
  });

  it('is not reached while the source is unhealthy: the healthy refusal says why', () => {
    expect(healthVerdicts(soak, { live: live({ health: 'Degraded' }) }).map((verdict) => verdict.gate)).toEqual([
      'healthy',
    ]);
  });

  it('refuses when Argo CD gives no time to count from', () => {
    const json = applicationJson();
    const status = json.status as Record<string, unknown>;
    status.history = [];
    status.health = { status: 'Healthy' };
    const [refusal] = healthVerdicts(soak, { live: parseApplication(json, 'test') });
    expect(refusal.problem).toMatch(/neither when dev-service-a last synced nor when its health last changed/);
  });
});

describe('image matching and times in messages', () => {
  it.each<[string[], { tag: string; digest?: string }, string | undefined, boolean]>([
    [['repo/a:1.0'], { tag: '1.0' }, 'repo/a', true],
    [['repo/a:1.0'], { tag: '1.0' }, undefined, true],
    [['repo/b:1.0'], { tag: '1.0' }, 'repo/a', false],
    [['registry:5000/a:1.0'], { tag: '1.0' }, 'registry:5000/a', true],
    [['registry:5000/a'], { tag: '5000/a' }, 'registry:5000/a', false],
    [['repo/a:1.0@sha256:abc'], { tag: '1.0', digest: 'sha256:abc' }, 'repo/a', true],
    [['repo/a@sha256:abc'], { tag: '1.0', digest: 'sha256:abc' }, 'repo/a', true],
    [['repo/a:1.0'], { tag: '1.0', digest: 'sha256:abc' }, 'repo/a', false],
    [['docker.io/library/nginx:1.27'], { tag: '1.27' }, 'nginx', true],
  ])('%j runs %j of %s: %s', (images, version, repository, expected) => {
    expect(runsImage(images, version, repository)).toBe(expected);
  });

  it('shows the moment in the zone and in UTC, with how long until then', () => {
    expect(describeAt(at('2026-12-03T08:00:00Z'), at('2026-12-02T16:48:00Z'), 'Europe/Berlin')).toBe(
      '2026-12-03 09:00 Europe/Berlin (08:00 UTC, in 15h 12m)',
    );
    expect(describeAt(at('2026-12-03T00:30:00Z'), at('2026-12-02T16:48:00Z'), 'America/New_York')).toBe(
      '2026-12-02 19:30 America/New_York (2026-12-03 00:30 UTC, in 7h 42m)',
    );
    expect(describeAt(at('2026-12-02T10:31:30Z'), at('2026-12-02T10:20:00Z'))).toBe('2026-12-02 10:31 UTC, in 11m 30s');
  });
});
