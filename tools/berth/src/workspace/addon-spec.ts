// Reads what an add-on's app.yaml says beyond every app (chart, namespace, kinds, environment values), refusing
// anything that could reach past the add-on: credentials or odd schemes in the chart URL, kinds outside the API
// grammar, value paths that would write into an object's prototype.
import { urlCredentials } from '../secrets/detect';
import type { FieldReader } from './fields';
import type { AddonSpec } from './model';
import { nameProblem } from './names';

/** The environment facts an add-on's chart may read (app.yaml environmentValues). */
export const ENVIRONMENT_FACTS = ['clusterName', 'region', 'vpcId', 'accountId', 'roleArn'] as const;
export type EnvironmentFact = (typeof ENVIRONMENT_FACTS)[number];

const API_GROUP = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;
const API_VERSION = /^v[1-9][0-9]*((alpha|beta)[1-9][0-9]*)?$/;
const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;
/** Segments no value path may have: they would reach an object's prototype when the values are built. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `monitoring.coreos.com/v1/ServiceMonitor` (a CRD's group has a dot; core kinds are not served by an add-on). */
export function isGroupVersionKind(value: string): boolean {
  const parts = value.split('/');
  return (
    parts.length === 3 &&
    API_GROUP.test(parts[0]) &&
    parts[0].includes('.') &&
    API_VERSION.test(parts[1]) &&
    KIND.test(parts[2])
  );
}

/** `apps/Deployment`, `/ServiceAccount` (the empty group is the core API). */
export function isGroupKind(value: string): boolean {
  const parts = value.split('/');
  return parts.length === 2 && (parts[0] === '' || API_GROUP.test(parts[0])) && KIND.test(parts[1]);
}

/** A Helm value path as app.yaml writes it: keys joined by dots, a literal dot escaped as `\.`. */
export function valuePath(path: string): string[] {
  return path.split(/(?<!\\)\./).map((segment) => segment.replace(/\\\./g, '.'));
}

/** Why `repo` is not a chart repository berth may name in Argo CD objects, or undefined. */
export function chartRepoProblem(repo: string): string | undefined {
  if (/[\s\u0000-\u001f\u007f]/.test(repo)) return 'holds whitespace or a control character';
  let url: URL;
  try {
    url = new URL(repo);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'oci:')
    return `uses ${url.protocol.replace(/:$/, '') || 'no scheme'}; a chart comes from an https:// Helm repository or an oci:// registry`;
  const credential = urlCredentials(repo) ?? (url.username || url.password ? 'a user name or password' : undefined);
  if (credential) return `holds ${credential}; berth would copy it into the AppProject and Application under argocd/`;
  if (!url.hostname) return 'names no host';
  if (url.search || url.hash || repo.includes('?') || repo.includes('#')) return 'has a query or fragment';
  if (url.protocol === 'oci:' && /\/$/.test(repo)) return 'ends with "/"';
  // URL() resolves dot segments away, so the text as written is what is checked
  const path = repo
    .slice(repo.indexOf('//') + 2)
    .split('/')
    .slice(1);
  if (path.some((segment) => ['.', '..'].includes(safeDecode(segment)))) return 'has "." or ".." in its path';
  return undefined;
}

const safeDecode = (segment: string) => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

export function readAddonSpec(fields: FieldReader): AddonSpec {
  const chartName = fields.string(
    'chart.name',
    'name the upstream chart, e.g. chart: {name: metrics-server, repo: https://...}.',
  );
  const chartProblem = nameProblem(chartName, 63);
  if (chartProblem)
    fields.fail('chart.name', `"${chartName}" ${chartProblem}.`, 'write the chart name as its repository lists it.');
  const repo = fields.string(
    'chart.repo',
    'set the chart repository: an https:// Helm repository or an oci:// registry path.',
  );
  const repoProblem = chartRepoProblem(repo);
  if (repoProblem)
    fields.fail(
      'chart.repo',
      `"${repo.replace(/\/\/[^/@]*@/, '//***@')}" ${repoProblem}.`,
      'write https://<host>/<path> or oci://<registry>/<path> without credentials (Argo CD gets those from a repository Secret).',
    );
  const namespace = fields.string('namespace', 'set the namespace the add-on runs in, e.g. monitoring.');
  const namespaceProblem = nameProblem(namespace, 63);
  if (namespaceProblem) fields.fail('namespace', `"${namespace}" ${namespaceProblem}.`, 'choose a DNS-1123 label.');
  const serves = fields.strings('serves', 'list the API kinds the chart serves as group/version/Kind.');
  for (const entry of serves)
    if (!isGroupVersionKind(entry))
      fields.fail(
        'serves',
        `"${entry}" is not group/version/Kind.`,
        'write each like monitoring.coreos.com/v1/ServiceMonitor.',
      );
  const kinds = (field: 'clusterKinds' | 'namespacedKinds') => {
    const list = fields.strings(
      field,
      'list the kinds the chart renders as group/Kind ("/ServiceAccount" for the core group).',
    );
    for (const entry of list)
      if (!isGroupKind(entry))
        fields.fail(
          field,
          `"${entry}" is not group/Kind.`,
          'write each like apps/Deployment, or /ServiceAccount for the core group.',
        );
    return list;
  };
  return {
    chart: { name: chartName, repo },
    namespace,
    serverSideApply: fields.boolean('serverSideApply', false),
    serves,
    clusterKinds: kinds('clusterKinds'),
    namespacedKinds: kinds('namespacedKinds'),
    providedByAutoMode: fields.boolean('providedByAutoMode', false),
    environmentValues: readEnvironmentValues(fields),
    chartUpdates: fields.mapping('chartUpdates'),
  };
}

function readEnvironmentValues(fields: FieldReader): Record<string, string> {
  const mapping = fields.mapping('environmentValues');
  const result: Record<string, string> = {};
  for (const [path, fact] of Object.entries(mapping)) {
    const field = `environmentValues.${path}`;
    const segments = valuePath(path);
    if (
      segments.some((segment) => segment === '' || PROTOTYPE_KEYS.has(segment) || /[\u0000-\u001f\u007f]/.test(segment))
    )
      fields.fail(
        field,
        `"${path}" is not a value path.`,
        'write dotted keys such as serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn.',
      );
    if (!ENVIRONMENT_FACTS.includes(fact as EnvironmentFact))
      fields.fail(
        field,
        `must be one of ${ENVIRONMENT_FACTS.join(', ')} (found ${JSON.stringify(fact)}).`,
        `name the env.yaml fact the chart reads: ${ENVIRONMENT_FACTS.join(', ')}.`,
      );
    result[path] = fact as string;
  }
  return result;
}
