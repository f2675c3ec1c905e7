// nx g berth:addon: an upstream chart as a cluster add-on: app.yaml (kind addon), one overlay per environment holding
// the chart version it runs, and the derived Applications and AppProject at once.
import type { Tree } from '@nx/devkit';
import { join } from 'node:path';
import { renderTemplate } from '../../../templates/file-template';
import { checkedYaml, listStyleOf } from '../../../templates/yaml-values';
import { chartRepoProblem, isGroupKind, isGroupVersionKind } from '../../../workspace/addon-spec';
import { loadWorkspace } from '../../../workspace/load';
import { isAddon, paths, type Workspace } from '../../../workspace/model';
import { MAX_SERVICE_NAME, RESERVED_NAMES, nameProblem } from '../../../workspace/names';
import { isChartVersion } from '../../../workspace/overlay';
import { applyDerivedFiles } from '../../sync/generator';
import { treeFiles } from '../../tree-files';
import { lineOption, optionError, splitList } from '../shared/options';
import type { AddonGeneratorSchema } from './schema';

const FILES = join(__dirname, 'files');

export interface NormalizedAddon {
  name: string;
  owner?: string;
  chart: { name: string; repo: string };
  version: string;
  namespace: string;
  environments: string[];
  dependsOn: string[];
  serves: string[];
  clusterKinds: string[];
  namespacedKinds: string[];
  serverSideApply: boolean;
  providedByAutoMode: boolean;
  flowLists: boolean;
}

function kindList(
  option: string,
  value: string | undefined,
  valid: (entry: string) => boolean,
  example: string,
): string[] {
  const entries = splitList(value);
  for (const entry of entries)
    if (!valid(entry))
      throw optionError(
        option,
        `"${entry}" is not ${example.includes('/v') ? 'group/version/Kind' : 'group/Kind'}.`,
        `pass entries like ${example}.`,
      );
  return [...new Set(entries)];
}

export function normalizeOptions(tree: Tree, workspace: Workspace, options: AddonGeneratorSchema): NormalizedAddon {
  // every free-text option is one line before any other check, so no message quotes a multi-line value
  const owner = lineOption('owner', options.owner, 100, 'platform');
  lineOption('repo', options.repo, 500, 'https://kubernetes-sigs.github.io/metrics-server');
  lineOption('version', options.version, 128, '3.14.0');
  for (const [option, value] of [
    ['chart', options.chart],
    ['namespace', options.namespace],
    ['envs', options.envs],
    ['depends-on', options.dependsOn],
    ['serves', options.serves],
    ['cluster-kinds', options.clusterKinds],
    ['namespaced-kinds', options.namespacedKinds],
  ] as const)
    lineOption(option, value, 2000, '...');
  const name = options.name;
  const problem = nameProblem(name, MAX_SERVICE_NAME);
  if (problem) throw optionError('name', `${JSON.stringify(name)} ${problem}.`, 'choose a name like "metrics-server".');
  if (RESERVED_NAMES.includes(name))
    throw optionError('name', `"${name}" is reserved by berth (${RESERVED_NAMES.join(', ')}).`, 'choose another name.');
  for (const existing of [paths.app(name), paths.chart(name)])
    if (tree.exists(existing))
      throw optionError(
        'name',
        `an app "${name}" already exists (${existing}).`,
        'choose another name, or edit the existing one.',
      );
  const chartName = options.chart ?? name;
  const chartProblem = nameProblem(chartName, 63);
  if (chartProblem)
    throw optionError(
      'chart',
      `${JSON.stringify(chartName)} ${chartProblem}.`,
      'pass the chart name its repository lists.',
    );
  const repo = options.repo;
  const repoProblem = typeof repo === 'string' ? chartRepoProblem(repo) : 'is missing';
  if (repoProblem)
    throw optionError(
      'repo',
      `${JSON.stringify(typeof repo === 'string' ? repo.replace(/\/\/[^/@]*@/, '//***@') : repo)} ${repoProblem}.`,
      'pass https://<host>/<path> or oci://<registry>/<path> without credentials.',
    );
  const version = String(options.version ?? '');
  if (!isChartVersion(version))
    throw optionError(
      'version',
      `${JSON.stringify(version)} is not a chart version.`,
      'pass the SemVer version the repository lists, e.g. 3.14.0.',
    );
  const namespace = options.namespace ?? name;
  const namespaceProblem = nameProblem(namespace, 63);
  if (namespaceProblem)
    throw optionError(
      'namespace',
      `${JSON.stringify(namespace)} ${namespaceProblem}.`,
      'choose a DNS-1123 label such as monitoring.',
    );
  const taken =
    namespace === workspace.settings.argocdNamespace ||
    workspace.environments.some((env) => env.namespace === namespace);
  if (taken)
    throw optionError(
      'namespace',
      `"${namespace}" is Argo CD's or an environment's namespace.`,
      'give the add-on a namespace of its own.',
    );
  const known = workspace.environments.map((env) => env.name);
  const environments = options.envs ? splitList(options.envs) : known;
  for (const env of environments)
    if (!known.includes(env))
      throw optionError(
        'envs',
        `"${env}" is not an environment (known: ${known.join(', ')}).`,
        `use some of ${known.join(',')}.`,
      );
  if (environments.length === 0) throw optionError('envs', 'names no environment.', `pass some of ${known.join(',')}.`);
  const addons = workspace.services.filter(isAddon).map((addon) => addon.name);
  const dependsOn = splitList(options.dependsOn);
  for (const dependency of dependsOn)
    if (!addons.includes(dependency))
      throw optionError(
        'depends-on',
        `"${dependency}" is not an add-on (known: ${addons.join(', ') || 'none'}).`,
        'name existing add-ons.',
      );
  return {
    name,
    owner,
    chart: { name: chartName, repo: repo! },
    version,
    namespace,
    environments: known.filter((env) => environments.includes(env)),
    dependsOn,
    serves: kindList('serves', options.serves, isGroupVersionKind, 'monitoring.coreos.com/v1/ServiceMonitor'),
    clusterKinds: kindList('cluster-kinds', options.clusterKinds, isGroupKind, 'rbac.authorization.k8s.io/ClusterRole'),
    namespacedKinds: kindList(
      'namespaced-kinds',
      options.namespacedKinds,
      isGroupKind,
      'apps/Deployment,/ServiceAccount',
    ),
    serverSideApply: Boolean(options.serverSideApply),
    providedByAutoMode: Boolean(options.providedByAutoMode),
    flowLists: appListStyle(tree, workspace) !== 'block',
  };
}

