// Files berth reads must be the repository's own: a symlink that leads outside it is refused, naming the link.
import { lstatSync, realpathSync } from 'node:fs';

// one realpath(3) call per path: the JavaScript version lstats every folder on the way, for each of ~1000 value files
const realPath = realpathSync.native;
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { BerthError } from '../errors';

/** The real path of the repository root, resolved once per root (a root that is itself behind a symlink is fine). */
export function realRoot(root: string): string {
  try {
    return realPath(root);
  } catch {
    return root;
  }
}

const isWithin = (realRootDir: string, real: string) => {
  const rel = relative(realRootDir, real);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
};

/** The first symlink on the way from the root to `path` (repository-relative), for the message. */
function firstLink(root: string, path: string): string {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  for (let index = 1; index <= parts.length; index++) {
    const candidate = parts.slice(0, index).join('/');
    try {
      if (lstatSync(join(root, candidate)).isSymbolicLink()) return candidate;
    } catch {
      break;
    }
  }
  return path;
}

/**
 * Throws when `path` (relative to `root`, or absolute) exists and resolves outside the repository. A path that does
 * not exist passes: the caller reports a missing file in its own words.
 */
export function assertInside(root: string, path: string, realRootDir = realRoot(root)): void {
  const full = isAbsolute(path) ? path : join(root, path);
  let real: string;
  try {
    real = realPath(full);
  } catch {
    // a dangling link, or no file at all: resolve what exists of its folder
    try {
      real = join(realPath(dirname(full)), full.slice(dirname(full).length));
    } catch {
      return;
    }
  }
  if (isWithin(realRootDir, real)) return;
  const shown = relative(root, full) || path;
  const link = firstLink(root, shown);
  throw new BerthError(
    `${link} leads outside the repository (to ${real}); berth reads only the repository's own files.`,
    {
      file: link,
      fix: `replace the symlink ${link} with the file itself (git tracks the content, Argo CD never follows links out of the repository).`,
    },
  );
}
