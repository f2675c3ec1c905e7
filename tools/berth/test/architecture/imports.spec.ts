// berth's modules import downwards only: no import cycles in tools/berth/src, nothing outside cli/ imports cli/, and
// YAML is parsed in one place (util/yaml-read: bounded, checked, errors with file and line).
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

/** The yaml and js-yaml functions that parse text. */
const YAML_PARSERS: Record<string, string[]> = {
  yaml: ['parse', 'parseDocument', 'parseAllDocuments'],
  'js-yaml': ['load', 'loadAll'],
};

/** The parsers a module's text imports from the YAML packages, as `package.name`. */
function yamlParsersImported(text: string): string[] {
  // a default or namespace import (import YAML from 'yaml', import * as yaml from 'js-yaml') reaches every parser
  const whole = [...text.matchAll(/^import\s+(?:\*\s+as\s+)?\w+\s+from\s+'(yaml|js-yaml)';/gm)].map(
    ([, from]) => `${from}.*`,
  );
  const named = [...text.matchAll(/^import\s+\{([^}]*)\}\s+from\s+'(yaml|js-yaml)';/gm)].flatMap(([, names, from]) =>
    names
      .split(',')
      .map((name) => name.trim().split(/\s+as\s+/)[0])
      .filter((name) => YAML_PARSERS[from].includes(name))
      .map((name) => `${from}.${name}`),
  );
  // yaml-read's loadYaml() hands out the whole package: a parser taken from it counts as imported
  const loaded = [...text.matchAll(/loadYaml\(\)\.(\w+)|\{([^}]*)\}\s*=\s*loadYaml\(\)/g)].flatMap(
    ([, member, names]) =>
      (member ? [member] : names.split(',').map((name) => name.trim().split(/\s*:\s*/)[0]))
        .filter((name) => YAML_PARSERS.yaml.includes(name))
        .map((name) => `yaml.${name}`),
  );
  return [...whole, ...named, ...loaded];
}

// Modules that parse YAML themselves, and why; nothing else may.
const OWN_YAML_PARSING: Record<string, string> = {
  'util/yaml-read': 'the one reader of YAML files',
  'util/yaml-quick': "yaml-read's quick path for plain YAML, with the yaml package's scalar rules",
  'templates/yaml-values': 'proves text berth generated reads back as its data in YAML 1.1 and 1.2',
  'new/yaml-template': 'proves a rendered template reads back as its data',
  'render/value-origins': 'keeps a LineCounter to name the line a value is set on (text render has already read)',
  'workspace/pins': "edits app.yaml's pins in text loadWorkspace has already read and checked",
};

describe('YAML parsing', () => {
  it.each([
    ["import { parse, stringify } from 'yaml';", ['yaml.parse']],
    ["import { isMap, parseDocument as parsed, type Document } from 'yaml';", ['yaml.parseDocument']],
    ["import {\n  Lexer,\n  parseAllDocuments,\n} from 'yaml';", ['yaml.parseAllDocuments']],
    ["import { dump, loadAll } from 'js-yaml';", ['js-yaml.loadAll']],
    ["import { stringify } from 'yaml';", []],
    ["import type { Document } from 'yaml';", []],
    ["import YAML from 'yaml';", ['yaml.*']],
    ["import * as yaml from 'js-yaml';", ['js-yaml.*']],
    ['const document = loadYaml().parseDocument(text);', ['yaml.parseDocument']],
    ['const { LineCounter, parseDocument } = loadYaml();', ['yaml.parseDocument']],
    ['if (loadYaml().isScalar(node)) {}', []],
  ])('sees the parsers %j imports', (text, expected) => {
    expect(yamlParsersImported(text)).toEqual(expected);
  });

  it('goes through util/yaml-read everywhere else', () => {
    const parsing = [...readModules(SRC)]
      .filter(([module, text]) => !(module in OWN_YAML_PARSING) && yamlParsersImported(text).length > 0)
      .map(([module, text]) => `${module}: ${yamlParsersImported(text).join(', ')}`);
    expect(parsing).toEqual([]);
  });
});
