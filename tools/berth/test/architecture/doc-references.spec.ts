// The code cites only documents a reader of the repository has: docs/*.md that exist, never the project's shared notes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModules } from './import-graph';

const BERTH = join(__dirname, '../..');
const REPOSITORY = join(BERTH, '../..');
const texts = ['src', 'test', 'bench', 'scripts'].flatMap((dir) =>
  [...readModules(join(BERTH, dir))].map(([module, text]) => [`${dir}/${module}.ts`, text] as const),
);

describe('documents the code cites', () => {
  it('are read from every folder of tools/berth', () => {
    expect(texts.some(([file]) => file === 'src/helm/binary.ts')).toBe(true);
    expect(texts.some(([file]) => file.startsWith('bench/'))).toBe(true);
  });

  it('are docs/*.md files the repository has', () => {
    const cited = texts.flatMap(([file, text]) =>
      [...text.matchAll(/\bdocs\/[\w-]+\.md\b/g)].map((match) => ({ file, doc: match[0] })),
    );
    expect(cited.length).toBeGreaterThan(0);
    expect(cited.filter(({ doc }) => !existsSync(join(REPOSITORY, doc)))).toEqual([]);
  });

  it("are never the project's shared design and style notes, which a clone of the repository lacks", () => {
    const shared = texts.filter(([, text]) => /\b(DESIGN|STYLE)\.md\b/.test(text)).map(([file]) => file);
    expect(shared).toEqual([]);
  });
});
