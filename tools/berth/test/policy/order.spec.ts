// Code point order for alphabetical tags, natural order for pre-release words, exact numbers for numerical tags.
import { describe, expect, it } from 'vitest';
import { compareNumbers, readNumber } from '../../src/policy/numeric';
import { compareCodePoints, compareNatural } from '../../src/policy/order';

describe('compareCodePoints', () => {
  it.each([
    ['a', 'b', -1],
    ['B', 'a', -1],
    ['20.10', '20.04', 1],
    ['1.10', '1.9', -1],
    ['abc', 'ab', 1],
    ['same', 'same', 0],
    ['\u{1F600}', '\uFFFF', 1], // a UTF-16 comparison gets this one wrong
    ['\u{1F600}a', '\u{1F601}', -1],
    ['x\u{10000}', 'x\uE000', 1],
  ])('%j vs %j is %i', (a, b, order) => {
    expect(compareCodePoints(a, b)).toBe(order);
  });
});

describe('compareNatural', () => {
  it.each([
    ['rc9', 'rc10', -1],
    ['rc10', 'rc9', 1],
    ['beta', 'rc1', -1],
    ['rc', 'rc1', -1],
    ['rc09', 'rc9', -1],
    ['a10b2', 'a10b10', -1],
    ['x', 'x', 0],
  ])('%j vs %j is %i', (a, b, order) => {
    expect(compareNatural(a, b)).toBe(order);
  });
});

describe('numbers', () => {
  it.each(['abc', '1-2', '', '-', '.', '1e', '0x10', 'Infinity', 'NaN', '1_000', ' 1'])(
    '%j is not a number',
    (text) => {
      expect(readNumber(text)).toBeNull();
    },
  );

  it.each([
    ['73', '72', 1],
    ['-62', '-88', 1],
    ['-1', '0', -1],
    ['-0', '0', 0],
    ['007', '7', 0],
    ['1.5', '1.25', 1],
    ['.5', '0.5', 0],
    ['2e3', '1999', 1],
    ['1E-1', '0.1', 0],
    ['100', '1e2', 0],
    ['+3', '3', 0],
    // past 2^53, where floating point would call these equal
    ['20240517093011123456789', '20240517093011123456788', 1],
    ['-20240517093011123456789', '-20240517093011123456788', -1],
  ])('%s vs %s is %i', (a, b, order) => {
    expect(compareNumbers(readNumber(a)!, readNumber(b)!)).toBe(order);
    expect(compareNumbers(readNumber(b)!, readNumber(a)!)).toBe(-order || 0);
  });
});
