// kube-prometheus-stack picks up what the services render: Prometheus selects their ServiceMonitors and PrometheusRules
// and Grafana's sidecar loads their dashboard ConfigMaps. The upstream chart is not at hand offline, so the selectors
// are worked out from the overlay's values the way the chart's templates do, then matched against the services'
// objects as berth renders them (real helm), in every environment.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { berth, repo } from '../cli/workspace';

type Labels = Record<string, string>;
interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}
interface KubeObject {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Labels };
}

const ENVS = ['dev', 'stage', 'prod'];
const RELEASE = 'kube-prometheus-stack';
const stackNamespace = (): string => parse(readFileSync(join(repo, `apps/${RELEASE}/app.yaml`), 'utf8')).namespace;

/** Kubernetes label-selector semantics: every matchLabels pair and every expression must hold; {} selects everything. */
export function selects(selector: LabelSelector, labels: Labels = {}): boolean {
  const pairs = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  const expressions = (selector.matchExpressions ?? []).every((expression) => {
    const has = Object.hasOwn(labels, expression.key);
    switch (expression.operator) {
      case 'In':
        return has && (expression.values ?? []).includes(labels[expression.key]);
      case 'NotIn':
        return !has || !(expression.values ?? []).includes(labels[expression.key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
    }
  });
  return pairs && expressions;
}

const isEmpty = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'object' && Object.keys(value as object).length === 0);

/**
 * The Prometheus resource's selector for `what` (serviceMonitor, rule, podMonitor), as kube-prometheus-stack's
 * templates/prometheus/prometheus.yaml writes it: the value when it is non-empty; else, with
 * <what>SelectorNilUsesHelmValues (default true), only objects labelled release: <release>; else {} (all of them).
 * The namespace selector is the value when non-empty, else {}: every namespace.
 */
export function prometheusSelection(spec: Record<string, any>, what: 'serviceMonitor' | 'rule') {
  const selector = spec[`${what}Selector`];
  const nilUsesHelmValues = spec[`${what}SelectorNilUsesHelmValues`] ?? true;
  const objects: LabelSelector = !isEmpty(selector)
    ? selector
    : nilUsesHelmValues
      ? { matchLabels: { release: RELEASE } }
      : {};
  const namespaces: LabelSelector = isEmpty(spec[`${what}NamespaceSelector`]) ? {} : spec[`${what}NamespaceSelector`];
  return { objects, namespaces };
}

/** The Grafana sidecar's choice of dashboard ConfigMaps (grafana chart values sidecar.dashboards). */
function sidecarLoads(dashboards: Record<string, any>, object: KubeObject, grafanaNamespace: string): boolean {
  if (dashboards.enabled === false) return false;
  const label = dashboards.label ?? 'grafana_dashboard';
  const value = dashboards.labelValue;
  const labels = object.metadata.labels ?? {};
  const labelled =
    Object.hasOwn(labels, label) &&
    (value === undefined || value === null || value === '' || labels[label] === String(value));
  const search = dashboards.searchNamespace;
  const namespaces = search === 'ALL' ? undefined : search ? [search].flat() : [grafanaNamespace];
  return labelled && (namespaces === undefined || namespaces.includes(object.metadata.namespace!));
}

/** A namespace object's labels as the API server sets them (kubernetes.io/metadata.name since 1.21). */
const namespaceLabels = (name: string): Labels => ({ 'kubernetes.io/metadata.name': name });

describe('the services and kube-prometheus-stack agree on labels', () => {
  let out: string;
  const rendered = new Map<string, KubeObject[]>();

  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'berth-monitoring-'));
    const run = berth(repo, 'render', '--out', join(out, 'rendered'));
    expect(run.status, run.stderr).toBe(0);
    for (const env of ENVS)
      for (const service of ['postgres', 'service-a', 'service-b', 'service-c']) {
        const text = readFileSync(join(out, 'rendered', env, `${service}.yaml`), 'utf8');
        rendered.set(
          `${env}/${service}`,
          parseAllDocuments(text)
            .map((document) => document.toJS())
            .filter(Boolean),
        );
      }
  }, 600_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  const objects = (env: string, kind: string) =>
    [...rendered.entries()]
      .filter(([key]) => key.startsWith(`${env}/`))
      .flatMap(([, list]) => list.filter((object) => object.kind === kind));
  const values = (env: string) => parse(readFileSync(join(repo, `environments/${env}/${RELEASE}.yaml`), 'utf8'));

  it.each(ENVS)('%s: Prometheus selects every ServiceMonitor and PrometheusRule the services render', (env) => {
    const spec = values(env).prometheus.prometheusSpec;
    for (const [kind, what] of [
      ['ServiceMonitor', 'serviceMonitor'],
      ['PrometheusRule', 'rule'],
    ] as const) {
      const found = objects(env, kind);
      expect(found.length, `${env} renders ${kind}s`).toBeGreaterThanOrEqual(4);
      const { objects: selector, namespaces } = prometheusSelection(spec, what);
      for (const object of found) {
        expect(selects(selector, object.metadata.labels), `${kind}/${object.metadata.name} labels`).toBe(true);
        expect(
          selects(namespaces, namespaceLabels(object.metadata.namespace!)),
          `${kind}/${object.metadata.name} namespace`,
        ).toBe(true);
      }
    }
  });

  it.each(ENVS)("%s: Grafana's sidecar loads every dashboard ConfigMap the services render", (env) => {
    const dashboards = objects(env, 'ConfigMap').filter((object) => object.metadata.name.endsWith('-dashboard'));
    expect(dashboards.length).toBeGreaterThanOrEqual(4);
    for (const object of dashboards)
      expect(sidecarLoads(values(env).grafana.sidecar.dashboards, object, stackNamespace()), object.metadata.name).toBe(
        true,
      );
  });

  it.each(ENVS)("%s: the services' NetworkPolicies let Prometheus in from the add-on's namespace", (env) => {
    const policies = objects(env, 'NetworkPolicy') as unknown as {
      spec: { ingress: { from?: { namespaceSelector?: LabelSelector }[] }[] };
    }[];
    expect(policies.length).toBeGreaterThanOrEqual(4);
    for (const policy of policies) {
      const from = policy.spec.ingress.flatMap((rule) => rule.from ?? []);
      expect(
        from.some(
          (peer) => peer.namespaceSelector && selects(peer.namespaceSelector, namespaceLabels(stackNamespace())),
        ),
      ).toBe(true);
    }
  });

  it("would select none of them with the chart's defaults: the overlay's settings are what make them match", () => {
    const serviceMonitors = objects('dev', 'ServiceMonitor');
    const defaults = prometheusSelection({}, 'serviceMonitor');
    expect(serviceMonitors.some((object) => selects(defaults.objects, object.metadata.labels))).toBe(false);
    const dashboard = objects('dev', 'ConfigMap').find((object) => object.metadata.name.endsWith('-dashboard'))!;
    expect(sidecarLoads({}, dashboard, stackNamespace())).toBe(false);
  });

  it('reads selectors the way Kubernetes does', () => {
    expect(selects({}, {})).toBe(true);
    expect(selects({ matchLabels: { a: '1' } }, { a: '1', b: '2' })).toBe(true);
    expect(selects({ matchLabels: { a: '1' } }, { a: '2' })).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'DoesNotExist' }] }, { a: '' })).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'a', operator: 'In', values: ['x'] }] }, { a: 'x' })).toBe(true);
  });
});
