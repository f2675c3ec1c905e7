// Which version a rollback returns to, as tables over release histories.
import { describe, expect, it } from 'vitest';
import type { Release } from '../../src/history/timeline';
import { chooseRollback, deployments } from '../../src/rollback/choose';

let clock = 0;
const release = (version: string, action: Release['action'] = 'bump', extra: Partial<Release> = {}): Release => ({
  version,
  action,
  sha: `sha-${++clock}`,
  date: '',
  author: '',
  ...extra,
});
const where = { service: 'service-a', env: 'dev' };
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

describe('deployments', () => {
  it('keeps bumps, promotions and pins that moved the version; drops rollbacks and pins in place', () => {
    const history = [
      release('1.0'),
      release('1.1', 'promote'),
      release('1.0', 'rollback', { from: '1.1' }),
      release('1.0', 'pin', { from: '1.0' }),
      release('0.9', 'pin', { from: '1.0' }),
    ];
    expect(deployments(history).map((entry) => `${entry.action} ${entry.version}`)).toEqual([
      'bump 1.0',
      'promote 1.1',
      'pin 0.9',
    ]);
  });
});

describe('chooseRollback', () => {
  const three = [release('1.0'), release('1.1'), release('1.2')];
  it.each([
    ['after 1.0 -> 1.1 -> 1.2, the one before the running version', three, { tag: '1.2' }, undefined, '1.1'],
    ['rolled back to 1.1 already: further back', three, { tag: '1.1' }, undefined, '1.0'],
    [
      'a re-deployed version counts once',
      [release('1.0'), release('1.1'), release('1.1', 'promote'), release('1.2')],
      { tag: '1.2' },
      undefined,
      '1.1',
    ],
    ['a running version with no record: the last recorded one', three, { tag: '1.3-hotfix' }, undefined, '1.2'],
    ['--to a version that ran', three, { tag: '1.2' }, '1.0', '1.0'],
    ['--to forward again, to a version that ran', three, { tag: '1.0' }, '1.2', '1.2'],
  ])('%s', (_name, history, current, requested, expected) => {
    expect(chooseRollback(history, current, where, requested).version).toBe(expected);
  });

  it('tells digests of one mutable tag apart', () => {
    const history = [release('latest', 'bump', { digest: D1 }), release('latest', 'bump', { digest: D2 })];
    expect(chooseRollback(history, { tag: 'latest', digest: D2 }, where).digest).toBe(D1);
  });

  it('refuses a version that never ran there, listing those that did', () => {
    expect(() => chooseRollback(three, { tag: '1.2' }, where, '0.9')).toThrow(
      /service-a never ran 0\.9 in dev \(versions deployed there by berth, oldest first: 1\.0, 1\.1, 1\.2\)/,
    );
  });
  it('refuses the version running now', () => {
    expect(() => chooseRollback(three, { tag: '1.2' }, where, '1.2')).toThrow(
      /already runs 1\.2 in dev: nothing to roll back/,
    );
  });
  it('refuses when nothing ran before', () => {
    expect(() => chooseRollback([release('1.0')], { tag: '1.0' }, where)).toThrow(
      /has no version before 1\.0 in dev's history \(versions deployed there by berth: 1\.0\)/,
    );
    expect(() => chooseRollback([], { tag: '1.0' }, where)).toThrow(/none recorded/);
  });

  it.each([
    [
      'the first promotion: what ran before it',
      [release('1.1', 'promote', { from: '1.0' })],
      { tag: '1.1' },
      undefined,
      '1.0',
    ],
    ['recorded versions come first', three, { tag: '1.2' }, undefined, '1.1'],
    ['after rolling back to the oldest recorded one', three, { tag: '1.0' }, undefined, '0.9'],
    ['--to the version before', three, { tag: '1.2' }, '0.9', '0.9'],
  ])('with what ran before: %s', (_name, history, current, requested, expected) => {
    const before = release('0.9', 'bump', { ranBefore: true });
    const first = history.length === 1 ? release('1.0', 'promote', { ranBefore: true }) : before;
    expect(chooseRollback(history, current, where, requested, first).version).toBe(expected);
  });

  it('never goes back to what ran before when it runs now, and names it in the refusal', () => {
    expect(() =>
      chooseRollback(
        [release('1.1', 'promote')],
        { tag: '1.0' },
        where,
        undefined,
        release('1.0', 'promote', { ranBefore: true }),
      ),
    ).toThrow(/no version before 1\.0 .*\(versions deployed there by berth: 1\.1\); before those it ran 1\.0/);
    expect(() =>
      chooseRollback([release('1.1')], { tag: '1.1' }, where, '0.1', release('1.0', 'bump', { ranBefore: true })),
    ).toThrow(
      /never ran 0\.1 in dev \(versions deployed there by berth, oldest first: 1\.1\); before those it ran 1\.0/,
    );
  });
});
