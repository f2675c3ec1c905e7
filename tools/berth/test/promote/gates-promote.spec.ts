// berth promote against its gates, end to end with real git: a refusal writes nothing and says when it would pass;
// --force --reason promotes and records the override in the commit's trailers.
import { describe, expect, it } from 'vitest';
import { promote } from '../../src/promote/command';
import { parseRecords } from '../../src/git/trailers';
import { edit, git } from '../cli/workspace';
import { closedPort } from '../support/closed-port';
import { berthWith, platform } from './support';

const NO_ARGOCD = { ARGOCD_SERVER: undefined, ARGOCD_AUTH_TOKEN: undefined, ARGOCD_OPTS: undefined };

/** The example platform with `gates` (YAML under promotion:, two spaces in) in stage's env.yaml, committed and pushed. */
function platformWithGates(gates: string) {
  const gitops = platform();
  edit(gitops.work, 'environments/stage/env.yaml', (text) =>
    text.replace(/\n {2}# Gates[\s\S]*$/, `\n${gates.replace(/^/gm, '  ')}\n`),
  );
  git(gitops.work, 'commit', '-qam', 'test: stage gates');
  git(gitops.work, 'push', '-q', 'origin', 'main');
  return gitops;
}

const FREEZE = 'gates:\n  freezes:\n    - {from: "2000-01-01", until: "2100-01-01", reason: "the long freeze"}';

describe('berth promote with promotion gates', () => {
  it('refuses during a freeze, names the gate and when it ends, and writes nothing', async () => {
    const { work, remote } = platformWithGates(FREEZE);
    const head = git(work, 'rev-parse', 'HEAD');
    const run = await berthWith(work, NO_ARGOCD, 'promote', 'service-a', '--to', 'stage');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /environments\/stage\/env\.yaml: promotion\.gates\.freezes: stage's promotion gates refuse promoting from dev now \(freeze\):\n {2}freeze: the freeze from 2000-01-01 until 2100-01-01 \(the long freeze\) is on\.\n {4}Fix: promote when it opens \(2100-01-01 00:00 UTC, in \d+d \d+h\), or pass --force --reason TEXT\./,
    );
    expect(run.stderr).toMatch(/Fix: wait until each gate passes as said above, or pass --force --reason TEXT/);
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(work, 'status', '--porcelain')).toBe('');
    expect(git(remote, 'rev-parse', 'main')).toBe(head);
  });

  it('refuses --force without --reason, and --reason without --force, before anything else', async () => {
    const { work } = platformWithGates(FREEZE);
    const head = git(work, 'rev-parse', 'HEAD');
    const forced = await berthWith(work, NO_ARGOCD, 'promote', 'service-a', '--to', 'stage', '--force');
    expect(forced.status).toBe(1);
    expect(forced.stderr).toMatch(/--force needs --reason: the commit records why/);
    const reason = await berthWith(work, NO_ARGOCD, 'promote', 'service-a', '--to', 'stage', '--reason', 'x');
    expect(reason.status).toBe(1);
    expect(reason.stderr).toMatch(/--reason is only for --force/);
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('--force --reason promotes through the freeze and records it in the trailers', async () => {
    const { work, remote } = platformWithGates(FREEZE);
    const run = await berthWith(
      work,
      NO_ARGOCD,
      'promote',
      'service-a',
      '--to',
      'stage',
      '--force',
      '--reason',
      'INC-7 hotfix',
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /forced past stage's promotion gates \(INC-7 hotfix\):\n {2}freeze: the freeze from 2000-01-01/,
    );
    const message = git(work, 'log', '-1', '--format=%B');
    expect(message).toMatch(/\nBerth-Reason: INC-7 hotfix\nBerth-Forced: freeze$/);
    expect(parseRecords(message)).toEqual([
      expect.objectContaining({ service: 'service-a', action: 'promote', forced: 'freeze', reason: 'INC-7 hotfix' }),
    ]);
    expect(git(remote, 'rev-parse', 'main')).toBe(git(work, 'rev-parse', 'HEAD'));
  });

  it('the healthy gate refuses without ARGOCD_SERVER, naming what to set; an unreachable server is an error too', async () => {
    const { work } = platformWithGates('gates:\n  healthy: true');
    const head = git(work, 'rev-parse', 'HEAD');
    const unset = await berthWith(work, NO_ARGOCD, 'promote', 'service-a', '--to', 'stage');
    expect(unset.status).toBe(1);
    expect(unset.stderr).toMatch(
      /healthy \(service-a\): stage's promotion\.gates\.healthy needs Argo CD's word on dev-service-a, and ARGOCD_SERVER is not set\.\n {4}Fix: set ARGOCD_SERVER and ARGOCD_AUTH_TOKEN \(as for the argocd CLI\), or pass --force --reason TEXT\./,
    );
    const port = await closedPort();
    const down = await berthWith(
      work,
      { ...NO_ARGOCD, ARGOCD_SERVER: `127.0.0.1:${port}`, ARGOCD_AUTH_TOKEN: 'not-a-real-token' },
      'promote',
      'service-a',
      '--to',
      'stage',
    );
    expect(down.status).toBe(1);
    expect(down.stderr).toMatch(
      new RegExp(`ARGOCD_SERVER: could not reach Argo CD at https://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
    expect(down.stderr).toMatch(/Fix: check ARGOCD_SERVER/);
    expect(down.stderr).not.toMatch(/not-a-real-token/);
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head);

    // forced: the gate berth could not check is the one it went past
    const forced = await berthWith(
      work,
      { ...NO_ARGOCD, ARGOCD_SERVER: `127.0.0.1:${port}`, ARGOCD_AUTH_TOKEN: 'not-a-real-token' },
      'promote',
      'service-a',
      '--to',
      'stage',
      '--force',
      '--reason',
      'Argo CD is down',
      '--json',
    );
    expect(forced.status).toBe(0);
    expect(JSON.parse(forced.stdout).forced).toEqual({
      reason: 'Argo CD is down',
      gates: [
        {
          gate: 'healthy',
          service: null,
          problem: expect.stringMatching(/^not checked: could not reach Argo CD at https:\/\/127\.0\.0\.1:\d+/),
          passesAt: null,
        },
      ],
    });
    expect(git(work, 'log', '-1', '--format=%B')).toMatch(/\nBerth-Reason: Argo CD is down\nBerth-Forced: healthy$/);
  });

  it('a window lets the promotion in only while it is open, by the clock it is given', async () => {
    const { work } = platformWithGates(
      'gates:\n  windows:\n    - {kind: allow, schedule: "0 9 * * 1-5", duration: 8h, timeZone: Europe/Berlin}',
    );
    const head = git(work, 'rev-parse', 'HEAD');
    // Saturday 5 December 2026, noon in Berlin
    await expect(
      promote({
        root: work,
        services: ['service-a'],
        to: 'stage',
        now: Date.parse('2026-12-05T11:00:00Z'),
        argocd: null,
      }),
    ).rejects.toThrow(
      /window: no allow window is open \(allow window "0 9 \* \* 1-5" for 8h \(Europe\/Berlin\)\)\.\n {4}Fix: promote when it opens \(2026-12-07 09:00 Europe\/Berlin \(08:00 UTC, in 1d 21h\)\)/,
    );
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head);
    // Monday 7 December, 10:00 in Berlin
    const report = await promote({
      root: work,
      services: ['service-a'],
      to: 'stage',
      now: Date.parse('2026-12-07T09:00:00Z'),
      argocd: null,
    });
    expect(report.forced).toBeUndefined();
    expect(report.commit).toBe(git(work, 'rev-parse', 'HEAD'));
    expect(git(work, 'log', '-1', '--format=%B')).not.toMatch(/Berth-Forced/);
  });

  it('asks nothing when nothing moves: a promotion that is a no-op passes every gate', async () => {
    const { work } = platformWithGates(FREEZE);
    await berthWith(work, NO_ARGOCD, 'promote', 'service-a', '--to', 'stage', '--force', '--reason', 'first');
    const again = await berthWith(work, NO_ARGOCD, 'promote', 'service-a', '--to', 'stage');
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/nothing to promote from dev to stage: no commit/);
  });
});
