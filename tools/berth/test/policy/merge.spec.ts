// Layering a service's imageUpdates over its environment's: the service's keys win.
import { describe, expect, it } from 'vitest';
import { mergePolicies, parsePolicy } from '../../src/policy';

describe('mergePolicies', () => {
  it.each<[string, unknown, unknown, unknown]>([
    ['nothing set', undefined, undefined, undefined],
    ['environment only', { constraint: '^1' }, undefined, { constraint: '^1' }],
    ['service only', undefined, { strategy: 'newest' }, { strategy: 'newest' }],
    [
      'an empty service mapping inherits everything',
      { strategy: 'semver', constraint: '^1' },
      {},
      { strategy: 'semver', constraint: '^1' },
    ],
    [
      'the service key wins',
      { constraint: '^1', allowTags: '^v' },
      { constraint: '^2' },
      { constraint: '^2', allowTags: '^v' },
    ],
    [
      'a list is replaced, not appended to',
      { ignoreTags: ['latest'] },
      { ignoreTags: ['*-debug'] },
      { ignoreTags: ['*-debug'] },
    ],
    [
      'null removes the environment key',
      { constraint: '^1', allowTags: '^v' },
      { constraint: null },
      { allowTags: '^v' },
    ],
    [
      'switching strategy drops the environment keys of its old strategy',
      { constraint: '^1', naturalPrerelease: true, ignoreTags: ['latest'] },
      { strategy: 'digest', tag: 'main' },
      { strategy: 'digest', tag: 'main', ignoreTags: ['latest'] },
    ],
    [
      'switching back to semver drops the followed tag',
      { strategy: 'digest', tag: 'main' },
      { strategy: 'semver' },
      { strategy: 'semver' },
    ],
    [
      'keeping the strategy keeps its keys',
      { strategy: 'semver', constraint: '^1' },
      { strategy: 'semver', naturalPrerelease: true },
      { strategy: 'semver', constraint: '^1', naturalPrerelease: true },
    ],
    ['a service that is not a mapping passes through to be reported', { constraint: '^1' }, 'semver', 'semver'],
    ['an environment that is not a mapping passes through to be reported', ['x'], { constraint: '^1' }, ['x']],
  ])('%s', (_name, base, override, merged) => {
    expect(mergePolicies(base, override)).toEqual(merged);
  });

  it('does not change its inputs', () => {
    const base = { constraint: '^1', ignoreTags: ['latest'] };
    mergePolicies(base, { strategy: 'newest', ignoreTags: null });
    expect(base).toEqual({ constraint: '^1', ignoreTags: ['latest'] });
  });

  it('gives a valid policy when a service switches an environment semver policy to digest', () => {
    const merged = mergePolicies(
      { strategy: 'semver', constraint: '>=0.0.0-0', ignoreTags: ['*-debug'] },
      { strategy: 'digest', tag: 'main' },
    );
    expect(parsePolicy(merged, { field: 'imageUpdates' })).toEqual({
      strategy: 'digest',
      tag: 'main',
      ignoreTags: ['*-debug'],
    });
  });

  it('still reports a service key that does not fit the inherited strategy', () => {
    const merged = mergePolicies({ strategy: 'alphabetical' }, { constraint: '^1' });
    expect(() => parsePolicy(merged, { file: 'apps/a/app.yaml', field: 'imageUpdates' })).toThrow(
      /imageUpdates.constraint: applies only to strategy semver/,
    );
  });
});
