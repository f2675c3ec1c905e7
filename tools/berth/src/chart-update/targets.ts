// What a chart-update pass looks at: each add-on of each environment that takes updates (its overlay's
// berth.chartVersion), and each third-party dependency of a service chart (Chart.yaml, locked by Chart.lock).
import { BerthError } from '../errors';
import { remoteDependencies } from '../charts/lock';
import type { ChartRef } from '../charts/reference';
import { mergePolicies, parsePolicy, type ImagePolicy } from '../policy';
import type { WorkspaceFiles } from '../workspace/files';
import { environmentNamed, serviceNamed } from '../workspace/lookup';
import { isAddon, paths, type Environment, type Pin, type Service, type Workspace } from '../workspace/model';
import { readYamlMapping } from '../util/yaml-read';
import { readChartVersion } from '../workspace/overlay';

export interface ChartTarget {
  env: Environment;
  service: Service;
  /** The chart and the version this target runs now. */
  current: ChartRef;
  policy: ImagePolicy;
  pin?: Pin;
  /** Set for a service chart's dependency: its index in Chart.yaml's dependencies and its name there. */
  dependency?: { index: number; name: string };
  /** The file the version lives in, and its text. */
  file: string;
  text: string;
}

/**
 * An environment takes chart updates unless env.yaml says `chartUpdates: {enabled: false}`; without a word there it
 * follows imageUpdates.enabled (stage and prod take versions by promotion).
 */
export const takesChartUpdates = (env: Environment): boolean =>
  (env.chartUpdates.enabled ?? env.imageUpdates.enabled) !== false;

/** The policy with its default: semver within the current major, as `^<major>` would be for a 1.x or later. */
export function chartPolicy(env: Environment, service: Service, current: string, where: string): ImagePolicy {
  const { enabled: _enabled, ...environmentPolicy } = env.chartUpdates;
  const policy = parsePolicy(mergePolicies(environmentPolicy, service.addon?.chartUpdates ?? {}), {
    file: where,
    field: 'chartUpdates',
  });
  if (policy.strategy !== 'semver' || policy.constraint) return policy;
  const major = Number(current.split('.')[0]);
  return { ...policy, constraint: `>=${major}.0.0 <${major + 1}.0.0` };
}

export function findChartTargets(
  files: WorkspaceFiles,
  workspace: Workspace,
  selection: { environments?: string[]; services?: string[] },
): ChartTarget[] {
  for (const env of selection.environments ?? []) environmentNamed(workspace, env);
  for (const service of selection.services ?? []) serviceNamed(workspace, service, '--service');
  const environments = selection.environments?.length
    ? workspace.environments.filter((env) => selection.environments!.includes(env.name))
    : workspace.environments.filter(takesChartUpdates);
  for (const env of environments.filter((candidate) => !takesChartUpdates(candidate)))
    throw new BerthError(`${env.name} takes versions by promotion only, never straight from a chart repository.`, {
      file: paths.env(env.name),
      field: 'chartUpdates.enabled',
      fix: `promote into it: berth promote <add-on> --to ${env.name}.`,
    });
  const services = workspace.services.filter(
    (service) => !selection.services?.length || selection.services.includes(service.name),
  );
  const targets: ChartTarget[] = [];
  for (const env of environments)
    for (const service of services.filter(
      (candidate) => candidate.environments.includes(env.name) && isAddon(candidate),
    )) {
      const file = paths.overlay(env.name, service.name);
      const text = files.read(file);
      const version = text === undefined ? undefined : readChartVersion(text, file);
      if (text === undefined || version === undefined)
        throw new BerthError('does not say which chart version the add-on runs.', {
          file,
          field: 'berth.chartVersion',
          fix: 'write berth: {chartVersion: "<version>"} into it (nx g berth:addon does).',
        });
      const current = { repo: service.addon!.chart.repo, name: service.addon!.chart.name, version };
      targets.push({
        env,
        service,
        current,
        policy: chartPolicy(env, service, version, `${paths.env(env.name)} + ${paths.app(service.name)}`),
        pin: service.pins[env.name],
        file,
        text,
      });
    }
  // a service chart is one for every environment: its dependencies move where the first updating environment runs it
  for (const service of services.filter((candidate) => !isAddon(candidate))) {
    const env = environments.find((candidate) => service.environments.includes(candidate.name));
    const file = `${paths.chart(service.name)}/Chart.yaml`;
    const text = files.read(file);
    if (!env || text === undefined) continue;
    const declared = readYamlMapping(text, file).dependencies ?? [];
    const lock = files.read(`${paths.chart(service.name)}/Chart.lock`);
    for (const dependency of remoteDependencies(paths.chart(service.name), declared, lock)) {
      const index = declared.findIndex(
        (entry: { name: string; alias?: string }) => (entry.alias || entry.name) === dependency.as,
      );
      targets.push({
        env,
        service,
        current: dependency.ref,
        policy: chartPolicy(
          env,
          service,
          dependency.ref.version,
          `${paths.env(env.name)} + ${paths.app(service.name)}`,
        ),
        dependency: { index, name: dependency.ref.name },
        file,
        text,
      });
    }
  }
  return targets;
}
