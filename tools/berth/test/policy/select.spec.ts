// Tag selection per strategy, with a verdict for every candidate, best first.
import { describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import { selectTag, type ImagePolicy, type TagCandidate } from '../../src/policy';

const tags = (...names: string[]): TagCandidate[] => names.map((tag) => ({ tag }));
const pick = (candidates: TagCandidate[], policy: ImagePolicy) => selectTag(candidates, policy).selected;
const verdicts = (candidates: TagCandidate[], policy: ImagePolicy) =>
  selectTag(candidates, policy).candidates.map(({ tag, taken, reason }) => [tag, taken, reason]);

describe('semver', () => {
  it.each<[string, string[], ImagePolicy, string | null]>([
    ['highest release', ['1.0.0', '1.10.0', '1.9.0'], { strategy: 'semver' }, '1.10.0'],
    ['lenient v and missing parts', ['v1.2', '1.1.9', 'v1.2.1'], { strategy: 'semver' }, 'v1.2.1'],
    ['caret', ['1.4.3', '1.5.0', '2.0.0'], { strategy: 'semver', constraint: '^1.4' }, '1.5.0'],
    ['comma-separated and', ['1.4.3', '1.5.0', '2.0.0'], { strategy: 'semver', constraint: '>=1.0, <1.5' }, '1.4.3'],
    ['releases only by default', ['1.0.0', '2.0.0-rc.1'], { strategy: 'semver' }, '1.0.0'],
    [
      'releases only for a range without pre-releases',
      ['1.0.0', '1.1.0-rc.1'],
      { strategy: 'semver', constraint: '^1.0' },
      '1.0.0',
    ],
    [
      'pre-releases when the range names one',
      ['1.0.0', '1.1.0-rc.1'],
      { strategy: 'semver', constraint: '>=1.0.0-0' },
      '1.1.0-rc.1',
    ],
    [
      'a release outranks its pre-releases',
      ['1.1.0-rc.1', '1.1.0'],
      { strategy: 'semver', constraint: '>=1.0.0-0' },
      '1.1.0',
    ],
    [
      'spec order: rc.10 after rc.9',
      ['1.0.1-rc.9', '1.0.1-rc.10'],
      { strategy: 'semver', constraint: '>=1.0.0-0' },
      '1.0.1-rc.10',
    ],
    [
      'spec order: rc9 after rc10 (identifiers are words)',
      ['1.0.1-rc9', '1.0.1-rc10'],
      { strategy: 'semver', constraint: '>=1.0.0-0' },
      '1.0.1-rc9',
    ],
    [
      'natural order: rc10 after rc9',
      ['1.0.1-rc9', '1.0.1-rc10'],
      { strategy: 'semver', constraint: '>=1.0.0-0', naturalPrerelease: true },
      '1.0.1-rc10',
    ],
    [
      'natural order keeps rc.10 after rc.9',
      ['1.0.1-rc.10', '1.0.1-rc.9'],
      { strategy: 'semver', constraint: '>=1.0.0-0', naturalPrerelease: true },
      '1.0.1-rc.10',
    ],
    [
      'extract compares the version, writes the tag',
      ['app-1.2.0', 'app-1.10.0', 'other-9.0.0'],
      { strategy: 'semver', extract: '^app-(.+)$' },
      'app-1.10.0',
    ],
    [
      'extract with a constraint',
      ['app-1.2.0', 'app-2.0.0'],
      { strategy: 'semver', extract: '^app-(.+)$', constraint: '<2' },
      'app-1.2.0',
    ],
    ['ties go to the greater tag name', ['1.0', 'v1.0.0', '1.0.0'], { strategy: 'semver' }, 'v1.0.0'],
    ['nothing qualifies', ['latest', 'main'], { strategy: 'semver' }, null],
    ['no candidates', [], { strategy: 'semver' }, null],
  ])('%s', (_name, names, policy, expected) => {
    expect(pick(tags(...names), policy)).toBe(expected);
    expect(pick(tags(...names).reverse(), policy)).toBe(expected);
  });

  it('explains every tag, best first, then the rejected ones in the order given', () => {
    const policy: ImagePolicy = { strategy: 'semver', constraint: '^1.0', ignoreTags: ['*-debug'] };
    expect(
      verdicts(tags('latest', '1.4.2', '1.4.3-debug', '2.0.0', '1.4.3', '1.0.0.1', '1.5.0-rc.1', '1.4.3'), policy),
    ).toEqual([
      ['1.4.3', true, 'selected'],
      ['1.4.3', false, 'duplicate of the selected tag'],
      ['1.4.2', false, 'older than 1.4.3'],
      ['latest', false, 'not a version'],
      ['1.4.3-debug', false, 'ignored by ignoreTags *-debug'],
      ['2.0.0', false, 'outside constraint ^1.0'],
      ['1.0.0.1', false, 'not a version'],
      ['1.5.0-rc.1', false, 'pre-release, and constraint ^1.0 names none'],
    ]);
  });

  it('says which extracted part was not a version', () => {
    expect(verdicts(tags('app-main', 'app-1.0'), { strategy: 'semver', extract: '^app-(.*)$' })).toEqual([
      ['app-1.0', true, 'selected'],
      ['app-main', false, 'not a version (extracted "main")'],
    ]);
  });
});

describe('newest', () => {
  const at = (tag: string, iso?: string): TagCandidate => ({
    tag,
    created: iso === undefined ? undefined : new Date(iso),
  });

  it('takes the most recently created tag, whatever its name', () => {
    const candidates = [
      at('main-abc', '2026-01-02T00:00:00Z'),
      at('main-fff', '2026-01-01T00:00:00Z'),
      at('main-000', '2026-01-03T00:00:00Z'),
    ];
    expect(verdicts(candidates, { strategy: 'newest' })).toEqual([
      ['main-000', true, 'selected'],
      ['main-abc', false, 'created before main-000'],
      ['main-fff', false, 'created before main-000'],
    ]);
  });

  it('rejects tags without a creation time, with a reason', () => {
    const candidates = [at('a'), at('b', '2026-01-01T00:00:00Z'), at('c', 'not a time')];
    expect(verdicts(candidates, { strategy: 'newest' })).toEqual([
      ['b', true, 'selected'],
      ['a', false, 'no creation time'],
      ['c', false, 'creation time is not a valid date'],
    ]);
    expect(pick([at('a'), at('b')], { strategy: 'newest' })).toBeNull();
  });

  it('applies the filters first', () => {
    const candidates = [at('main-1', '2026-01-01T00:00:00Z'), at('pr-7', '2026-02-01T00:00:00Z')];
    expect(pick(candidates, { strategy: 'newest', allowTags: '^main-' })).toBe('main-1');
  });

  it('breaks equal times by tag name, not by listing order', () => {
    const candidates = [at('x1', '2026-01-01T00:00:00Z'), at('x2', '2026-01-01T00:00:00Z')];
    expect(pick(candidates, { strategy: 'newest' })).toBe('x2');
    expect(pick([...candidates].reverse(), { strategy: 'newest' })).toBe('x2');
  });
});

describe('alphabetical', () => {
  it.each<[string[], ImagePolicy, string | null]>([
    [['zz', 'bb', 'yy'], { strategy: 'alphabetical' }, 'zz'],
    [['Zebra', 'apple'], { strategy: 'alphabetical' }, 'apple'], // code point order: upper case sorts first
    [['1.9', '1.10'], { strategy: 'alphabetical' }, '1.9'],
    [
      ['RELEASE.2024-01-02', 'RELEASE.2023-12-31', 'latest'],
      { strategy: 'alphabetical', allowTags: '^RELEASE\\.' },
      'RELEASE.2024-01-02',
    ],
    [['b-2024', 'a-2025'], { strategy: 'alphabetical', extract: '^[ab]-(\\d+)$' }, 'a-2025'],
  ])('%j with %j picks %s', (names, policy, expected) => {
    expect(pick(tags(...names), policy)).toBe(expected);
  });

  it('says how the others compare', () => {
    expect(verdicts(tags('a', 'c', 'b'), { strategy: 'alphabetical' })).toEqual([
      ['c', true, 'selected'],
      ['b', false, 'sorts before c'],
      ['a', false, 'sorts before c'],
    ]);
  });
});

describe('numerical', () => {
  it.each<[string[], ImagePolicy, string | null]>([
    [['-62', '-88', '73', '72'], { strategy: 'numerical' }, '73'],
    [['9', '10', '1e1', '010'], { strategy: 'numerical' }, '1e1'], // 10, 1e1 and 010 tie; the greatest name wins
    [['1.5', '1.25', 'x'], { strategy: 'numerical' }, '1.5'],
    [['build-9', 'build-10', 'build-x'], { strategy: 'numerical', extract: '^build-(.*)$' }, 'build-10'],
    [['latest', 'main'], { strategy: 'numerical' }, null],
  ])('%j with %j picks %s', (names, policy, expected) => {
    expect(pick(tags(...names), policy)).toBe(expected);
  });

  it('skips non-numbers with a reason', () => {
    expect(verdicts(tags('3', 'x', '12', 'build-x'), { strategy: 'numerical' })).toEqual([
      ['12', true, 'selected'],
      ['3', false, 'smaller than 12'],
      ['x', false, 'not a number'],
      ['build-x', false, 'not a number'],
    ]);
  });

  it('says when two numbers rank equal', () => {
    expect(verdicts(tags('10', '010'), { strategy: 'numerical' })).toEqual([
      ['10', true, 'selected'],
      ['010', false, 'ranks equal to 10; ties go to the greater tag name'],
    ]);
  });
});

describe('digest', () => {
  it('follows the named tag and rejects the rest', () => {
    expect(verdicts(tags('1.0.0', 'main', 'latest', 'main'), { strategy: 'digest', tag: 'main' })).toEqual([
      ['main', true, 'selected'],
      ['main', false, 'duplicate of the selected tag'],
      ['1.0.0', false, 'not the followed tag main'],
      ['latest', false, 'not the followed tag main'],
    ]);
  });

  it('selects nothing when the registry has no such tag', () => {
    expect(pick(tags('1.0.0'), { strategy: 'digest', tag: 'main' })).toBeNull();
  });
});

describe('an invalid policy is an error, not "no tag"', () => {
  it.each<[string, ImagePolicy]>([
    ['unknown strategy', { strategy: 'latest' as never }],
    ['bad regex', { strategy: 'semver', allowTags: '(' }],
    ['bad range', { strategy: 'semver', constraint: '1.0.0p' }],
    ['digest without tag', { strategy: 'digest' }],
  ])('%s', (_name, policy) => {
    expect(() => selectTag(tags('1.0.0'), policy)).toThrow(BerthError);
  });
});
