// What `--explain` prints: the policy, the outcome, and one line per tag with its verdict.
import { describe, expect, it } from 'vitest';
import { describePolicy, explainSelection, selectTag, type ImagePolicy } from '../../src/policy';

describe('describePolicy', () => {
  it.each<[ImagePolicy, string]>([
    [{ strategy: 'semver' }, 'strategy semver'],
    [
      { strategy: 'semver', constraint: '^1.0', ignoreTags: ['*-debug', 'latest'], naturalPrerelease: true },
      'strategy semver, constraint ^1.0, ignoreTags *-debug|latest, naturalPrerelease',
    ],
    [{ strategy: 'digest', tag: 'main' }, 'strategy digest, tag main'],
    [
      { strategy: 'numerical', allowTags: '^b', extract: '^b-(\\d+)$' },
      'strategy numerical, allowTags /^b/, extract /^b-(\\d+)$/',
    ],
  ])('%j', (policy, text) => {
    expect(describePolicy(policy)).toBe(text);
  });
});

describe('explainSelection', () => {
  it('prints the selected tag first and a reason for every other', () => {
    const policy: ImagePolicy = { strategy: 'semver', constraint: '^1.0' };
    const selection = selectTag(
      ['latest', '1.4.2', '1.4.3', '2.0.0'].map((tag) => ({ tag })),
      policy,
    );
    expect(explainSelection(selection, policy)).toEqual([
      'strategy semver, constraint ^1.0: selected 1.4.3',
      '  + 1.4.3   selected',
      '  - 1.4.2   older than 1.4.3',
      '  - latest  not a version',
      '  - 2.0.0   outside constraint ^1.0',
    ]);
  });

  it('says when no tag qualifies', () => {
    const policy: ImagePolicy = { strategy: 'semver' };
    const selection = selectTag([{ tag: 'main' }], policy);
    expect(explainSelection(selection, policy)).toEqual([
      'strategy semver: no tag qualifies (1 considered)',
      '  - main  not a version',
    ]);
  });
});
