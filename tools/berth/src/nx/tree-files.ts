// WorkspaceFiles over an Nx virtual tree, so generators read pending changes before they reach the disk.
import type { Tree } from '@nx/devkit';
import type { WorkspaceFiles } from '../workspace/files';

export function treeFiles(tree: Tree): WorkspaceFiles {
  return {
    root: tree.root,
    read: (path) => tree.read(path, 'utf-8') ?? undefined,
    list: (dir) => (tree.exists(dir) && !tree.isFile(dir) ? tree.children(dir).sort() : []),
    isDirectory: (path) => tree.exists(path) && !tree.isFile(path),
  };
}
