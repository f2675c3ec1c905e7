// How the bench reads an Application into helm's inputs, as Argo CD's repo-server passes them.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { applicationHelm, readApplications, templateArgs } from '../../bench/naive';

const ROOT = '/work/platform';
const multiSource = {
  metadata: { name: 'dev-orders' },
  spec: {
    destination: { namespace: 'dev' },
    sources: [
      {
        path: 'charts/orders',
        helm: {
          releaseName: 'orders',
          valueFiles: ['$values/environments/dev/values.yaml', 'values-extra.yaml'],
          valuesObject: { environment: { name: 'dev' } },
          kubeVersion: '1.33.0',
          apiVersions: ['v1', 'apps/v1'],
        },
      },
      { ref: 'values' },
    ],
  },
};
const singleSource = {
  metadata: { name: 'dev-cluster-base' },
  spec: { destination: { namespace: 'dev' }, source: { path: 'charts/cluster-base', helm: { skipCrds: true } } },
};

describe('applicationHelm', () => {
  it('resolves $values/ against the repository and other value files against the chart', () => {
    expect(applicationHelm(ROOT, multiSource)).toEqual({
      chartDir: `${ROOT}/charts/orders`,
      releaseName: 'orders',
      namespace: 'dev',
      kubeVersion: '1.33.0',
      valueFiles: [`${ROOT}/environments/dev/values.yaml`, `${ROOT}/charts/orders/values-extra.yaml`],
      valuesObject: { environment: { name: 'dev' } },
      apiVersions: ['v1', 'apps/v1'],
      includeCrds: true,
    });
  });

  it("falls back to the Application's name and destination, and honours skipCrds", () => {
    expect(applicationHelm(ROOT, singleSource)).toEqual({
      chartDir: `${ROOT}/charts/cluster-base`,
      releaseName: 'dev-cluster-base',
      namespace: 'dev',
      kubeVersion: undefined,
      valueFiles: [],
      valuesObject: undefined,
      apiVersions: [],
      includeCrds: false,
    });
  });
});

describe('templateArgs', () => {
  it('passes the value files, then the valuesObject file, then the API versions', () => {
    expect(templateArgs(ROOT, multiSource, '/tmp/orders.yaml')).toEqual([
      'template',
      `${ROOT}/charts/orders`,
      '--name-template',
      'orders',
      '--namespace',
      'dev',
      '--kube-version',
      '1.33.0',
      '--values',
      `${ROOT}/environments/dev/values.yaml`,
      '--values',
      `${ROOT}/charts/orders/values-extra.yaml`,
      '--values',
      '/tmp/orders.yaml',
      '--api-versions',
      'v1',
      '--api-versions',
      'apps/v1',
      '--include-crds',
    ]);
    expect(templateArgs(ROOT, singleSource)).toEqual([
      'template',
      `${ROOT}/charts/cluster-base`,
      '--name-template',
      'dev-cluster-base',
      '--namespace',
      'dev',
    ]);
  });
});

describe('readApplications', () => {
  it("takes the example's Applications whose chart is in the repository, and leaves out the add-ons' upstream charts", () => {
    const found = readApplications(join(__dirname, '../../../..'));
    const names = found.map(({ application }) => application.metadata.name);
    expect(names).toContain('dev-service-a');
    expect(names).toContain('prod-cluster-base');
    // https chart repositories and the OCI registry of kube-prometheus-stack
    for (const addon of ['dev-aws-load-balancer-controller', 'stage-metrics-server', 'prod-kube-prometheus-stack'])
      expect(names).not.toContain(addon);
    expect(found.every(({ application }) => applicationHelm('/r', application).chartDir.startsWith('/r/charts/'))).toBe(
      true,
    );
  });
});
