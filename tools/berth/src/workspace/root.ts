// Finds the workspace a command runs in: the nearest folder at or above the start that holds berth.yaml, as git finds .git.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { paths } from './model';

const isDirectory = (path: string) => existsSync(path) && statSync(path).isDirectory();

/**
 * Whether `dir` is a workspace root: its berth.yaml is berth's settings (a top-level repoURL), or sits beside
 * environments/. Other files may be called berth.yaml: a service chart's template is charts/<svc>/templates/berth.yaml.
 */
export function isWorkspaceRoot(dir: string): boolean {
  const settings = join(dir, paths.settings);
  if (!existsSync(settings) || !statSync(settings).isFile()) return false;
  if (isDirectory(join(dir, 'environments'))) return true;
  try {
    return /^repoURL\s*:/m.test(readFileSync(settings, 'utf8'));
  } catch {
    return false;
  }
}

/** The nearest workspace root at or above `start`, or undefined outside every workspace. */
export function findWorkspaceRoot(start: string): string | undefined {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (isWorkspaceRoot(dir)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The root to run in: the workspace found upwards, else `start` itself so the loader says it is no workspace. */
export function workspaceRoot(start: string): string {
  return findWorkspaceRoot(start) ?? resolve(start);
}
