// What a chart really serves (the CustomResourceDefinitions and APIServices it renders) against what its add-on's
// app.yaml `serves` declares. Pure: the api-provenance rule feeds it an add-on's rendered Application, and
// validate/chart-crds.ts a chart directory templated by helm.
import { apiVersionOf, parseApiKind } from '../workspace/api-kinds';
import { paths } from '../workspace/model';
import type { KubeObject } from './context';
import type { Finding } from './finding';

export interface ShippedApis {
  /** group/version/Kind of every served version of every CustomResourceDefinition, with the CRD's name. */
  kinds: Map<string, string>;
  /** group/versions an APIService hands to a service of the chart (an aggregated API, e.g. metrics.k8s.io/v1beta1). */
  aggregated: Map<string, string>;
}

/** The served versions of a CRD: apiextensions.k8s.io/v1 lists them; v1beta1 may name one `version`. */
function crdVersions(spec: KubeObject): string[] {
  if (Array.isArray(spec.versions))
    return spec.versions
      .filter((version: KubeObject) => version?.served !== false && typeof version?.name === 'string')
      .map((version: KubeObject) => version.name);
  return typeof spec.version === 'string' ? [spec.version] : [];
}

export function shippedApis(objects: KubeObject[]): ShippedApis {
  const shipped: ShippedApis = { kinds: new Map(), aggregated: new Map() };
  for (const object of objects) {
    const group = String(object?.apiVersion ?? '').split('/')[0];
    const spec = object?.spec ?? {};
    const named = typeof spec.group === 'string';
    if (object?.kind === 'CustomResourceDefinition' && group === 'apiextensions.k8s.io' && named) {
      for (const version of crdVersions(spec)) {
        const entry = `${spec.group}/${version}/${spec.names?.kind}`;
        // a name berth could not write back into app.yaml is left out rather than suggested
        if (parseApiKind(entry)) shipped.kinds.set(entry, String(object.metadata?.name ?? entry));
      }
    }
    // an APIService without a service is the apiserver's own (local); one with a service is an aggregated API
    if (object?.kind === 'APIService' && group === 'apiregistration.k8s.io' && spec.service && named) {
      const apiVersion = `${spec.group}/${spec.version}`;
      if (parseApiKind(`${apiVersion}/Kind`)) shipped.aggregated.set(apiVersion, String(object.metadata?.name ?? ''));
    }
  }
  return shipped;
}

export interface ServesCheck {
  addon: string;
  serves: readonly string[];
  /** How the finding names what was read, e.g. "chart kube-prometheus-stack as rendered for dev". */
  source: string;
  at?: { environment?: string; application?: string };
}

/** A finding for each served kind the chart does not define and each kind the chart serves that `serves` omits. */
export function servesFindings(check: ServesCheck, shipped: ShippedApis): Finding[] {
  const file = paths.app(check.addon);
  const base = { rule: 'api-provenance', ...check.at, object: file };
  const findings: Finding[] = [];
  const declared = new Set<string>();
  check.serves.forEach((entry, index) => {
    const apiKind = parseApiKind(entry);
    if (!apiKind) return; // servedApis refuses a malformed entry with its field
    declared.add(entry);
    const apiVersion = apiVersionOf(apiKind);
    if (shipped.kinds.has(entry) || shipped.aggregated.has(apiVersion)) return;
    const sameKind = [...shipped.kinds.keys()].filter((key) => {
      const other = parseApiKind(key)!;
      return other.group === apiKind.group && other.kind === apiKind.kind;
    });
    findings.push({
      ...base,
      field: `serves[${index}]`,
      message: `lists ${entry}, which ${check.source} does not define${sameKind.length ? ` (it serves ${sameKind.join(', ')})` : ' (no CustomResourceDefinition or APIService of it)'}.`,
      // the versions it does serve get their own finding below when serves omits them
      fix: `remove "- ${entry}" from ${file} serves.`,
    });
  });
  for (const [entry, crd] of shipped.kinds) {
    if (declared.has(entry)) continue;
    // a version the chart serves beside the declared one is still a kind the cluster gets from this add-on
    findings.push({
      ...base,
      field: 'serves',
      message: `omits ${entry}, which ${check.source} serves (CustomResourceDefinition ${crd}).`,
      fix: `add "- ${entry}" to ${file} serves, so environments without ${check.addon} are told to add it.`,
    });
  }
  for (const [apiVersion, service] of shipped.aggregated) {
    if ([...declared].some((entry) => entry.startsWith(`${apiVersion}/`))) continue;
    findings.push({
      ...base,
      field: 'serves',
      message: `omits ${apiVersion}, which ${check.source} serves as an aggregated API (APIService ${service}).`,
      fix: `add "- ${apiVersion}/<Kind>" to ${file} serves for each kind that API serves.`,
    });
  }
  return findings;
}
