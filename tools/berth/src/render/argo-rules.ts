// Argo CD's rules for turning a Helm Application into a `helm template` call; pure, so tests can read them as a table.
import { posix } from 'node:path';
import { BerthError } from '../errors';
import { VALUES_FROM_ANNOTATION } from '../workspace/names';
import { chartRef, type ChartRef } from '../charts/reference';

type Fields = Record<string, any>;

/** Everything `helm template` needs for one Application, with paths relative to the repository root; never changed once made. */
export interface HelmRequest {
  /** The Application's metadata.name. */
  readonly application: string;
  /** Where the Application manifest lives (for messages). */
  readonly manifest: string;
  readonly environment: string;
  readonly service: string;
  /** The AppProject the Application belongs to. */
  readonly project: string;
  readonly repoURL: string;
  readonly revision: string;
  /** The chart's folder in this repository; '' for a third-party chart (`chart`). */
  readonly chartPath: string;
  /** A third-party chart from a Helm repository (`chart:` + repoURL) or an OCI registry (`oci://.../<chart>`, `path: .`). */
  readonly chart?: ChartRef;
  readonly releaseName: string;
  readonly namespace: string;
  readonly kubeVersion: string;
  readonly apiVersions: readonly string[];
  /** In order: each later file wins, as with repeated --values. */
  readonly valueFiles: readonly string[];
  /** helm.valuesObject (or helm.values): passed after the value files, as Argo CD does. */
  readonly extraValues?: Readonly<Fields>;
  /**
   * For an Application that carries its values (a chart pinned at a commit): the value files they were merged from
   * (annotation berth.dev/values-from), which a person edits. Not read to render: extraValues holds them.
   */
  readonly valuesFrom?: readonly string[];
  readonly includeCrds: boolean;
  readonly skipTests: boolean;
}

/** The value files a person edits to change an Application's values, in helm's order (see HelmRequest.valuesFrom). */
export const editedValueFiles = (request: HelmRequest): readonly string[] => request.valuesFrom ?? request.valueFiles;

function fail(manifest: string, field: string, problem: string, fix: string): never {
  throw new BerthError(problem, { file: manifest, field, fix });
}

/** Resolves a valueFiles entry: `$<ref>/path` from the repository root, anything else from the chart folder. */
export function resolveValueFile(entry: string, chartPath: string, refs: Set<string>, manifest: string): string {
  let resolved: string;
  const refMatch = /^\$([^/]+)\/(.*)$/.exec(entry);
  if (refMatch) {
    if (!refs.has(refMatch[1]))
      fail(
        manifest,
        'spec.sources[].helm.valueFiles',
        `"${entry}" names $${refMatch[1]}, but no source has ref: ${refMatch[1]}.`,
        `add a source with ref: ${refMatch[1]}, or use $values/.`,
      );
    resolved = posix.normalize(refMatch[2]);
  } else {
    resolved = posix.normalize(posix.join(chartPath, entry));
  }
  if (resolved.startsWith('..') || posix.isAbsolute(resolved)) {
    fail(
      manifest,
      'spec.sources[].helm.valueFiles',
      `"${entry}" points outside the repository.`,
      'name a file inside the repository, e.g. $values/environments/<env>/<service>.yaml.',
    );
  }
  return resolved;
}

