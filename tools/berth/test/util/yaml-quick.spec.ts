// The quick YAML reader must read every text it accepts exactly as the yaml package reads it (the careful path in
// yaml-read.ts), with YAML 1.2 core scalars and with helm's YAML 1.1 ones; what it cannot promise that of, it declines.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { HELM_SCALARS, MAX_YAML_NESTING, readYaml } from '../../src/util/yaml-read';
import { isPlainYaml, quickDocuments, surelyShallow, type ScalarRules } from '../../src/util/yaml-quick';

const REPO = join(__dirname, '../../../..');

/** What the yaml package reads, as readYaml's careful path configures it. */
function carefulDocuments(text: string, rules: ScalarRules): unknown[] | 'error' {
  const documents = parseAllDocuments(text, {
    uniqueKeys: false,
    ...(rules === 'helm' ? HELM_SCALARS : {}),
  });
  const list = Array.isArray(documents) ? documents : [documents];
  if (list.some((document) => document.errors.length > 0)) return 'error';
  return list.map((document) => document.toJS()).filter((value) => value !== null && value !== undefined);
}

const quick = (text: string, rules: ScalarRules) =>
  quickDocuments(text, rules, MAX_YAML_NESTING)?.filter((value) => value !== null && value !== undefined);

// plain scalars where YAML 1.1 and 1.2, or js-yaml's and the yaml package's own schemas, disagree
const SCALARS = [
  '~',
  'null',
  'Null',
  'NULL',
  '',
  'true',
  'True',
  'TRUE',
  'false',
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'n',
  'no',
  'NO',
  'on',
  'On',
  'ON',
  'off',
  'Off',
  'OFF',
  '0',
  '00',
  '-0',
  '+0',
  '7',
  '017',
  '0o17',
  '0O17',
  '0o1_7',
  '09',
  '08.5',
  '0b101',
  '-0b1',
  '0b1_0',
  '0x1F',
  '0x1f',
  '+0x1',
  '0xFF_FF',
  '1_000',
  '1__2',
  '0_7',
  '+12',
  '-12',
  '12345678901234567890',
  '1e3',
  '1E3',
  '1e+3',
  '-1e-3',
  '.5',
  '+.5',
  '-.5',
  '1.',
  '0.',
  '1.0',
  '1.50',
  '1_0.5',
  '.inf',
  '-.inf',
  '+.Inf',
  '.INF',
  '.nan',
  '.NaN',
  '.NAN',
  'nan',
  'inf',
  '1:20',
  '190:20:30',
  '1:20.5',
  '2001-12-14',
  '2001-12-14t21:59:43.10-05:00',
  '1,000',
  '0x',
  '0b',
  '0o',
  '1e',
  'e3',
  '_1',
  '1_',
  '.',
  '-',
  '+',
  '=',
  'a:b',
  'x#y',
  '1.2.3',
  'v1',
  '0.1e-2',
  '3.14159',
  '6.8523015e+5',
];

const SNIPPETS = [
  'a: |\n  x\n  y\n',
  'a: >-\n  folded\n  text\n\n  para\n',
  'a: |+\n  keep\n\n',
  'a: |2-\n    indented\n',
  'a: "x\\ty \\u263A \\x41 \\N"',
  "a: 'it''s'",
  'a:\n- 1\n-\n- 3',
  'a: [1, 2, {b: c}]',
  'a: {b: 1, c: [x, y]}',
  '- a\n- b: c\n  d: e',
  'a:\n  b:\n    c: ',
  'plain: multi\n  line\n  scalar',
  'a: x #c\nb: x#c\n# comment\n',
  '"quoted key": 1\n\'single\': 2',
  '1: a\n"2": b\ntrue: c\n1.5: d\non: e',
  '__proto__: {a: 1}\nconstructor: 2',
  'a: 1\n---\nb: 2\n---\n',
  '---\n# only a comment\n',
  'k: "{{ .Values.x }}"\nl: http://a/b?c=d&e=f',
  'arn: arn:aws:iam::123456789012:role/x\nurl: https://x.example.com:443/a-b',
  '日本: 値\nemoji: 😀',
  'a: b\r\nc: d\r\n',
];

