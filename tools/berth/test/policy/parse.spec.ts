// Policy validation: valid mappings normalise, invalid ones fail naming the file, the field and the fix.
import { describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import { parsePolicy, policyNeedsCreationTime } from '../../src/policy';

const where = { file: 'apps/service-a/app.yaml', field: 'imageUpdates' };

function failure(raw: unknown): BerthError {
  try {
    parsePolicy(raw, where);
  } catch (error) {
    if (error instanceof BerthError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

describe('parsePolicy accepts', () => {
  it.each([
    [undefined, { strategy: 'semver' }],
    [null, { strategy: 'semver' }],
    [{}, { strategy: 'semver' }],
    [{ constraint: '^1.4' }, { strategy: 'semver', constraint: '^1.4' }],
    [{ strategy: 'semver', constraint: null }, { strategy: 'semver' }],
    [
      { strategy: 'semver', constraint: '>=1.0.0-0', naturalPrerelease: true },
      { strategy: 'semver', constraint: '>=1.0.0-0', naturalPrerelease: true },
    ],
    [
      { strategy: 'digest', tag: 'main' },
      { strategy: 'digest', tag: 'main' },
    ],
    [
      { strategy: 'numerical', extract: '^build-(\\d+)$' },
      { strategy: 'numerical', extract: '^build-(\\d+)$' },
    ],
    [
      { strategy: 'newest', allowTags: '^main-', ignoreTags: ['*-debug'] },
      { strategy: 'newest', allowTags: '^main-', ignoreTags: ['*-debug'] },
    ],
    [
      { strategy: 'alphabetical', ignoreTags: [] },
      { strategy: 'alphabetical', ignoreTags: [] },
    ],
  ])('%j', (raw, policy) => {
    expect(parsePolicy(raw, where)).toEqual(policy);
  });
});

describe('parsePolicy rejects', () => {
  it.each<[string, unknown, string, RegExp, RegExp]>([
    // [case, raw, field, problem, fix]
    ['a list instead of a mapping', ['semver'], 'imageUpdates', /must be a mapping/, /strategy: semver/],
    [
      'an unknown key',
      { strategy: 'semver', constraints: '^1' },
      'imageUpdates.constraints',
      /not an image policy key/,
      /constraint, allowTags/,
    ],
    [
      'an unknown strategy',
      { strategy: 'latest' },
      'imageUpdates.strategy',
      /must be one of semver, newest, alphabetical, numerical, digest/,
      /set strategy/,
    ],
    ['a strategy in the wrong case', { strategy: 'SemVer' }, 'imageUpdates.strategy', /found "SemVer"/, /semver/],
    [
      'an invalid range',
      { constraint: '1.0.0p' },
      'imageUpdates.constraint',
      /"1.0.0p" is not a semver range/,
      /\^1\.4/,
    ],
    ['an empty range', { constraint: '' }, 'imageUpdates.constraint', /non-empty string/, /remove it/],
    [
      'a range YAML read as a number',
      { constraint: 1.2 },
      'imageUpdates.constraint',
      /read 1.2 as a number/,
      /quote it: constraint: "1.2"/,
    ],
    [
      'a constraint under another strategy',
      { strategy: 'alphabetical', constraint: '^1' },
      'imageUpdates.constraint',
      /applies only to strategy semver/,
      /set strategy: semver/,
    ],
    [
      'naturalPrerelease under another strategy',
      { strategy: 'numerical', naturalPrerelease: true },
      'imageUpdates.naturalPrerelease',
      /only to strategy semver/,
      /remove naturalPrerelease/,
    ],
    [
      'naturalPrerelease not a boolean',
      { naturalPrerelease: 'yes' },
      'imageUpdates.naturalPrerelease',
      /true or false/,
      /naturalPrerelease: true/,
    ],
    [
      'a bad allowTags regex',
      { allowTags: '^(v' },
      'imageUpdates.allowTags',
      /not a valid regular expression/,
      /correct the pattern/,
    ],
    [
      'an Argo CD regexp: prefix',
      { allowTags: 'regexp:^v1' },
      'imageUpdates.allowTags',
      /regexp: prefix/,
      /allowTags: "\^v1"/,
    ],
    [
      'a bad extract regex',
      { extract: '[' },
      'imageUpdates.extract',
      /not a valid regular expression/,
      /correct the pattern/,
    ],
    [
      'extract without a capture group',
      { extract: '^v\\d+$' },
      'imageUpdates.extract',
      /no capture group/,
      /parentheses/,
    ],
    [
      'ignoreTags as one string',
      { ignoreTags: '*-debug' },
      'imageUpdates.ignoreTags',
      /list of globs/,
      /ignoreTags: \["\*-debug"\]/,
    ],
    [
      'ignoreTags with a non-string',
      { ignoreTags: ['ok', 3] },
      'imageUpdates.ignoreTags',
      /non-empty globs/,
      /\*-debug/,
    ],
    ['digest without a tag', { strategy: 'digest' }, 'imageUpdates.tag', /must name the tag to follow/, /tag: main/],
    [
      'a tag under another strategy',
      { strategy: 'semver', tag: 'main' },
      'imageUpdates.tag',
      /only to strategy digest/,
      /strategy: digest/,
    ],
    [
      'a tag that is no image tag',
      { strategy: 'digest', tag: '-bad/tag' },
      'imageUpdates.tag',
      /not a valid image tag/,
      /letters, digits/,
    ],
  ])('%s', (_name, raw, field, problem, fix) => {
    const error = failure(raw);
    expect(error.file).toBe('apps/service-a/app.yaml');
    expect(error.field).toBe(field);
    expect(error.problem).toMatch(problem);
    expect(error.fix).toMatch(fix);
    expect(error.message).toContain(`apps/service-a/app.yaml: ${field}: `);
  });

  it('keeps the regular expression error as the cause', () => {
    expect(failure({ allowTags: '(' }).cause).toBeInstanceOf(SyntaxError);
  });

  it('names the bare key when no field is given', () => {
    expect(() => parsePolicy({ strategy: 'x' }, {})).toThrow(/^strategy: must be one of/);
  });
});

describe('policyNeedsCreationTime', () => {
  it.each([
    ['newest', true],
    ['semver', false],
    ['alphabetical', false],
    ['numerical', false],
  ] as const)('%s: %s', (strategy, needs) => {
    expect(policyNeedsCreationTime({ strategy })).toBe(needs);
  });

  it('digest: false', () => {
    expect(policyNeedsCreationTime({ strategy: 'digest', tag: 'main' })).toBe(false);
  });
});