/** Derives the helm request from an Application manifest, refusing what berth cannot render faithfully. */
export function helmRequestFor(application: Fields, manifest: string, repoURL: string): HelmRequest {
  const name: string = application?.metadata?.name;
  if (application?.kind !== 'Application' || !name)
    fail(
      manifest,
      'kind',
      'is not an Argo CD Application.',
      'keep only Application manifests under argocd/apps/<env>/.',
    );
  const spec: Fields = application.spec ?? {};
  const sources: Fields[] = spec.sources ?? (spec.source ? [spec.source] : []);
  const ours = sources.filter((source) => normalizeRepo(source.repoURL) === normalizeRepo(repoURL));
  const remote = sources.filter(
    (source) => source.ref === undefined && normalizeRepo(source.repoURL) !== normalizeRepo(repoURL),
  );
  const charts = ours.filter((source) => source.path !== undefined && source.ref === undefined);
  if (charts.length + remote.length !== 1)
    fail(
      manifest,
      'spec.sources',
      `must have exactly one chart source: a chart of ${repoURL}, an https Helm repository's chart or an oci:// chart (found ${charts.length + remote.length}).`,
      'run `npx nx sync` to regenerate the Application.',
    );
  const chart = charts[0] ?? remote[0];
  const revisions = [...new Set(ours.map((source) => String(source.targetRevision ?? 'HEAD')))];
  if (revisions.length > 1)
    fail(
      manifest,
      'spec.sources[].targetRevision',
      `reads ${repoURL} at ${revisions.length} revisions (${revisions.join(', ')}); Argo CD refuses that ("cannot reference a different revision of the same repository") and never syncs it.`,
      'run `npx nx sync`: an Application whose chart is pinned at a commit carries its values (valuesObject) instead of a ref: values source.',
    );
  const thirdParty = remote.length ? remoteChart(chart, manifest) : undefined;
  const helm: Fields = chart.helm ?? {};
  for (const unsupported of ['parameters', 'fileParameters']) {
    if (helm[unsupported]?.length)
      fail(
        manifest,
        `spec.sources[].helm.${unsupported}`,
        'is not supported by berth render.',
        'put the value in environments/<env>/<service>.yaml instead.',
      );
  }
  const refs = new Set(ours.filter((source) => source.ref).map((source) => String(source.ref)));
  const chartPath = thirdParty ? '' : posix.normalize(String(chart.path));
  if (!thirdParty && (chartPath.startsWith('..') || posix.isAbsolute(chartPath)))
    fail(manifest, 'spec.sources[].path', `"${chart.path}" points outside the repository.`, 'use charts/<service>.');
  if (thirdParty)
    for (const entry of helm.valueFiles ?? [])
      if (!String(entry).startsWith('$'))
        fail(
          manifest,
          'spec.sources[].helm.valueFiles',
          `"${entry}" is a file of the third-party chart ${thirdParty.name}, which berth does not read values from.`,
          'put the values in environments/<env>/<name>.yaml and name it as $values/environments/<env>/<name>.yaml.',
        );
  const kubeVersion = helm.kubeVersion;
  if (!kubeVersion)
    fail(
      manifest,
      'spec.sources[].helm.kubeVersion',
      'is not set, so the render would not match the cluster.',
      'set cluster.kubeVersion in env.yaml and run `npx nx sync`.',
    );
  let extraValues: Fields | undefined = helm.valuesObject;
  if (!extraValues && typeof helm.values === 'string' && helm.values.trim()) {
    fail(manifest, 'spec.sources[].helm.values', 'is a string; berth reads valuesObject.', 'use helm.valuesObject.');
  }
  const labels: Fields = application.metadata.labels ?? {};
  const valuesFrom = String(application.metadata.annotations?.[VALUES_FROM_ANNOTATION] ?? '')
    .split(',')
    .filter(Boolean)
    .map((file) => resolveValueFile(`$values/${file}`, chartPath, new Set(['values']), manifest));
  return {
    application: name,
    manifest,
    environment: labels['berth.dev/environment'] ?? posix.basename(posix.dirname(manifest)),
    service: labels['berth.dev/service'] ?? name,
    project: String(spec.project ?? 'default'),
    repoURL,
    revision: String(chart.targetRevision ?? 'HEAD'),
    chartPath,
    ...(thirdParty ? { chart: thirdParty } : {}),
    releaseName: helm.releaseName || name,
    namespace: helm.namespace || spec.destination?.namespace || '',
    kubeVersion: String(kubeVersion),
    apiVersions: (helm.apiVersions ?? []).map(String),
    valueFiles: (helm.valueFiles ?? []).map((entry: string) =>
      resolveValueFile(String(entry), chartPath, refs, manifest),
    ),
    extraValues,
    ...(valuesFrom.length ? { valuesFrom } : {}),
    includeCrds: !helm.skipCrds,
    skipTests: Boolean(helm.skipTests),
  };
}

/**
 * The third-party chart of a source, as Argo CD reads it: `chart:` names a chart of the Helm repository at repoURL and
 * targetRevision its version; an `oci://` repoURL with `path: .` is the chart itself (Argo CD 3.1's native OCI source),
 * its last path segment the chart's name.
 */
function remoteChart(source: Fields, manifest: string): ChartRef {
  const where = { file: manifest, field: 'spec.sources[].repoURL' };
  const repoURL = String(source.repoURL ?? '');
  const version = String(source.targetRevision ?? '');
  if (source.chart !== undefined) {
    if (repoURL.startsWith('oci://'))
      fail(
        manifest,
        'spec.sources[].chart',
        'is set on an oci:// source; Argo CD reads an OCI chart from repoURL oci://<registry>/<path>/<chart> with path: .',
        'drop chart: and append the chart name to repoURL, with path: ".".',
      );
    return chartRef(repoURL, String(source.chart), version, { ...where, field: 'spec.sources[]' });
  }
  if (repoURL.startsWith('oci://') && posix.normalize(String(source.path ?? '.')) === '.') {
    const slash = repoURL.replace(/\/+$/, '').lastIndexOf('/');
    if (slash <= 'oci://'.length)
      fail(manifest, 'spec.sources[].repoURL', `"${repoURL}" names no chart.`, 'use oci://<registry>/<path>/<chart>.');
    return chartRef(repoURL.slice(0, slash), repoURL.replace(/\/+$/, '').slice(slash + 1), version, {
      ...where,
      field: 'spec.sources[]',
    });
  }
  return fail(
    manifest,
    'spec.sources[].repoURL',
    `"${repoURL}" is neither this repository, a Helm repository source with chart:, nor an oci:// chart with path: ".".`,
    'run `npx nx sync` to regenerate the Application.',
  );
}

function normalizeRepo(url: unknown): string {
  return String(url ?? '')
    .replace(/\.git$/, '')
    .replace(/\/$/, '')
    .toLowerCase();
}

/** The exact `helm template` arguments Argo CD's repo-server uses for this request (chart at `chartDir`). */
export function helmTemplateArgs(
  request: HelmRequest,
  chartDir: string,
  valueFilePaths: string[],
  extraValuesFile?: string,
): string[] {
  const args = ['template', chartDir, '--name-template', request.releaseName];
  if (request.namespace) args.push('--namespace', request.namespace);
  args.push('--kube-version', request.kubeVersion);
  for (const file of valueFilePaths) args.push('--values', file);
  if (extraValuesFile) args.push('--values', extraValuesFile);
  for (const version of request.apiVersions) args.push('--api-versions', version);
  if (request.includeCrds) args.push('--include-crds');
  if (request.skipTests) args.push('--skip-tests');
  return args;
}
