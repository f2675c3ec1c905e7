// Lenient version reading, constraints and pre-release order, both by the semver spec and naturally.
import { describe, expect, it } from 'vitest';
import { compareVersions, readConstraint, readVersion } from '../../src/policy/version';

describe('readVersion', () => {
  it.each([
    ['1.2.3', '1.2.3'],
    ['v1.2.3', '1.2.3'],
    ['1.2', '1.2.0'],
    ['v2', '2.0.0'],
    ['16.04', '16.4.0'],
    ['1.0.1-rc.10', '1.0.1-rc.10'],
    ['1.2-beta.1', '1.2.0-beta.1'],
    ['1.2.3+build.7', '1.2.3'],
    ['v2.3.0-rc.0.18.g1abb7b5dd-ppc64le', '2.3.0-rc.0.18.g1abb7b5dd-ppc64le'],
  ])('reads %s as %s', (tag, version) => {
    expect(readVersion(tag)?.version).toBe(version);
  });

  it.each([
    '1.0.0.1',
    '1.0.0p',
    'latest',
    '',
    'v',
    'V1.2.3',
    '1..2',
    '1.2.3-',
    '1.2.3-rc.01',
    '1.2.3-rc..1',
    '99999999999999999999.0.0',
    'main-1.2.3',
  ])('does not read %j as a version', (tag) => {
    expect(readVersion(tag)).toBeNull();
  });
});

describe('readConstraint', () => {
  it.each([
    ['^1.0', false],
    ['~1.0', false],
    ['1.0.x', false],
    ['>=1.0.0 <2.0.0', false],
    ['1.0 - 2.0', false],
    ['>=1.0.0-0', true],
    ['^2.0.0-rc.1', true],
    ['>=1.0.0-0 <2', true],
    ['~1.0 || >=3.0.0-beta', true],
  ])('%s admits pre-releases: %s', (text, allows) => {
    expect(readConstraint(text).allowsPrerelease).toBe(allows);
  });

  it('accepts commas as "and", as the Go semver libraries do', () => {
    const { range } = readConstraint('>= 1.0, < 2.0');
    expect(range.test('1.5.0')).toBe(true);
    expect(range.test('2.0.0')).toBe(false);
  });

  it('admits pre-releases anywhere in a range that names one', () => {
    const { range } = readConstraint('>=1.0.0-0');
    expect(range.test('1.0.1-rc.9')).toBe(true);
    expect(readConstraint('^1.0').range.test('1.0.1-rc.9')).toBe(false);
  });

  it.each(['1.0.0p', 'abc', '', '  ', '1.2.3.4'])('rejects %j', (text) => {
    expect(() => readConstraint(text)).toThrow(TypeError);
  });
});

describe('compareVersions', () => {
  const highest = (tags: string[], natural: boolean) =>
    tags
      .map((tag) => ({ tag, version: readVersion(tag)! }))
      .sort((a, b) => compareVersions(b.version, a.version, natural))[0].tag;

  it.each([
    // [tags, by the semver spec, naturally]
    [['1.0.1-rc.9', '1.0.1-rc.10'], '1.0.1-rc.10', '1.0.1-rc.10'],
    [['1.0.1-rc9', '1.0.1-rc10'], '1.0.1-rc9', '1.0.1-rc10'],
    [['1.0.1-beta2.1', '1.0.1-beta11.0'], '1.0.1-beta2.1', '1.0.1-beta11.0'],
    [['1.0.1-rc10', '1.0.1'], '1.0.1', '1.0.1'],
    [['1.0.1-1', '1.0.1-alpha'], '1.0.1-alpha', '1.0.1-alpha'],
    [['1.0.1-rc.1', '1.0.1-rc.1.1'], '1.0.1-rc.1.1', '1.0.1-rc.1.1'],
    [['1.0.0-rc10', '1.0.1-rc9'], '1.0.1-rc9', '1.0.1-rc9'],
  ])('%j: spec picks %s, natural picks %s', (tags, spec, natural) => {
    expect(highest(tags, false)).toBe(spec);
    expect(highest([...tags].reverse(), false)).toBe(spec);
    expect(highest(tags, true)).toBe(natural);
    expect(highest([...tags].reverse(), true)).toBe(natural);
  });

  it('orders equal versions by build metadata so the order is total', () => {
    expect(compareVersions(readVersion('1.0.0+2')!, readVersion('1.0.0+1')!)).toBe(1);
    expect(compareVersions(readVersion('v1.0')!, readVersion('1.0.0')!)).toBe(0);
  });
});
