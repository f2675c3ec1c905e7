// Drift and "since", table by table: pure functions over releases as timeline() returns them.
import { describe, expect, it } from 'vitest';
import type { Release } from '../../src/history/timeline';
import { behindSince, driftFrom, versionsRun } from '../../src/status/drift';
import { sinceCommit } from '../../src/status/model';

/** Releases from "from>to" steps, oldest first; a lone "to" has no recorded predecessor. */
const releases = (...steps: string[]): Release[] =>
  steps.map((step, index) => {
    const [from, to] = step.includes('>') ? step.split('>') : [undefined, step];
    return {
      version: to,
      from,
      action: 'bump',
      sha: `c${index}`,
      date: `2025-01-0${index + 1}T00:00:00Z`,
      author: 'a',
    };
  });

describe('versionsRun', () => {
  it.each<[string[], string, string[]]>([
    [[], '1.0', ['1.0']],
    [['1.0>1.1', '1.1>1.2'], '1.2', ['1.0', '1.1', '1.2']],
    // a rollback: 1.1 ran again after 1.2, so it counts at its last time
    [['1.0>1.1', '1.1>1.2', '1.2>1.1'], '1.1', ['1.0', '1.2', '1.1']],
    // a hand edit after the last record: the overlay's version is the newest
    [['1.0>1.1'], '1.3', ['1.0', '1.1', '1.3']],
    // a hand edit between records shows as a from that is not the previous to
    [['1.0>1.1', '1.5>1.6'], '1.6', ['1.0', '1.1', '1.5', '1.6']],
    [['1.1'], '1.1', ['1.1']],
  ])('%j, now %s → %j', (steps, current, expected) =>
    expect(versionsRun(releases(...steps), current)).toEqual(expected),
  );
});

describe('driftFrom', () => {
  it.each<
    [
      string,
      string[],
      string | undefined,
      string | undefined,
      { behind: number | null; diverged: boolean; unrecorded?: boolean },
    ]
  >([
    ['the same version is in step, with or without history', [], '1.0', '1.0', { behind: 0, diverged: false }],
    ['one release behind', ['1.0>1.1', '1.1>1.2'], '1.2', '1.1', { behind: 1, diverged: false }],
    [
      'the version the first record replaced counts as run',
      ['1.0>1.1', '1.1>1.2'],
      '1.2',
      '1.0',
      { behind: 2, diverged: false },
    ],
    [
      'a version run twice counts once',
      ['1.0>1.1', '1.1>1.2', '1.2>1.1', '1.1>1.3'],
      '1.3',
      '1.0',
      { behind: 3, diverged: false },
    ],
    [
      'behind a rollback in the source',
      ['1.0>1.1', '1.1>1.2', '1.2>1.1'],
      '1.1',
      '1.2',
      { behind: 1, diverged: false },
    ],
    [
      'a hand edit in the source counts as its newest release',
      ['1.0>1.1'],
      '1.3',
      '1.1',
      { behind: 1, diverged: false },
    ],
    ['a version the source never ran', ['1.0>1.1'], '1.1', '0.9', { behind: null, diverged: true }],
    [
      'no history and another version: they differ, nothing more is known',
      [],
      '1.1',
      '1.0',
      { behind: null, diverged: false, unrecorded: true },
    ],
    ['no version in the source', ['1.0>1.1'], undefined, '1.0', { behind: null, diverged: false }],
    ['no version in the target', ['1.0>1.1'], '1.1', undefined, { behind: null, diverged: false }],
  ])('%s', (_, steps, source, target, expected) =>
    expect(driftFrom(releases(...steps), source, target)).toEqual({ unrecorded: false, ...expected }),
  );
});

describe('behindSince', () => {
  const day = (index: number) => `2025-01-0${index + 1}T00:00:00Z`;
  const HAND = '2025-02-01T00:00:00Z';
  // the source's releases, its overlay's version and its date, the target's version -> since when the target is behind
  it.each<[string, string[], string, string, string | null]>([
    ['left with the next release', ['1.0>1.1', '1.1>1.2'], '1.2', '1.1', day(1)],
    ['the version the first record replaced: left with that record', ['1.0>1.1', '1.1>1.2'], '1.2', '1.0', day(0)],
    ['a version run twice: left the last time', ['1.0>1.1', '1.1>1.2', '1.2>1.1', '1.1>1.3'], '1.3', '1.1', day(3)],
    [
      'behind a rollback in the source: left when it rolled back',
      ['1.0>1.1', '1.1>1.2', '1.2>1.1'],
      '1.1',
      '1.2',
      day(2),
    ],
    ["a hand edit after the last release moved on: the overlay's date", ['1.0>1.1'], '1.3', '1.1', HAND],
    [
      'a hand edit between releases brought the version: left with the release that replaced it',
      ['1.0>1.1', '1.5>1.6'],
      '1.6',
      '1.5',
      day(1),
    ],
    ['a pin that kept the version does not move on', ['1.0>1.1', '1.1>1.1', '1.1>1.2'], '1.2', '1.1', day(2)],
    ['in step', ['1.0>1.1'], '1.1', '1.1', null],
    ['diverged', ['1.0>1.1'], '1.1', '0.9', null],
    ['nothing recorded', [], '1.1', '1.0', null],
  ])('%s', (_, steps, source, target, expected) =>
    expect(behindSince(releases(...steps), source, HAND, target)).toBe(expected),
  );

  it('is null without a version on either side', () => {
    expect(behindSince(releases('1.0>1.1'), undefined, HAND, '1.0')).toBeNull();
    expect(behindSince(releases('1.0>1.1'), '1.1', HAND, undefined)).toBeNull();
  });
});

describe('sinceCommit', () => {
  const touch = { sha: 'touch', date: '2025-02-01T00:00:00Z', author: 'hand' } as never;
  it('is the newest release that changed the version, when it set the running one', () => {
    expect(sinceCommit(releases('1.0>1.1', '1.1>1.2'), '1.2', touch)).toMatchObject({ sha: 'c1' });
  });
  it('skips a record that kept the version (a pin where it runs)', () => {
    expect(sinceCommit(releases('1.0>1.1', '1.1>1.1'), '1.1', touch)).toMatchObject({ sha: 'c0' });
  });
  it('falls back to the newest commit that touched the overlay when the newest release set another version', () => {
    expect(sinceCommit(releases('1.0>1.1'), '1.5', touch)).toBe(touch);
  });
  it('falls back to it when no release was recorded, and is undefined without either', () => {
    expect(sinceCommit([], '1.0', touch)).toBe(touch);
    expect(sinceCommit([], '1.0', undefined)).toBeUndefined();
  });
});
