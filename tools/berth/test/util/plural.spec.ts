// Counts in prose read right at one and at many, and every message berth prints with a count says so through plural().
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plural } from '../../src/util/plural';
import { readModules } from '../architecture/import-graph';

const SRC = join(__dirname, '../../src');

describe('plural', () => {
  it.each([
    [0, 'Application', undefined, '0 Applications'],
    [1, 'Application', undefined, '1 Application'],
    [2, 'Application', undefined, '2 Applications'],
    [1, 'entry', 'entries', '1 entry'],
    [3, 'entry', 'entries', '3 entries'],
  ])('%i %s', (count, noun, pluralNoun, expected) => {
    expect(plural(count, noun, pluralNoun)).toBe(expected);
  });

  it('is what every count in berth\'s messages goes through: no "(s)", no count spliced before a plural noun', () => {
    // a count spliced straight before a plural noun prints "1 Applications" when it is one
    const spliced =
      /\$\{[^{}]*(?:length|size|count|total|\.[a-z]+)\}\s(?:Applications|services|environments|files|objects|checks|problems|images|commits|tags|versions|options|warnings|placeholders)\b/;
    const offenders = [...readModules(SRC)].flatMap(([module, text]) =>
      text
        .split('\n')
        .map((line, index) => ({ line, where: `${module}.ts:${index + 1}` }))
        .filter(
          ({ line }) =>
            !line.trimStart().startsWith('//') &&
            (/\w(?<!http)\(s\)/.test(line.replace(/\/\*\*.*\*\//, '')) || spliced.test(line)),
        )
        .map(({ where, line }) => `${where}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });
});
