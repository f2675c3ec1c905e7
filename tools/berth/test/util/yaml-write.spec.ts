// The quick YAML writer must write every value it accepts exactly as the yaml package's stringify does (YAML 1.1
// quoting, no folding), byte for byte; what it is unsure of, yaml writes. Checked over a table of tricky strings in
// every position and over every file nx sync derives.
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { derivedFiles } from '../../src/argocd/derived';
import { quickYaml11, stringifyYaml11 } from '../../src/util/yaml-write';
import { diskFiles } from '../../src/workspace/files';
import { loadWorkspace } from '../../src/workspace/load';
import { repo } from '../cli/workspace';

const yaml11 = (value: unknown) => stringify(value, { lineWidth: 0, version: '1.1' });
/** The data of each document of a derived file, read back as Kubernetes reads it. */
const documentsOf = (text: string): unknown[] =>
  Array.from(parseAllDocuments(text, { version: '1.1' }), (document) => document.toJS());

// strings YAML 1.1 reads as another type, strings that start with an indicator or hold one, and ordinary ones
const STRINGS = [
  ...['', '~', 'null', 'Null', 'NULL', 'true', 'True', 'false', 'FALSE', 'y', 'Y', 'yes', 'YES', 'n', 'N', 'no'],
  ...['on', 'On', 'OFF', 'off', '0', '00', '-0', '+0', '7', '017', '0o17', '09', '0b101', '0x1F', '1_000'],
  ...['+12', '-12', '12345678901234567890', '1e3', '1e+3', '.5', '1.', '1.0', '.inf', '-.inf', '.NaN', 'nan'],
  ...['1:20', '190:20:30', '1:20.5', '2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5'],
  ...['1,000', '0x', '_1', '.', '..', '...', '...x', '-', '+', '=', '<<', '<', '?', ':', '::', 'a:', 'a: b', 'a:b'],
  ...['x#y', 'x #y', '#x', '*', '*x', '&a', '!x', '!!str', '|', '>', '%x', '@x', '`x', ',x', '[x]', '{x}', ']'],
  ...['- x', '-x', '? x', '?x', ':x', ' x', 'x ', 'x\t', '\tx', 'a\nb', 'a\n', '\n', 'say "hi"', "it's", 'a\\b'],
  ...[
    'é',
    'naïve café',
    '\u00a0',
    '\u0085',
    '\u2028',
    'a\u0007b',
    'x'.repeat(200),
    'y'.repeat(1200),
    '---',
    '--- x',
    '---x',
  ],
  ...[
    '-1',
    '-x y',
    '-.5',
    '-:',
    '--x',
    '$(VAR)',
    '${VAR}',
    '{{ .Values }}',
    '~x',
    '^x',
    ';x',
    '=x',
    '+x',
    '(x)',
    '/x',
    './x',
    'v1',
    '1.2.3',
  ],
  ...['https://github.com/acme/platform-gitops.git', 'arn:aws:iam::123456789012:role/x', '10.20.0.0/16'],
  ...['*/5 * * * *', 'argocd.argoproj.io/sync-wave', 'a b c', 'Every service; one chart', 'a,b'],
];
const NUMBERS = [0, 1, -1, 42, 9007199254740991, 1.5, -0, 1e21, 0.1, Number.NaN, Infinity];

describe('quickYaml11', () => {
  it.each(STRINGS.map((value) => [value]))('writes %j as yaml does, as a value, an item and a key', (value) => {
    for (const document of [
      { value },
      { list: [value, 'x'] },
      { [value]: 'x' },
      { outer: { [value]: [{ value, other: value }] } },
    ])
      expect(stringifyYaml11(document)).toBe(yaml11(document));
  });

  it.each(NUMBERS.map((value) => [value]))('writes the number %d as yaml does', (value) => {
    expect(stringifyYaml11({ value, list: [value] })).toBe(yaml11({ value, list: [value] }));
  });

  it('writes structure as yaml does: nesting, empty collections, null, booleans and undefined values', () => {
    const documents = [
      { a: { b: [{ c: 1, d: [] }, { e: {} }], g: null, h: true, i: false }, j: [[]], k: [{}], l: { m: undefined } },
      { only: undefined, kept: 'x' },
      { list: [{ a: { b: { c: [1, 2] } }, d: [{ e: 'f' }] }] },
      { a: [['x', 'y'], 'z'] }, // a list in a list: yaml's to write
      { a: [undefined, null] },
      { shared: ['p'], again: undefined as unknown },
    ];
    const shared = ['p', 'q'];
    documents.push({ shared, again: shared }); // a repeated object: yaml anchors it
    documents.push({ date: new Date(0) as unknown, list: [] } as never);
    for (const document of documents) expect(stringifyYaml11(document)).toBe(yaml11(document));
    for (const value of [{}, [], 'x', 1, null, { a: undefined }]) expect(stringifyYaml11(value)).toBe(yaml11(value));
  });

  it('leaves to yaml what it cannot be sure of, and writes the rest itself', () => {
    expect(quickYaml11({ a: 'line\nbreak' })).toBeUndefined();
    expect(quickYaml11({ a: 1.5 })).toBeUndefined();
    const shared = { x: 1 };
    expect(quickYaml11({ a: shared, b: shared })).toBeUndefined();
    expect(quickYaml11({ a: 'yes', b: ['x'], c: {} })).toBe('a: "yes"\nb:\n  - x\nc: {}\n');
  });

  it('writes every file nx sync derives from the example platform, each Application itself', () => {
    const files = diskFiles(repo);
    const derived = derivedFiles(files, loadWorkspace(files));
    let written = 0;
    for (const [path, text] of derived) {
      if (!path.endsWith('.yaml')) continue;
      for (const document of documentsOf(text)) {
        expect(stringifyYaml11(document), path).toBe(yaml11(document));
        if (path.startsWith('argocd/apps/')) expect(quickYaml11(document), path).toBeDefined();
        written++;
      }
      expect(text, path).toBe(files.read(path)); // and the example is in sync
    }
    expect(written).toBeGreaterThan(20);
  });
});
