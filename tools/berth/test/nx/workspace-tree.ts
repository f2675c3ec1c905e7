// An Nx virtual tree holding the example platform's source files (not the derived ones), for generator tests.
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import type { Tree } from '@nx/devkit';
import type { EnvironmentGeneratorSchema } from '../../src/nx/generators/environment/schema';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const repo = join(__dirname, '../../../..');

/** Everything a new environment qa needs of its own (nx g berth:environment). */
export const QA: EnvironmentGeneratorSchema = {
  name: 'qa',
  promotesFrom: 'dev',
  cluster: 'https://qa.eks.eu-west-1.example.internal',
  namespace: 'qa',
  domain: 'qa.example.com',
  vpcCidr: '10.40.0.0/16',
  vpcId: 'vpc-0a1b2c3d4e5f60004',
  certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
  secretsRole: 'arn:aws:iam::123456789012:role/berth-qa-external-secrets',
  albGroup: 'berth-qa',
};

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
