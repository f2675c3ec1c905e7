// The render floor's umbrella chart: one file:// dependency per chart, the library once, values under each chart's key.
import { describe, expect, it } from 'vitest';
import { FloorPlanError, umbrellaPlan, type ChartFacts } from '../../bench/floor-plan';
import type { ApplicationHelm } from '../../bench/naive';

const ROOT = '/work/platform';
const API_VERSIONS = ['v1', 'apps/v1'];

const application = (chart: string, extra: Partial<ApplicationHelm> = {}): ApplicationHelm => ({
  chartDir: `${ROOT}/charts/${chart}`,
  releaseName: chart,
  namespace: 'dev',
  kubeVersion: '1.33.0',
  valueFiles: [`${ROOT}/environments/dev/values.yaml`, `${ROOT}/environments/dev/${chart}.yaml`],
  valuesObject: { environment: { name: 'dev' } },
  apiVersions: API_VERSIONS,
  includeCrds: true,
  ...extra,
});

const library = { name: 'common', version: '0.1.0', repository: 'file://../common' };
const charts: Record<string, ChartFacts> = {
  [`${ROOT}/charts/orders`]: { name: 'orders', version: '0.1.0', dependencies: [library] },
  [`${ROOT}/charts/ledger`]: { name: 'ledger', version: '0.2.0', dependencies: [library] },
  [`${ROOT}/charts/cluster-base`]: { name: 'cluster-base', version: '0.1.0', dependencies: [] },
  [`${ROOT}/charts/remote`]: {
    name: 'remote',
    version: '1.0.0',
    dependencies: [{ name: 'redis', version: '18.0.0', repository: 'https://charts.example.com' }],
  },
  [`${ROOT}/other/orders`]: { name: 'orders', version: '0.1.0', dependencies: [] },
};
const chartOf = (dir: string) => {
  if (!charts[dir]) throw new Error(`no chart at ${dir}`);
  return charts[dir];
};

describe('umbrellaPlan', () => {
  it('depends on every chart by file:// and on the library they share, once', () => {
    const plan = umbrellaPlan('dev', [application('orders'), application('ledger')], chartOf);
    expect(plan.chart).toMatchObject({ apiVersion: 'v2', name: 'platform', type: 'application', version: '0.1.0' });
    expect(plan.chart.dependencies).toEqual([
      { name: 'orders', version: '0.1.0', repository: `file://${ROOT}/charts/orders` },
      { name: 'ledger', version: '0.2.0', repository: `file://${ROOT}/charts/ledger` },
      { name: 'common', version: '0.1.0', repository: `file://${ROOT}/charts/common` },
    ]);
  });

  it("puts each Application's value files, in order, and then its valuesObject under its chart's key", () => {
    const plan = umbrellaPlan(
      'dev',
      [application('orders'), application('cluster-base', { valueFiles: [], valuesObject: { a: 1 } })],
      chartOf,
    );
    expect(plan.layers.files).toEqual([
      { orders: `${ROOT}/environments/dev/values.yaml` },
      { orders: `${ROOT}/environments/dev/orders.yaml` },
    ]);
    expect(plan.layers.objects).toEqual({ orders: { environment: { name: 'dev' } }, 'cluster-base': { a: 1 } });
  });

  it("renders with the environment's namespace, Kubernetes version and API versions, CRDs included", () => {
    expect(umbrellaPlan('dev', [application('orders')], chartOf).flags).toEqual([
      '--name-template',
      'platform',
      '--namespace',
      'dev',
      '--kube-version',
      '1.33.0',
      '--api-versions',
      'v1',
      '--api-versions',
      'apps/v1',
      '--include-crds',
    ]);
    const bare = application('orders', { kubeVersion: undefined, apiVersions: [], includeCrds: false });
    expect(umbrellaPlan('dev', [bare], chartOf).flags).toEqual(['--name-template', 'platform', '--namespace', 'dev']);
  });

  it('leaves dependencies from a chart repository to the chart that has them', () => {
    const plan = umbrellaPlan('dev', [application('remote')], chartOf);
    expect(plan.chart.dependencies).toEqual([
      { name: 'remote', version: '1.0.0', repository: `file://${ROOT}/charts/remote` },
    ]);
  });

  it('refuses two different charts of one name, and an environment without Applications', () => {
    const twin = application('orders', { chartDir: `${ROOT}/other/orders` });
    expect(() => umbrellaPlan('dev', [application('orders'), twin], chartOf)).toThrow(FloorPlanError);
    expect(() => umbrellaPlan('dev', [application('orders'), twin], chartOf)).toThrow(
      `environment dev: two charts are named orders (${ROOT}/charts/orders and ${ROOT}/other/orders)`,
    );
    expect(() => umbrellaPlan('qa', [], chartOf)).toThrow('environment qa has no Applications to render');
  });
});
