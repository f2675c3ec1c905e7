// The import graph of berth's sources, read from their `import … from '…'` lines, and the cycles in it (pure).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';

/** Module path relative to the source folder, without `.ts` (`promote/command`) -> the modules it imports. */
export type ImportGraph = Map<string, string[]>;

// `import x from`, `import type { … } from` (over several lines), `export { … } from`, `export * from`, `import '…'`
const STATIC_IMPORT = /^\s*(?:import|export)\b(?:[^;'"]*?\bfrom\s*)?\s*['"]([^'"]+)['"]/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The specifiers a module's text imports: static ones always, `import('…')` too when asked. */
export function importSpecifiers(text: string, { dynamic = false } = {}): string[] {
  const specifiers = [...text.matchAll(STATIC_IMPORT)].map((match) => match[1]);
  if (dynamic) specifiers.push(...[...text.matchAll(DYNAMIC_IMPORT)].map((match) => match[1]));
  return specifiers;
}

/** A relative specifier as the module it names (`./plan` from `promote/command` -> `promote/plan`); packages: undefined. */
export function resolveSpecifier(from: string, specifier: string, modules: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const target = posix.normalize(posix.join(posix.dirname(from), specifier)).replace(/\.ts$/, '');
  return [target, `${target}/index`].find((name) => modules.has(name)) ?? target;
}

/** Pure: the graph of the given module texts (name -> text); imports of packages are left out. */
export function importGraph(texts: ReadonlyMap<string, string>, options: { dynamic?: boolean } = {}): ImportGraph {
  const modules = new Set(texts.keys());
  const graph: ImportGraph = new Map();
  for (const [name, text] of texts) {
    const imports = importSpecifiers(text, options)
      .map((specifier) => resolveSpecifier(name, specifier, modules))
      .filter((target): target is string => target !== undefined);
    graph.set(name, [...new Set(imports)]);
  }
  return graph;
}

/**
 * Pure: one cycle per strongly connected component of more than one module (or a module that imports itself), each
 * as the path that goes round it (`a -> b -> a`), so a failure names the imports to cut. Tarjan's algorithm.
 */
export function importCycles(graph: ImportGraph): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (module: string) => {
    index.set(module, counter);
    low.set(module, counter);
    counter += 1;
    stack.push(module);
    onStack.add(module);
    for (const next of graph.get(module) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        connect(next);
        low.set(module, Math.min(low.get(module)!, low.get(next)!));
      } else if (onStack.has(next)) low.set(module, Math.min(low.get(module)!, index.get(next)!));
    }
    if (low.get(module) !== index.get(module)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== module);
    if (component.length > 1 || (graph.get(module) ?? []).includes(module)) components.push(component);
  };
  for (const module of [...graph.keys()].sort()) if (!index.has(module)) connect(module);
  return components.map((component) => cycleThrough(graph, new Set(component)));
}

/** A shortest path from the component's first module (by name) back to itself, inside the component. */
function cycleThrough(graph: ImportGraph, component: ReadonlySet<string>): string[] {
  const start = [...component].sort()[0];
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const module = queue.shift()!;
    for (const next of graph.get(module) ?? []) {
      if (!component.has(next)) continue;
      if (next === start) {
        const path = [module];
        while (path[0] !== start) path.unshift(previous.get(path[0])!);
        return [...path, start];
      }
      if (!previous.has(next) && next !== start) {
        previous.set(next, module);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/** Every .ts module under `dir`, by its name relative to `dir` without `.ts`, with its text. */
export function readModules(dir: string): Map<string, string> {
  const texts = new Map<string, string>();
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) visit(path);
      else if (entry.endsWith('.ts'))
        texts.set(
          relative(dir, path)
            .split(sep)
            .join('/')
            .replace(/(\.d)?\.ts$/, ''),
          readFileSync(path, 'utf8'),
        );
    }
  };
  visit(dir);
  return texts;
}
