// The YAML reader's pure parts as tables: where a caret goes, and what reads or is refused.
import { describe, expect, it } from 'vitest';
import {
  cellWidth,
  parseYamlMappingDocument,
  positionAt,
  readDocuments,
  readYaml,
  readYamlMapping,
} from '../../src/util/yaml-read';
import { laughs } from '../hostile/laughs';

describe('positionAt', () => {
  it.each([
    ['first line', 'a: ]', 3, { line: 1, column: 4, excerpt: 'a: ]\n   ^' }],
    ['second line', 'a: 1\nb: ]\n', 8, { line: 2, column: 4, excerpt: 'b: ]\n   ^' }],
    ['after a tab', 'a:\t]', 3, { line: 1, column: 4, excerpt: 'a:\t]\n  \t^' }],
    ['after wide characters', '日本: ]', 4, { line: 1, column: 5, excerpt: '日本: ]\n      ^' }],
    ['after an emoji (two UTF-16 units, one character)', '😀: ]', 4, { line: 1, column: 4, excerpt: '😀: ]\n    ^' }],
    ['after a combining mark', 'e\u0301: ]', 4, { line: 1, column: 5, excerpt: 'e\u0301: ]\n   ^' }],
    ['a CRLF line', 'a: ]\r\nb: 1', 3, { line: 1, column: 4, excerpt: 'a: ]\n   ^' }],
  ])('%s', (_name, text, offset, expected) => {
    expect(positionAt(text, offset)).toEqual(expected);
  });

  it('cuts a long line to a window and keeps the caret under the character', () => {
    const text = `${'x'.repeat(500)}]${'y'.repeat(500)}`;
    const { column, excerpt } = positionAt(text, 500);
    expect(column).toBe(501);
    const [shown, caret] = excerpt.split('\n');
    expect(shown).toBe(`…${'x'.repeat(50)}]${'y'.repeat(29)}…`);
    expect(caret.indexOf('^')).toBe(shown.indexOf(']'));
  });

  it('counts cells', () => {
    expect(['a', '\t', '日', 'ー', '한', '😀', '\u0301', '\u200b'].map(cellWidth)).toEqual([1, 1, 2, 2, 2, 2, 0, 0]);
  });
});

describe('reading', () => {
  it('reads what people write: anchors used a few times, merge-free YAML 1.2, empty files', () => {
    expect(readYamlMapping('base: &b {cpu: 1}\na: *b\nb: *b\n', 'v.yaml')).toEqual({
      base: { cpu: 1 },
      a: { cpu: 1 },
      b: { cpu: 1 },
    });
    expect(readYaml('', 'v.yaml')).toEqual({});
    expect(readYamlMapping('# only a comment\n', 'v.yaml')).toEqual({});
  });

  it('reads machine-written YAML fast, and YAML with anchors bounded', () => {
    expect(readDocuments('a: 1\n---\nb: "x & y"\n---\n', 'm.yaml')).toEqual([{ a: 1 }, { b: 'x & y' }]);
    expect(readDocuments('a: &x 1\nb: *x\n', 'm.yaml')).toEqual([{ a: 1, b: 1 }]);
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefg'
        .split('')
        .map((name, index) => `${name}: &${name} [${Array(10).fill(`*${'abcdefg'[index]}`).join(', ')}]`),
    ].join('\n');
    expect(() => readDocuments(bomb, 'argocd/apps/dev/x.yaml')).toThrow(
      /^argocd\/apps\/dev\/x\.yaml: expands its aliases/,
    );
    expect(() => readDocuments('a: [1, 2\n', 'm.yaml')).toThrow(
      /^m\.yaml: is not valid YAML: .* at line \d+, column \d+:/,
    );
  });
});

describe('a mapping a writer edits', () => {
  it.each([
    [
      'a mapping',
      'image:\n  tag: "1.0.0" # pinned\n',
      { image: { tag: '1.0.0' } },
      'image:\n  tag: "1.0.0" # pinned\n',
    ],
    ['an empty file', '', null, 'null\n'],
    ['only a comment', '# nothing yet\n', null, '# nothing yet\n\nnull\n'],
  ])('reads %s as a Document that keeps its comments', (_name, text, data, written) => {
    const document = parseYamlMappingDocument(text, 'environments/dev/a.yaml', { keepSourceTokens: true });
    expect(document.toJS()).toEqual(data);
    expect(document.toString()).toBe(written);
  });

  it.each([
    [
      'a list',
      '- image\n- tag\n',
      /^environments\/dev\/a\.yaml: must be a YAML mapping \(key: value pairs\)\.\nFix: write key: value pairs at the top level\.$/,
    ],
    ['a scalar', 'just text\n', /: must be a YAML mapping/],
    ['a key twice', 'a: 1\na: 2\n', /has the key "a" twice/],
    ['bad syntax', 'a: [1, 2\n', /is not valid YAML: .* at line \d+, column \d+:/],
    ['too many aliases', laughs(), /expands its aliases/],
  ])('refuses %s, naming the file', (_name, text, message) => {
    expect(() => parseYamlMappingDocument(text, 'environments/dev/a.yaml')).toThrow(message);
  });

  it("says the caller's fix", () => {
    expect(() => parseYamlMappingDocument('- a\n', 'o.yaml', { fix: 'put image.tag under image.' })).toThrow(
      /\nFix: put image\.tag under image\.$/,
    );
  });
});
