// Argo CD's rules for third-party chart sources, as a table: which chart, which version, and what berth refuses.
import { describe, expect, it } from 'vitest';
import { helmRequestFor } from '../../src/render/argo-rules';

const REPO = 'https://github.com/acme/platform-gitops.git';
const application = (source: Record<string, unknown>, helm: Record<string, unknown> = {}) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: { name: 'dev-addon', labels: { 'berth.dev/environment': 'dev', 'berth.dev/service': 'addon' } },
  spec: {
    project: 'dev-addons',
    destination: { namespace: 'monitoring' },
    sources: [
      { ...source, helm: { kubeVersion: '1.33.0', valueFiles: ['$values/environments/dev/addon.yaml'], ...helm } },
      { repoURL: REPO, targetRevision: 'main', ref: 'values' },
    ],
  },
});
const request = (source: Record<string, unknown>, helm?: Record<string, unknown>) =>
  helmRequestFor(application(source, helm), 'argocd/apps/dev/addon.yaml', REPO);

describe('third-party chart sources', () => {
  it.each([
    [
      { repoURL: 'https://aws.github.io/eks-charts', chart: 'aws-load-balancer-controller', targetRevision: '1.14.0' },
      { repo: 'https://aws.github.io/eks-charts', name: 'aws-load-balancer-controller', version: '1.14.0' },
    ],
    [
      {
        repoURL: 'oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack',
        path: '.',
        targetRevision: '81.6.1',
      },
      { repo: 'oci://ghcr.io/prometheus-community/charts', name: 'kube-prometheus-stack', version: '81.6.1' },
    ],
  ])('%o is the chart %o, templated with the Application as release name and its value files', (source, chart) => {
    const made = request(source);
    expect(made.chart).toEqual(chart);
    expect(made).toMatchObject({
      chartPath: '',
      releaseName: 'dev-addon',
      namespace: 'monitoring',
      valueFiles: ['environments/dev/addon.yaml'],
      includeCrds: true,
    });
  });

  it.each([
    [
      { repoURL: 'oci://ghcr.io/x/charts', chart: 'x', targetRevision: '1.0.0' },
      {},
      /Argo CD reads an OCI chart from repoURL/,
    ],
    [{ repoURL: 'https://charts.example.com', chart: 'x', targetRevision: '>=1.0' }, {}, /not an exact SemVer version/],
    [{ repoURL: 'https://charts.example.com', chart: '../x', targetRevision: '1.0.0' }, {}, /is not a chart name/],
    [
      { repoURL: 'http://charts.example.com', chart: 'x', targetRevision: '1.0.0' },
      {},
      /is not https:\/\/ or oci:\/\//,
    ],
    [{ repoURL: 'https://charts.example.com', path: 'x', targetRevision: '1.0.0' }, {}, /neither this repository/],
    [
      { repoURL: 'https://charts.example.com', chart: 'x', targetRevision: '1.0.0' },
      { valueFiles: ['values-prod.yaml'] },
      /does not read values from/,
    ],
  ])('refuses %o', (source, helm, message) => {
    expect(() => request(source, helm)).toThrow(message);
  });

  it('refuses an Application with two chart sources', () => {
    const twice = application({ repoURL: 'https://charts.example.com', chart: 'x', targetRevision: '1.0.0' });
    twice.spec.sources.push({ repoURL: REPO, targetRevision: 'main', path: 'charts/x' } as any);
    expect(() => helmRequestFor(twice, 'argocd/apps/dev/addon.yaml', REPO)).toThrow(/exactly one chart source/);
  });
});
