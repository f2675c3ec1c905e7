// nx g berth:service: what it writes for each option, and that bad input changes nothing.
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { serviceGenerator } from '../../src/nx/generators/service/generator';
import { applyDerivedFiles } from '../../src/nx/sync/generator';
import { exampleTree, snapshot } from './workspace-tree';

const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders';
const read = (tree: ReturnType<typeof exampleTree>, path: string) => parse(tree.read(path, 'utf-8') ?? 'null');

describe('berth:service generator', () => {
  it('adds a stateless service to every environment, with its derived files, in one step', async () => {
    const tree = exampleTree();
    await serviceGenerator(tree, {
      name: 'orders',
      image: IMAGE,
      port: 9090,
      ingressPath: '/orders',
      monitoring: true,
    });
    expect(read(tree, 'apps/orders/app.yaml')).toMatchObject({
      name: 'orders',
      kind: 'stateless',
      environments: ['dev', 'stage', 'prod'],
      dependsOn: [],
    });
    expect(read(tree, 'charts/orders/Chart.yaml').dependencies).toEqual([
      { name: 'common', version: '0.1.0', repository: 'file://../common' },
    ]);
    expect(tree.read('charts/orders/templates/berth.yaml', 'utf-8')).toContain('{{- include "common.all" . }}');
    expect(read(tree, 'charts/orders/values.yaml')).toMatchObject({
      kind: 'stateless',
      image: { repository: IMAGE },
      containerPort: 9090,
      ingress: { enabled: true, path: '/orders', host: 'orders' },
      monitoring: { enabled: true },
    });
    for (const env of ['dev', 'stage', 'prod']) {
      expect(read(tree, `environments/${env}/orders.yaml`)).toEqual({ image: { tag: '0.1.0' } });
      const application = read(tree, `argocd/apps/${env}/orders.yaml`);
      expect(application.spec.sources[0]).toMatchObject({
        path: 'charts/orders',
        helm: {
          releaseName: 'orders',
          valueFiles: [`$values/environments/${env}/values.yaml`, `$values/environments/${env}/orders.yaml`],
        },
      });
    }
    expect(read(tree, 'charts/platform/Chart.yaml').dependencies).toContainEqual({
      name: 'orders',
      version: '0.1.0',
      repository: 'file://../orders',
      condition: 'orders.enabled',
    });
    expect(tree.exists('charts/orders/values.schema.json')).toBe(true);
    // the derived files are already current: a sync right after changes nothing
    expect(applyDerivedFiles(tree)).toBe('');
  });

  it('adds a stateful service with a volume, in chosen environments, after its dependency', async () => {
    const tree = exampleTree();
    await serviceGenerator(tree, {
      name: 'ledger',
      kind: 'stateful',
      image: IMAGE,
      port: 5432,
      storage: '50Gi',
      envs: 'dev,stage',
      dependsOn: 'service-b',
    });
    expect(read(tree, 'charts/ledger/values.yaml')).toMatchObject({
      kind: 'stateful',
      persistence: { size: '50Gi' },
      service: { port: 5432 },
    });
    expect(tree.exists('environments/prod/ledger.yaml')).toBe(false);
    expect(tree.exists('argocd/apps/prod/ledger.yaml')).toBe(false);
    const wave = (env: string, app: string) =>
      Number(read(tree, `argocd/apps/${env}/${app}.yaml`).metadata.annotations['argocd.argoproj.io/sync-wave']);
    expect(wave('dev', 'ledger')).toBe(wave('dev', 'service-b') + 1);
    expect(wave('dev', 'service-b')).toBe(wave('dev', 'postgres') + 1);
  });

  it('adds a scheduled service: a CronJob with its schedule, no Service or Ingress', async () => {
    const tree = exampleTree();
    await serviceGenerator(tree, {
      name: 'nightly-report',
      kind: 'scheduled',
      schedule: '30 2 * * *',
      image: IMAGE,
      envs: 'dev',
    });
    const values = read(tree, 'charts/nightly-report/values.yaml');
    expect(values).toMatchObject({ kind: 'scheduled', schedule: '30 2 * * *' });
    expect(values.service).toBeUndefined();
    expect(values.ingress).toBeUndefined();
    expect(read(tree, 'apps/nightly-report/app.yaml').kind).toBe('scheduled');
  });

  const bad: [string, Record<string, unknown>, RegExp][] = [
    [
      'a scheduled service without a schedule',
      { kind: 'scheduled' },
      /--schedule: a scheduled service needs a schedule/,
    ],
    [
      'a schedule on a stateless service',
      { schedule: '@daily' },
      /--schedule: only a scheduled service runs on a schedule/,
    ],
    [
      'a schedule that is not cron',
      { kind: 'scheduled', schedule: 'every day' },
      /--schedule: "every day" is not a cron schedule/,
    ],
    [
      'an ingress on a scheduled service',
      { kind: 'scheduled', schedule: '@hourly', ingressPath: '/x' },
      /--ingress-path: a scheduled service serves no traffic/,
    ],
    ['an upper-case name', { name: 'Orders' }, /--name: "Orders" is not a DNS-1123 label/],
    ['a name that escapes its folder', { name: '../orders' }, /--name: "..\/orders" is not a DNS-1123 label/],
    ['a name too long for a Helm release', { name: 'a'.repeat(54) }, /54 characters long; the limit is 53/],
    ['a name that exists', { name: 'service-a' }, /already exists \(apps\/service-a\/app.yaml\)/],
    ['a reserved name', { name: 'platform' }, /reserved by berth/],
    ['an unknown environment', { envs: 'dev,qa' }, /--envs: "qa" is not an environment/],
    ['an unknown dependency', { dependsOn: 'billing' }, /--depends-on: "billing" is not a service/],
    ['port 0', { port: 0 }, /--port: "0" is not a port number/],
    ['port 70000', { port: 70000 }, /--port: "70000"/],
    ['a port that is not a number', { port: 'http' }, /--port: "http"/],
    [
      'a size without a unit Kubernetes knows',
      { kind: 'stateful', storage: '10GB' },
      /--storage: "10GB" is not a volume size/,
    ],
    ['storage on a stateless service', { storage: '10Gi' }, /--storage: only a stateful service has a volume/],
    ['an image with a tag', { image: `${IMAGE}:1.0` }, /--image: .* is not an image repository/],
    ['a tag that injects YAML', { tag: '1.0"\nreplicas: 99' }, /--tag: .* is not a pinned image tag/],
    ['the latest tag', { tag: 'latest' }, /--tag: "latest" is not a pinned image tag/],
    [
      'an unknown service type',
      { serviceType: 'ExternalName' },
      /--service-type: "ExternalName" is not a Service type/,
    ],
    ['an ingress path without a slash', { ingressPath: 'orders' }, /--ingress-path: "orders" is not an HTTP path/],
  ];
  it.each(bad)('rejects %s and leaves every file untouched', async (_case, options, message) => {
    const tree = exampleTree();
    const before = snapshot(tree);
    await expect(serviceGenerator(tree, { name: 'orders', image: IMAGE, ...options } as never)).rejects.toThrow(
      message,
    );
    expect(snapshot(tree)).toEqual(before);
  });

  it('writes app.yaml lists in the style of the other app.yaml files', async () => {
    const tree = exampleTree();
    expect(tree.read('apps/service-a/app.yaml', 'utf-8')).toContain('environments: [dev, stage, prod]\n');
    await serviceGenerator(tree, { name: 'orders', image: IMAGE, envs: 'dev,stage', dependsOn: 'postgres' });
    expect(tree.read('apps/orders/app.yaml', 'utf-8')).toContain(
      'environments: [dev, stage]\n# services that must be synced before this one (Argo CD sync waves)\ndependsOn: [postgres]\n',
    );

    const block = exampleTree();
    for (const service of block.children('apps')) {
      const path = `apps/${service}/app.yaml`;
      block.write(
        path,
        block.read(path, 'utf-8')!.replace(
          /^environments: \[(.*)\]$/m,
          (_line, list: string) =>
            `environments:\n${list
              .split(', ')
              .map((env) => `  - ${env}`)
              .join('\n')}`,
        ),
      );
    }
    await serviceGenerator(block, { name: 'orders', image: IMAGE, envs: 'dev,stage', dependsOn: 'postgres' });
    const text = block.read('apps/orders/app.yaml', 'utf-8')!;
    expect(text).toContain('environments:\n  - dev\n  - stage\n');
    expect(text).toContain('dependsOn:\n  - postgres\n');
    expect(read(block, 'apps/orders/app.yaml')).toMatchObject({
      environments: ['dev', 'stage'],
      dependsOn: ['postgres'],
    });
  });

  it('writes Applications that are valid multi-document YAML', async () => {
    const tree = exampleTree();
    await serviceGenerator(tree, { name: 'orders', image: IMAGE });
    const documents = parseAllDocuments(tree.read('argocd/projects/dev.yaml', 'utf-8')!);
    expect(documents.map((document) => document.toJS().metadata.name)).toEqual([
      'dev',
      'dev-cluster',
      'dev-root',
      'dev-addons',
    ]);
  });

  it("updates the shared derived files and its own, and leaves another service's stale file to nx sync", async () => {
    const tree = exampleTree();
    const stale = 'argocd/apps/dev/service-a.yaml';
    tree.write(stale, tree.read(stale, 'utf-8') + '# edited by hand\n');
    await serviceGenerator(tree, { name: 'orders', image: IMAGE });
    expect(tree.read(stale, 'utf-8')).toContain('# edited by hand');
    expect(tree.read('charts/platform/Chart.yaml', 'utf-8')).toContain('file://../orders');
    expect(applyDerivedFiles(tree)).toBe(`  stale: ${stale}`);
  });

  describe('with skipSync, for a batch that syncs once at its end', () => {
    const batch = [
      { name: 'orders', image: IMAGE, ingressPath: '/orders' },
      { name: 'ledger', image: IMAGE, kind: 'stateful', storage: '20Gi', envs: 'dev,stage' },
      { name: 'billing', image: IMAGE, dependsOn: 'ledger,orders', owner: 'team-payments' },
    ] as const;

    it('writes what the generator writes without it once the sync has run, and no derived file before', async () => {
      const synced = exampleTree();
      for (const options of batch) await serviceGenerator(synced, options);
      const batched = exampleTree();
      for (const options of batch) await serviceGenerator(batched, { ...options, skipSync: true });
      expect(batched.exists('argocd/apps/dev/orders.yaml')).toBe(false);
      expect(batched.exists('charts/orders/values.schema.json')).toBe(false);
      expect(batched.read('charts/platform/Chart.yaml', 'utf-8')).not.toContain('orders');
      expect(applyDerivedFiles(batched)).not.toBe('');
      expect(snapshot(batched)).toEqual(snapshot(synced));
    });

    it('takes as a dependency only a folder under apps/ that holds an app.yaml', async () => {
      const tree = exampleTree();
      tree.write('apps/notes/README.md', 'not a service\n');
      const before = snapshot(tree);
      await expect(
        serviceGenerator(tree, { name: 'orders', image: IMAGE, dependsOn: 'notes', skipSync: true }),
      ).rejects.toThrow(
        /--depends-on: "notes" is not a service \(known: aws-ebs-csi-driver, aws-load-balancer-controller, berth-image-updater, external-secrets, kube-prometheus-stack, metrics-server, postgres, service-a, service-b, service-c\)/,
      );
      await expect(
        serviceGenerator(tree, { name: 'orders', image: IMAGE, dependsOn: '../apps/postgres', skipSync: true }),
      ).rejects.toThrow(/--depends-on: "..\/apps\/postgres" is not a service/);
      expect(snapshot(tree)).toEqual(before);
    });

    it.each(bad)('rejects %s as it does without skipSync', async (_case, options, message) => {
      const tree = exampleTree();
      const before = snapshot(tree);
      await expect(
        serviceGenerator(tree, { name: 'orders', image: IMAGE, ...options, skipSync: true } as never),
      ).rejects.toThrow(message);
      expect(snapshot(tree)).toEqual(before);
    });
  });
});
