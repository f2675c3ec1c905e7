// An Nx virtual tree holding the example platform's source files (not the derived ones), for generator tests.
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const repo = join(__dirname, '../../../..');

function copyInto(tree: Tree, dir: string): void {
  for (const entry of readdirSync(join(repo, dir))) {
    const path = join(repo, dir, entry);
    if (statSync(path).isDirectory()) copyInto(tree, relative(repo, path));
    else tree.write(relative(repo, path), readFileSync(path));
  }
}

export function exampleTree(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const dir of ['apps', 'environments', 'charts', 'argocd']) copyInto(tree, dir);
  tree.write('berth.yaml', readFileSync(join(repo, 'berth.yaml')));
  return tree;
}

/** Every file of the tree with its content, to prove a failed generator left it untouched. */
export function snapshot(tree: Tree): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (dir: string) => {
    for (const child of tree.children(dir)) {
      const path = dir ? `${dir}/${child}` : child;
      if (tree.isFile(path)) files.set(path, tree.read(path, 'utf-8')!);
      else visit(path);
    }
  };
  visit('');
  return files;
}
