// ignoreTags globs, allowTags patterns and extract, each on its own and in the order they apply.
import { describe, expect, it } from 'vitest';
import { compileFilters, globToRegExp } from '../../src/policy/filters';

describe('ignoreTags globs', () => {
  it.each([
    ['*-debug', '1.2.3-debug', true],
    ['*-debug', '1.2.3-debug.1', false],
    ['latest', 'latest', true],
    ['latest', 'latest-1', false],
    ['v?.0', 'v1.0', true],
    ['v?.0', 'v10.0', false],
    ['*', 'anything', true],
    ['1.2.*', '1.2.9', true],
    ['1.2.*', '1x2.9', false], // the dot is literal
    ['sha-[a-f]*', 'sha-[a-f]00', true], // brackets are literal too
    ['sha-[a-f]*', 'sha-b00', false],
  ])('%s on %s: %s', (glob, tag, matches) => {
    expect(globToRegExp(glob).test(tag)).toBe(matches);
  });
});

describe('compileFilters', () => {
  const apply = (policy: Parameters<typeof compileFilters>[0], tag: string) => compileFilters(policy).apply(tag);

  it.each([
    [{}, 'anything', { compared: 'anything' }],
    [{ ignoreTags: ['latest', '*-debug'] }, '1.0-debug', { rejected: 'ignored by ignoreTags *-debug' }],
    [{ ignoreTags: ['latest', '*-debug'] }, '1.0', { compared: '1.0' }],
    [{ allowTags: '^v\\d' }, 'v1.2', { compared: 'v1.2' }],
    [{ allowTags: '^v\\d' }, '1.2', { rejected: 'does not match allowTags ^v\\d' }],
    [{ allowTags: 'rc' }, '1.0-rc.1', { compared: '1.0-rc.1' }], // unanchored unless the pattern anchors itself
    [{ extract: '^main-(\\d+)$' }, 'main-42', { compared: '42' }],
    [{ extract: '^main-(\\d+)$' }, 'dev-42', { rejected: 'does not match extract ^main-(\\d+)$' }],
    [{ extract: '^(?:a-(\\d+)|b-\\d+)$' }, 'b-1', { rejected: 'extract ^(?:a-(\\d+)|b-\\d+)$ captured nothing' }],
    [{ extract: '^build-(?P<n>\\d+)$' }, 'build-7', { compared: '7' }], // Go named groups, as copied from Flux
    // ignoreTags before allowTags before extract
    [
      { ignoreTags: ['main-1'], allowTags: '^x', extract: '^main-(\\d+)$' },
      'main-1',
      { rejected: 'ignored by ignoreTags main-1' },
    ],
    [{ allowTags: '^x', extract: '^main-(\\d+)$' }, 'main-1', { rejected: 'does not match allowTags ^x' }],
  ])('%j on %s gives %j', (policy, tag, result) => {
    expect(apply(policy, tag)).toEqual(result);
  });
});
