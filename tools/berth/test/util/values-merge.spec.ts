// helm's two value merges as a table: --values files in order, and the user's values coalesced over chart defaults.
import { describe, expect, it } from 'vitest';
import { coalesce, isMap, mergeValues } from '../../src/util/values-merge';

describe('mergeValues (repeated --values files)', () => {
  it.each([
    ['a later scalar wins', { a: 1 }, { a: 2 }, { a: 2 }],
    ['maps merge key by key', { a: { b: 1, c: 2 } }, { a: { c: 3 } }, { a: { b: 1, c: 3 } }],
    ['a list is replaced whole', { a: [1, 2] }, { a: [3] }, { a: [3] }],
    ['a map replaces a scalar', { a: 1 }, { a: { b: 1 } }, { a: { b: 1 } }],
    ['a null is kept, for coalescing to remove the default', { a: { b: 1 } }, { a: null }, { a: null }],
  ])('%s', (_, base, override, merged) => {
    expect(mergeValues(base, override)).toEqual(merged);
  });

  it('changes neither input', () => {
    const base = { a: { b: 1 } };
    const override = { a: { c: 2 } };
    mergeValues(base, override);
    expect(base).toEqual({ a: { b: 1 } });
    expect(override).toEqual({ a: { c: 2 } });
  });
});

describe('coalesce (user values over chart defaults)', () => {
  it.each([
    ['the user wins', { replicas: 1 }, { replicas: 3 }, { replicas: 3 }],
    ['a null removes the default', { a: 1, b: 2 }, { a: null }, { b: 2 }],
    ['a null deep down removes only that key', { a: { b: 1, c: 2 } }, { a: { b: null } }, { a: { c: 2 } }],
    ['defaults the user does not set stay', { a: { b: 1 } }, {}, { a: { b: 1 } }],
  ])('%s', (_, defaults, user, coalesced) => {
    expect(coalesce(defaults, user)).toEqual(coalesced);
  });
});

describe('isMap', () => {
  it.each([
    [{}, true],
    [[], false],
    [null, false],
    ['a', false],
    [1, false],
  ])('%j -> %s', (value, expected) => {
    expect(isMap(value)).toBe(expected);
  });
});
