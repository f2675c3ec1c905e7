// The floor for rendering with real helm: per environment one umbrella chart over every chart its Applications use.
import { resolve } from 'node:path';
import type { ApplicationHelm } from './naive';

/** What the umbrella needs of a chart: its Chart.yaml name, version and dependencies (repository as written). */
export interface ChartFacts {
  name: string;
  version: string;
  dependencies: { name: string; version: string; repository?: string }[];
}

export interface UmbrellaPlan {
  /** charts/<umbrella>/Chart.yaml as data. */
  chart: Record<string, unknown>;
  /**
   * Values files for `helm template -f`, in order: layer i holds each subchart's i-th value file (as a path, read
   * and nested under the subchart's key by the caller), and the last the valuesObjects, which win as in Argo CD.
   */
  layers: { files: Record<string, string>[]; objects: Record<string, unknown> };
  /** `helm template` arguments after the umbrella folder and before the -f files. */
  flags: string[];
}

export class FloorPlanError extends Error {}

/**
 * One umbrella for one environment: a file:// dependency on each Application's chart, keyed by chart name, and the
 * charts those depend on by file:// (the library): `helm dependency build` packs a subchart without its own
 * dependencies, and template names are global to a render, so the umbrella carries the library itself.
 */
export function umbrellaPlan(
  env: string,
  applications: ApplicationHelm[],
  chartOf: (dir: string) => ChartFacts,
): UmbrellaPlan {
  if (applications.length === 0) throw new FloorPlanError(`environment ${env} has no Applications to render`);
  const dependencies: Record<string, string>[] = [];
  const byName = new Map<string, string>();
  const depend = (name: string, version: string, dir: string) => {
    const known = byName.get(name);
    if (known === dir) return;
    if (known !== undefined)
      throw new FloorPlanError(`environment ${env}: two charts are named ${name} (${known} and ${dir})`);
    byName.set(name, dir);
    dependencies.push({ name, version, repository: `file://${dir}` });
  };
  const files: Record<string, string>[] = [];
  const objects: Record<string, unknown> = {};
  for (const application of applications) {
    const chart = chartOf(application.chartDir);
    depend(chart.name, chart.version, application.chartDir);
    application.valueFiles.forEach((file, index) => ((files[index] ??= {})[chart.name] = file));
    if (application.valuesObject) objects[chart.name] = application.valuesObject;
  }
  for (const application of applications) {
    for (const dependency of chartOf(application.chartDir).dependencies) {
      if (!dependency.repository?.startsWith('file://')) continue;
      const dir = resolve(application.chartDir, dependency.repository.slice('file://'.length));
      depend(dependency.name, dependency.version, dir);
    }
  }
  const first = applications[0];
  const flags = ['--name-template', 'platform', '--namespace', first.namespace];
  if (first.kubeVersion) flags.push('--kube-version', first.kubeVersion);
  for (const version of first.apiVersions) flags.push('--api-versions', version);
  if (applications.some((application) => application.includeCrds)) flags.push('--include-crds');
  return {
    chart: {
      apiVersion: 'v2',
      name: 'platform',
      description: `Every chart of ${env} in one umbrella: the floor for rendering ${env} with helm.`,
      type: 'application',
      version: '0.1.0',
      dependencies,
    },
    layers: { files, objects },
    flags,
  };
}
