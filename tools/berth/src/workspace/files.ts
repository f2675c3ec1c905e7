// Read access to the workspace's files, from disk or from an Nx virtual tree, so one loader serves both.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { assertInside, realRoot } from './inside';

export interface WorkspaceFiles {
  /** Repository root (for messages and for tools that need real paths). */
  readonly root: string;
  /** Contents of a file (path relative to the root), or undefined when it does not exist. */
  read(path: string): string | undefined;
  /** Names of the entries of a directory, sorted; empty when it does not exist. */
  list(dir: string): string[];
  isDirectory(path: string): boolean;
}

export function diskFiles(root: string): WorkspaceFiles {
  const realRootDir = realRoot(root);
  return {
    root,
    read: (path) => {
      assertInside(root, path, realRootDir);
      try {
        return readFileSync(join(root, path), 'utf8');
      } catch {
        return undefined;
      }
    },
    list: (dir) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)).sort() : []),
    isDirectory: (path) => existsSync(join(root, path)) && statSync(join(root, path)).isDirectory(),
  };
}
