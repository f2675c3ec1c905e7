// Where berth may write what it generates (render --out, status --html): never over the repository's own sources.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { BerthError } from '../errors';
import { realRoot } from './inside';

/** Top-level folders people and berth keep in git; generated output has no place in them. */
export const SOURCE_FOLDERS = [
  'apps',
  'argocd',
  'charts',
  'environments',
  'tools',
  'docs',
  '.git',
  '.github',
  '.ci',
  'node_modules',
];

/** Why `target` (a folder or file berth would write) is not a place for generated output, or undefined when it is. */
export function outputLocationProblem(root: string, target: string): string | undefined {
  const repo = realRoot(root);
  const full = resolve(root, target);
  const rel = relative(repo, full);
  if (rel === '') return 'is the repository root';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    // outside the repository is fine, unless it holds the repository
    const back = relative(full, repo);
    return back === '' || (!back.startsWith('..') && !isAbsolute(back)) ? 'holds the repository' : undefined;
  }
  const top = rel.split(sep)[0];
  if (SOURCE_FOLDERS.includes(top)) return `is inside ${top}/, which holds the repository's sources`;
  if (rel.split(sep).length === 1 && existsSync(full) && statSync(full).isFile() && !full.endsWith('.html'))
    return 'is a file of the repository root';
  return undefined;
}

export function assertOutputLocation(root: string, target: string, option: string): void {
  const problem = outputLocationProblem(root, target);
  if (problem) {
    throw new BerthError(`${target} ${problem}; berth writes generated files only outside the sources.`, {
      field: option,
      fix: `choose a folder of its own, such as dist/ (the default); berth changed nothing.`,
    });
  }
}

/** The marker berth leaves in a folder it renders into, so it replaces only folders of its own. */
export const RENDER_MARKER = '.berth-rendered';
export const RENDERED_HEADER = '# Rendered by berth from ';

/**
 * A folder berth may write rendered files into: new, empty, marked as berth's, or (written by an older berth) holding
 * nothing but folders of files whose first line is berth's header.
 */
export function isBerthRenderFolder(dir: string): boolean {
  if (!existsSync(dir)) return true;
  if (!statSync(dir).isDirectory()) return false;
  const entries = readdirSync(dir, { withFileTypes: true });
  if (entries.length === 0 || entries.some((entry) => entry.name === RENDER_MARKER)) return true;
  return entries.every(
    (entry) =>
      entry.isDirectory() &&
      readdirSync(join(dir, entry.name), { withFileTypes: true }).every(
        (file) =>
          file.isFile() &&
          file.name.endsWith('.yaml') &&
          readFileSync(join(dir, entry.name, file.name), 'utf8').startsWith(RENDERED_HEADER),
      ),
  );
}
