// nx g berth:environment: a new environment copied from its source, and refusal of bad input.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { environmentGenerator } from '../../src/nx/generators/environment/generator';
import { exampleTree, snapshot } from './workspace-tree';

const read = (tree: ReturnType<typeof exampleTree>, path: string) => parse(tree.read(path, 'utf-8') ?? 'null');

describe('berth:environment generator', () => {
  it('adds qa after dev with overlays, projects, root and Applications', async () => {
    const tree = exampleTree();
    await environmentGenerator(tree, { name: 'qa', promotesFrom: 'dev' });
    expect(read(tree, 'environments/qa/env.yaml')).toMatchObject({ name: 'qa', promotesFrom: 'dev', namespace: 'qa', domain: 'qa.example.com', ingress: { groupName: 'berth-qa' } });
    expect(tree.read('environments/qa/env.yaml', 'utf-8')).toContain('# pinned so rendering matches the cluster');
    expect(read(tree, 'environments/qa/service-a.yaml').image.tag).toBe(read(tree, 'environments/dev/service-a.yaml').image.tag);
    expect(read(tree, 'apps/service-a/app.yaml').environments).toEqual(['dev', 'qa', 'stage', 'prod']);
    expect(read(tree, 'argocd/bootstrap/qa.yaml').spec.source.path).toBe('argocd/apps/qa');
    expect(read(tree, 'argocd/apps/qa/service-b.yaml').spec.destination.namespace).toBe('qa');
    expect(tree.exists('argocd/apps/qa/cluster-base.yaml')).toBe(true);
    expect(tree.exists('argocd/projects/qa.yaml')).toBe(true);
  });

  it.each([
    ['an existing environment', { name: 'stage', promotesFrom: 'dev' }, /environment "stage" already exists/],
    ['an unknown source', { name: 'qa', promotesFrom: 'test' }, /--promotes-from: "test" is not an environment/],
    ['a name that is not a DNS label', { name: 'QA_1', promotesFrom: 'dev' }, /--name: "QA_1" is not a DNS-1123 label/],
    ['a name too long', { name: 'q'.repeat(21), promotesFrom: 'dev' }, /limit is 20/],
    ['a bad domain', { name: 'qa', promotesFrom: 'dev', domain: 'qa..example' }, /--domain: "qa..example" is not a DNS name/],
  ])('rejects %s and leaves every file untouched', async (_case, options, message) => {
    const tree = exampleTree();
    const before = snapshot(tree);
    await expect(environmentGenerator(tree, options as never)).rejects.toThrow(message);
    expect(snapshot(tree)).toEqual(before);
  });
});
