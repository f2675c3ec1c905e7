// nx g berth:addon: the files it writes on a real workspace on disk (through Nx's own file tree, as `nx g` runs it),
// that they are already in sync and load, and that bad input leaves every file as it was.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addonGenerator } from '../../src/nx/generators/addon/generator';
import type { AddonGeneratorSchema } from '../../src/nx/generators/addon/schema';
import { applyDerivedFiles } from '../../src/nx/sync/generator';
import { diskFiles } from '../../src/workspace/files';
import { loadWorkspace } from '../../src/workspace/load';
import { copyExample, snapshot } from '../cli/workspace';

const CERT_MANAGER: AddonGeneratorSchema = {
  name: 'cert-manager',
  repo: 'https://charts.jetstack.io',
  version: 'v1.19.1',
  serves: 'cert-manager.io/v1/Certificate,cert-manager.io/v1/Issuer',
  clusterKinds: 'apiextensions.k8s.io/CustomResourceDefinition,rbac.authorization.k8s.io/ClusterRole',
  namespacedKinds: '/ServiceAccount,apps/Deployment',
  serverSideApply: true,
};

/** Runs the generator on a copy of the example platform on disk, as `nx g berth:addon` does. */
async function generate(options: AddonGeneratorSchema, dir = copyExample()) {
  const tree = new FsTree(dir, false);
  await addonGenerator(tree, options);
  flushChanges(dir, tree.listChanges());
  return { dir, read: (path: string) => readFileSync(join(dir, path), 'utf8') };
}

describe('berth:addon generator', () => {
  it('writes app.yaml, every overlay with its chart version, and the Applications, already in sync', async () => {
    const { dir, read } = await generate(CERT_MANAGER);
    expect(parse(read('apps/cert-manager/app.yaml'))).toEqual({
      name: 'cert-manager',
      kind: 'addon',
      environments: ['dev', 'stage', 'prod'],
      dependsOn: [],
      chart: { name: 'cert-manager', repo: 'https://charts.jetstack.io' },
      namespace: 'cert-manager',
      serverSideApply: true,
      serves: ['cert-manager.io/v1/Certificate', 'cert-manager.io/v1/Issuer'],
      clusterKinds: ['apiextensions.k8s.io/CustomResourceDefinition', 'rbac.authorization.k8s.io/ClusterRole'],
      namespacedKinds: ['/ServiceAccount', 'apps/Deployment'],
      providedByAutoMode: false,
      environmentValues: {},
      chartUpdates: {},
    });
    // lists like its neighbours ([a, b]), a comment on every field
    expect(read('apps/cert-manager/app.yaml')).toContain('environments: [dev, stage, prod]\n');
    expect(read('apps/cert-manager/app.yaml')).toMatch(
      /# the add-on's own namespace \(Argo CD creates it\)\nnamespace: cert-manager/,
    );
    for (const env of ['dev', 'stage', 'prod']) {
      expect(read(`environments/${env}/cert-manager.yaml`)).toMatch(
        /^# cert-manager in .*\n.*\nberth:\n  chartVersion: "v1.19.1"\n$/,
      );
      const application = parse(read(`argocd/apps/${env}/cert-manager.yaml`));
      expect(application.spec.sources[0]).toMatchObject({
        repoURL: 'https://charts.jetstack.io',
        chart: 'cert-manager',
        targetRevision: 'v1.19.1',
      });
      expect(application.spec.project).toBe(`${env}-addons`);
      expect(read(`argocd/projects/${env}.yaml`)).toContain('https://charts.jetstack.io');
    }
    // it loads, and nx sync right after changes nothing
    const workspace = loadWorkspace(diskFiles(dir));
    expect(workspace.services.find((service) => service.name === 'cert-manager')?.kind).toBe('addon');
    const tree = new FsTree(dir, false);
    expect(applyDerivedFiles(tree)).toBe('');
  });

  it('takes an oci:// registry, chosen environments, a namespace and a dependency on another add-on', async () => {
    const { read } = await generate({
      name: 'loki',
      repo: 'oci://ghcr.io/grafana/helm-charts',
      version: '6.30.0',
      namespace: 'logging',
      envs: 'dev,stage',
      dependsOn: 'kube-prometheus-stack',
    });
    expect(parse(read('apps/loki/app.yaml'))).toMatchObject({
      environments: ['dev', 'stage'],
      dependsOn: ['kube-prometheus-stack'],
      namespace: 'logging',
    });
    const application = parse(read('argocd/apps/dev/loki.yaml'));
    expect(application.spec.sources[0]).toMatchObject({
      repoURL: 'oci://ghcr.io/grafana/helm-charts/loki',
      path: '.',
      targetRevision: '6.30.0',
    });
    expect(application.metadata.annotations['argocd.argoproj.io/sync-wave']).toBe('-1');
    expect(
      parse(read('argocd/apps/dev/kube-prometheus-stack.yaml')).metadata.annotations['argocd.argoproj.io/sync-wave'],
    ).toBe('-2');
    expect(() => read('argocd/apps/prod/loki.yaml')).toThrow(/ENOENT/);
  });

  // [what, options, option named, problem]
  const bad: [string, Partial<AddonGeneratorSchema>, string, RegExp][] = [
    ['an http repository', { repo: 'http://charts.jetstack.io' }, '--repo', /uses http/],
    ['credentials in the repository', { repo: 'https://user:hunter2@charts.example.com' }, '--repo', /holds/],
    [
      'a version that injects YAML',
      { version: '1.0.0"\nrbac: {create: false}' },
      '--version',
      /one line|not a chart version/,
    ],
    ['a version range', { version: '^1.19' }, '--version', /not a chart version/],
    ['a name escaping apps/', { name: '../x' }, '--name', /DNS-1123/],
    ['a reserved name', { name: 'cluster-base' }, '--name', /reserved/],
    ['an existing app', { name: 'metrics-server' }, '--name', /already exists/],
    ["an environment's namespace", { namespace: 'dev' }, '--namespace', /an environment's namespace/],
    ['an unknown environment', { envs: 'qa' }, '--envs', /not an environment/],
    ['a service as dependency', { dependsOn: 'postgres' }, '--depends-on', /not an add-on/],
    ['a served kind without a version', { serves: 'cert-manager.io/Certificate' }, '--serves', /group\/version\/Kind/],
    ['a cluster kind without a group', { clusterKinds: 'ClusterRole' }, '--cluster-kinds', /group\/Kind/],
    ['a chart name with a path', { chart: 'a/b' }, '--chart', /DNS-1123/],
  ];

  it.each(bad)(
    'refuses %s, naming the option and leaving every file as it was',
    async (_what, change, option, problem) => {
      const dir = copyExample();
      const before = snapshot(dir);
      const run = generate({ ...CERT_MANAGER, ...change }, dir);
      await expect(run).rejects.toMatchObject({ field: option, problem: expect.stringMatching(problem) });
      expect(snapshot(dir)).toEqual(before);
    },
  );

  it('refuses, writing nothing, in a workspace whose env.yaml lacks a fact an add-on reads', async () => {
    const dir = copyExample();
    const env = join(dir, 'environments/stage/env.yaml');
    writeFileSync(env, readFileSync(env, 'utf8').replace(/  vpcId: .*\n/, ''));
    const before = snapshot(dir);
    await expect(generate(CERT_MANAGER, dir)).rejects.toMatchObject({
      file: 'environments/stage/env.yaml',
      field: 'aws.vpcId',
    });
    expect(snapshot(dir)).toEqual(before);
  });
});
