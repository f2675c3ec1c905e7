// env.yaml promotion.gates: what loads, and every refusal naming the file, the field and the fix.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import type { WorkspaceFiles } from '../../src/workspace/files';
import { loadEnvironment } from '../../src/workspace/load';

const repo = join(__dirname, '../../../..');
const stageEnv = readFileSync(join(repo, 'environments/stage/env.yaml'), 'utf8');
const devEnv = readFileSync(join(repo, 'environments/dev/env.yaml'), 'utf8');

function files(env: string, text: string): WorkspaceFiles {
  return {
    root: '/nowhere',
    read: (path) => (path === `environments/${env}/env.yaml` ? text : undefined),
    list: () => [],
    isDirectory: () => false,
  };
}

/** stage's env.yaml with `gates` (YAML under promotion:, indented by two) in place of its commented example. */
const stageWith = (gates: string) => stageEnv.replace(/\n {2}# Gates[\s\S]*$/, `\n${gates.replace(/^/gm, '  ')}\n`);
const load = (gates: string) => loadEnvironment(files('stage', stageWith(gates)), 'stage').promotion.gates;

function refusal(gates: string, env = 'stage', text = stageWith(gates)): BerthError {
  try {
    loadEnvironment(files(env, text), env);
  } catch (error) {
    expect(error).toBeInstanceOf(BerthError);
    return error as BerthError;
  }
  throw new Error('loaded');
}

describe('env.yaml promotion.gates', () => {
  it('is absent from the example environments, which carry it as a commented example that loads when uncommented', () => {
    expect(loadEnvironment(files('stage', stageEnv), 'stage').promotion.gates).toEqual({
      healthy: false,
      windows: [],
      freezes: [],
    });
    const uncommented = stageEnv.replace(/^ {2}# (?=gates:)/m, '  ').replace(/^ {2}# {3}/gm, '    ');
    expect(uncommented).not.toBe(stageEnv);
    expect(loadEnvironment(files('stage', uncommented), 'stage').promotion.gates).toEqual({
      healthy: true,
      soak: { text: '30m', ms: 1_800_000 },
      windows: [
        { kind: 'allow', schedule: '0 9 * * 1-5', duration: '8h', durationMs: 28_800_000, timeZone: 'Europe/Berlin' },
      ],
      freezes: [
        {
          from: '2026-12-21',
          until: '2027-01-04',
          // no timeZone: the dates are midnight UTC
          fromMs: Date.parse('2026-12-21T00:00:00Z'),
          untilMs: Date.parse('2027-01-04T00:00:00Z'),
          timeZone: 'UTC',
          reason: 'year-end freeze',
        },
      ],
    });
  });

  it('reads soak as healthy too, deny windows, descriptions, and freezes at times with offsets', () => {
    expect(
      load(
        [
          'gates:',
          '  soak: 1h30m',
          '  windows:',
          '    - {kind: deny, schedule: "0 0 * * 6", duration: 2d, description: weekends}',
          '  freezes:',
          '    - {from: "2026-12-24T12:00", until: "2026-12-27T08:00:00+01:00", timeZone: Europe/Berlin}',
        ].join('\n'),
      ),
    ).toEqual({
      healthy: true,
      soak: { text: '1h30m', ms: 5_400_000 },
      windows: [
        {
          kind: 'deny',
          schedule: '0 0 * * 6',
          duration: '2d',
          durationMs: 172_800_000,
          timeZone: 'UTC',
          description: 'weekends',
        },
      ],
      freezes: [
        {
          from: '2026-12-24T12:00',
          until: '2026-12-27T08:00:00+01:00',
          fromMs: Date.parse('2026-12-24T11:00:00Z'),
          untilMs: Date.parse('2026-12-27T07:00:00Z'),
          timeZone: 'Europe/Berlin',
        },
      ],
    });
  });

  it.each<[string, string, RegExp, RegExp]>([
    ['gates: [healthy]', 'promotion.gates', /must be a mapping/, /key: value/],
    [
      'gates:\n  soaks: 30m',
      'promotion.gates.soaks',
      /is not a key berth reads here \(it reads healthy, soak, windows and freezes\)/,
      /remove or rename it/,
    ],
    [
      'gates:\n  healthy: yes',
      'promotion.gates.healthy',
      /must be true or false \(found "yes"\)/,
      /write true or false/,
    ],
    [
      'gates:\n  soak: 30',
      'promotion.gates.soak',
      /must be a duration such as 30m \(found 30\)/,
      /a number and a unit \(d, h, m, s\)/,
    ],
    ['gates:\n  soak: 1w', 'promotion.gates.soak', /found "1w"/, /e\.g\. 30m, 2h, 1d or 1h30m/],
    [
      'gates:\n  soak: 30m\n  healthy: false',
      'promotion.gates.healthy',
      /soak counts how long the source has been healthy/,
      /remove healthy: false/,
    ],
    ['gates:\n  windows: {kind: allow}', 'promotion.gates.windows', /must be a list/, /one "- key: value" entry/],
    [
      'gates:\n  windows: [{kind: open, schedule: "* * * * *", duration: 1h}]',
      'promotion.gates.windows[0].kind',
      /must be allow or deny \(found "open"\)/,
      /kind: allow/,
    ],
    [
      'gates:\n  windows: [{kind: allow, duration: 1h}]',
      'promotion.gates.windows[0].schedule',
      /must be a non-empty string/,
      /five cron fields/,
    ],
    [
      'gates:\n  windows: [{kind: allow, schedule: "0 9 * *", duration: 1h}]',
      'promotion.gates.windows[0].schedule',
      /has 4 fields; Kubernetes expects exactly 5/,
      /five fields/,
    ],
    [
      'gates:\n  windows: [{kind: allow, schedule: "0 25 * * *", duration: 1h}]',
      'promotion.gates.windows[0].schedule',
      /The hour field "25" goes above 23/,
      /write the hour as 0-23/,
    ],
    [
      'gates:\n  windows: [{kind: allow, schedule: "@daily", duration: 1h}]',
      'promotion.gates.windows[0].schedule',
      /is a descriptor; windows take five cron fields/,
      /@daily is "0 0 \* \* \*"/,
    ],
    [
      'gates:\n  windows: [{kind: allow, schedule: "TZ=UTC 0 9 * * *", duration: 1h}]',
      'promotion.gates.windows[0].schedule',
      /names its time zone in the schedule/,
      /set timeZone: on the window/,
    ],
    [
      'gates:\n  windows: [{kind: allow, schedule: "0 9 * * *", duration: 90}]',
      'promotion.gates.windows[0].duration',
      /must be a non-empty string \(found 90\)/,
      /how long the window stays open/,
    ],
    [
      'gates:\n  windows: [{kind: allow, schedule: "0 9 * * *", duration: 1h, timeZone: Berlin}]',
      'promotion.gates.windows[0].timeZone',
      /"Berlin" is not a time zone/,
      /Europe\/Berlin/,
    ],
    [
      'gates:\n  windows: [{kind: allow, schedule: "0 9 * * *", duration: 1h, applications: ["*"]}]',
      'promotion.gates.windows[0].applications',
      /is not a key berth reads here/,
      /covers the whole environment/,
    ],
    [
      'gates:\n  freezes: [{from: "2026-12-20"}]',
      'promotion.gates.freezes[0].until',
      /must be a non-empty string/,
      /write a date/,
    ],
    [
      'gates:\n  freezes: [{from: "2026-02-30", until: "2026-03-02"}]',
      'promotion.gates.freezes[0].from',
      /"2026-02-30" is not a date or a date and time that exists in UTC/,
      /2026-12-20T18:00/,
    ],
    [
      'gates:\n  freezes: [{from: "2026-03-29T02:30", until: "2026-03-30", timeZone: Europe/Berlin}]',
      'promotion.gates.freezes[0].from',
      /does not exist|that exists in Europe\/Berlin/,
      /write it like/,
    ],
    [
      'gates:\n  freezes: [{from: "2026-12-20", until: "2026-12-20"}]',
      'promotion.gates.freezes[0].until',
      /\(2026-12-20\) is not after from \(2026-12-20\)/,
      /the moment promotions may start again/,
    ],
  ])('refuses %j at %s', (gates, field, problem, fix) => {
    const error = refusal(gates);
    expect(error.file).toBe('environments/stage/env.yaml');
    expect(error.field).toBe(field);
    expect(error.problem).toMatch(problem);
    expect(error.fix).toMatch(fix);
  });

  it('refuses gates on the first environment, which nothing promotes into', () => {
    const error = refusal(
      '',
      'dev',
      devEnv.replace(/promotion:\n {2}mode: push\n/, 'promotion:\n  mode: push\n  gates: {healthy: true}\n'),
    );
    expect(error.message).toMatch(/^environments\/dev\/env\.yaml: promotion\.gates: is set on the first environment/);
    expect(error.fix).toMatch(/move them to the env\.yaml of the environment that promotes from this one/);
  });
});
