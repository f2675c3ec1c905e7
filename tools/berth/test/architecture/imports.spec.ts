// berth's modules import downwards only: no import cycles in tools/berth/src, and nothing outside cli/ imports cli/.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importCycles, importGraph, importSpecifiers, readModules, resolveSpecifier } from './import-graph';

const SRC = join(__dirname, '../../src');

describe('the import graph', () => {
  it.each([
    ["import { a } from './a';", ['./a']],
    ["import type { A } from '../x/a';", ['../x/a']],
    ["import {\n  a,\n  type B,\n} from './multi';", ['./multi']],
    ["export type { A } from './report';", ['./report']],
    ["export * from './policy';", ['./policy']],
    ["import './side-effect';", ['./side-effect']],
    ["import { readFileSync } from 'node:fs';", ['node:fs']],
    ["const x = 'from';\nexport const y = 'z';", []],
    ["// import { a } from './commented';", []],
    ["const lazy = await import('./lazy');", []],
  ])('reads the static imports of %j', (text, expected) => {
    expect(importSpecifiers(text)).toEqual(expected);
  });

  it('reads import() too when asked', () => {
    expect(importSpecifiers("const lazy = await import('./lazy');", { dynamic: true })).toEqual(['./lazy']);
  });

  it.each([
    ['promote/command', './plan', 'promote/plan'],
    ['promote/command', '../git/run', 'git/run'],
    ['cli/image-policy', '../policy', 'policy/index'],
    ['cli/main', 'commander', undefined],
  ])('resolves %s importing %s', (from, specifier, expected) => {
    expect(resolveSpecifier(from, specifier, new Set(['promote/plan', 'git/run', 'policy/index']))).toBe(expected);
  });

  it.each<[string, Record<string, string[]>, string[][]]>([
    ['a chain', { a: ['b'], b: ['c'], c: [] }, []],
    ['two modules importing each other', { a: ['b'], b: ['a'] }, [['a', 'b', 'a']]],
    ['a module importing itself', { a: ['a'] }, [['a', 'a']]],
    ['a long way round', { a: ['b'], b: ['c'], c: ['d'], d: ['b'] }, [['b', 'c', 'd', 'b']]],
    [
      'two separate cycles',
      { a: ['b'], b: ['a'], c: ['d'], d: ['c', 'a'] },
      [
        ['a', 'b', 'a'],
        ['c', 'd', 'c'],
      ],
    ],
    ['a diamond', { a: ['b', 'c'], b: ['d'], c: ['d'], d: [] }, []],
  ])('finds the cycles in %s', (_name, edges, expected) => {
    const cycles = importCycles(new Map(Object.entries(edges)));
    expect(cycles.sort((x, y) => x[0].localeCompare(y[0]))).toEqual(expected);
  });
});

describe("berth's sources", () => {
  const modules = readModules(SRC);

  it('are all read', () => {
    expect(modules.has('promote/command')).toBe(true);
    expect(modules.has('nx/generators/service/schema')).toBe(true); // schema.d.ts
    expect(modules.size).toBeGreaterThan(150);
  });

  it('import no module that imports them back, directly or round a longer cycle', () => {
    const graph = importGraph(modules);
    expect(graph.get('promote/command')).toContain('promote/plan');
    expect(importCycles(graph).map((cycle) => cycle.join(' -> '))).toEqual([]);
  });

  it('leave cli/ to the command line: no module outside it imports from it, not even lazily', () => {
    const upward = [...importGraph(modules, { dynamic: true })].flatMap(([module, imports]) =>
      module.startsWith('cli/')
        ? []
        : imports.filter((target) => target.startsWith('cli/')).map((target) => `${module} -> ${target}`),
    );
    expect(importGraph(modules, { dynamic: true }).get('cli/main')).toContain('cli/render');
    expect(upward).toEqual([]);
  });
});