/** How the workspace's app.yaml files write their environments list, so a new one looks like its neighbours. */
function appListStyle(tree: Tree, workspace: Workspace): 'flow' | 'block' | undefined {
  for (const service of workspace.services) {
    const style = listStyleOf(
      tree.read(paths.app(service.name), 'utf-8') ?? undefined,
      paths.app(service.name),
      'environments',
    );
    if (style) return style;
  }
  return undefined;
}

function appData(addon: NormalizedAddon) {
  return {
    name: addon.name,
    kind: 'addon',
    ...(addon.owner === undefined ? {} : { owner: addon.owner }),
    environments: addon.environments,
    dependsOn: addon.dependsOn,
    chart: addon.chart,
    namespace: addon.namespace,
    serverSideApply: addon.serverSideApply,
    serves: addon.serves,
    clusterKinds: addon.clusterKinds,
    namespacedKinds: addon.namespacedKinds,
    providedByAutoMode: addon.providedByAutoMode,
    environmentValues: {},
    chartUpdates: {},
  };
}

export async function addonGenerator(tree: Tree, options: AddonGeneratorSchema): Promise<void> {
  const addon = normalizeOptions(tree, loadWorkspace(treeFiles(tree)), options);
  const files: [string, string, unknown][] = [
    [paths.app(addon.name), renderTemplate(FILES, 'app.yaml.hbs', addon), appData(addon)],
    ...addon.environments.map((env): [string, string, unknown] => [
      paths.overlay(env, addon.name),
      renderTemplate(FILES, 'overlay.yaml.hbs', { ...addon, env }),
      { berth: { chartVersion: addon.version } },
    ]),
  ];
  // every file is checked before the first is written, so a failure leaves the tree as it was
  for (const [path, text, data] of files) checkedYaml(path, text, data);
  for (const [path, text] of files) tree.write(path, text);
  // every environment's Applications take its API kinds (apiVersions) and may shift in sync waves, so all derived
  // files follow, as nx sync makes them; Nx writes nothing to disk if this throws
  applyDerivedFiles(tree);
}

export default addonGenerator;