describe('quickDocuments', () => {
  const texts = [
    ...SCALARS.flatMap((scalar) => [`a: ${scalar}`, `${scalar || '""'}: a`, `- ${scalar}`, `a: [${scalar}]`]),
    ...SNIPPETS,
  ];

  it.each(['core', 'helm'] as const)('reads every plain text as the yaml package does (%s scalars)', (rules) => {
    let read = 0;
    for (const text of texts) {
      const fast = quick(text, rules);
      if (fast === undefined) continue;
      read += 1;
      expect({ text, value: fast }).toEqual({ text, value: carefulDocuments(text, rules) });
    }
    // most of the table is plain: a reader that declined everything would prove nothing
    expect(read).toBeGreaterThan(texts.length * 0.8);
  });

  it('reads every YAML file in the repository as the yaml package does, and most of them at all', () => {
    const files = execFileSync('git', ['ls-files', '*.yaml', '*.yml'], { cwd: REPO, encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
    let read = 0;
    for (const file of files) {
      const text = readFileSync(join(REPO, file), 'utf8');
      for (const rules of ['core', 'helm'] as const) {
        const fast = quick(text, rules);
        if (fast === undefined) continue;
        read += 1;
        expect({ file, rules, value: fast }).toEqual({ file, rules, value: carefulDocuments(text, rules) });
      }
    }
    expect(read).toBeGreaterThan(files.length);
  });

  it.each([
    ['an anchor and alias', 'a: &x 1\nb: *x'],
    ['a tag', 'a: !!str 1'],
    ['a local tag', '- !ref x'],
    ['a merge key', 'a:\n  <<: {b: 1}'],
    ['an explicit key', '? a\n: b'],
    ['a directive', '%YAML 1.1\n---\na: 1'],
    ['a null key', '~: x'],
    ['a null key in flow', '{null: x}'],
    ['an empty key', ': x'],
    ['a flow sequence as a key', '[1]: x'],
    ['a flow mapping as a key', '{a: 1}: y'],
    ['an empty flow entry', 'a: [1, , 2]'],
    ['a tab', 'a:\n\tb: 1'],
  ])('declines %s', (_name, text) => {
    expect(isPlainYaml(text, MAX_YAML_NESTING)).toBe(false);
    expect(quickDocuments(text, 'core', MAX_YAML_NESTING)).toBeUndefined();
  });

  it.each([
    ['a duplicate key', 'a: 1\na: 2'],
    ['a syntax error', 'a: b: c'],
    ['a dangling indicator', 'a: -'],
    ['two documents where one is read', 'a: 1\n---\nb: 2'],
  ])('declines what js-yaml refuses: %s', (_name, text) => {
    expect(quickDocuments(text, 'core', MAX_YAML_NESTING, true)).toBeUndefined();
  });

  it('leaves the careful path to refuse deep nesting and to word its errors', () => {
    const deep = `${'['.repeat(200)}${']'.repeat(200)}`;
    expect(surelyShallow(deep, MAX_YAML_NESTING)).toBe(false);
    expect(() => readYaml(`a: ${deep}`, 'deep.yaml')).toThrow(/nests deeper/);
    expect(() => readYaml('a: 1\na: 2\n', 'twice.yaml')).toThrow(/has the key "a" twice/);
    let indented = '';
    for (let depth = 0; depth < 70; depth++) indented += `${'  '.repeat(depth)}k${depth}:\n`;
    expect(surelyShallow(indented, MAX_YAML_NESTING)).toBe(false);
    expect(surelyShallow('a:\n  b:\n    c: [1, {d: e}]\n', MAX_YAML_NESTING)).toBe(true);
  });
});
