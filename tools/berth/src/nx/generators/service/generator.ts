// nx g berth:service: app.yaml, the chart, one overlay per environment; the derived files follow at once.
import type { Tree } from '@nx/devkit';
import { join } from 'node:path';
import { CRON_MACROS, cronProblems, describeCronProblems } from '../../../workspace/cron';
import { readYamlMapping } from '../../../util/yaml-read';
import { loadEnvironment, loadSettings, loadWorkspace, orderEnvironments } from '../../../workspace/load';
import { MAX_SERVICE_NAME, RESERVED_NAMES, isDnsName, nameProblem } from '../../../workspace/names';
import { paths, type Workspace } from '../../../workspace/model';
import { isPinnedTag } from '../../../workspace/overlay';
import { applyDerivedFiles } from '../../sync/generator';
import { treeFiles } from '../../tree-files';
import { lineOption, optionError, splitList } from '../shared/options';
import { renderTemplate } from '../../../templates/file-template';
import { checkedYaml, listStyleOf } from '../../../templates/yaml-values';
import type { ServiceGeneratorSchema } from './schema';

const FILES = join(__dirname, 'files');
/** An OCI image repository without tag or digest: optional registry host[:port], then lower-case path components. */
const IMAGE_REPOSITORY =
  /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const QUANTITY = /^[1-9]\d*(\.\d+)?(Mi|Gi|Ti)$/;
/** What an Ingress path may hold here: "/" and the unreserved URL characters (no query, no regex, no template text). */
const HTTP_PATH = /^\/[A-Za-z0-9._~\/-]*$/;
/** The library chart's schema takes five space-separated fields or one of these macros (not @every). */
const SCHEDULE_MACROS = CRON_MACROS as readonly string[];

export interface NormalizedService {
  name: string;
  kind: 'stateless' | 'stateful' | 'scheduled';
  stateful: boolean;
  scheduled: boolean;
  schedule?: string;
  owner?: string;
  image: string;
  tag: string;
  port: number;
  serviceType: string;
  servicePort: number;
  ingress: { enabled: boolean; host?: string; path?: string };
  storage?: string;
  environments: string[];
  dependsOn: string[];
  monitoring: boolean;
  library: string;
  libraryVersion: string;
  /** Lists in app.yaml as the workspace's other app.yaml files write them: [a, b] (flow) or "- a" lines. */
  flowLists: boolean;
}

/** What the options are checked against: settings, environments and the services there are. */
export interface ServiceContext {
  settings: Workspace['settings'];
  environments: Workspace['environments'];
  /** Sorted folder names under apps/: every service, and in a batch (skipSync) perhaps a folder without app.yaml. */
  serviceFolders: string[];
  isService(name: string): boolean;
}

/**
 * The whole workspace, checked, as the derived files will be made from it; or, with skipSync (a batch that syncs
 * once at its end, which loads and checks everything then), only berth.yaml, the env.yaml files and the names under
 * apps/, so that a call does not parse every app.yaml of the repository again.
 */
export function serviceContext(tree: Tree, skipSync: boolean | undefined): ServiceContext {
  const files = treeFiles(tree);
  if (!skipSync) {
    const { settings, environments, services } = loadWorkspace(files);
    const names = services.map((service) => service.name);
    return { settings, environments, serviceFolders: names, isService: (name) => names.includes(name) };
  }
  const settings = loadSettings(files);
  const envDirs = files.list('environments').filter((dir) => files.read(paths.env(dir)) !== undefined);
  const environments = orderEnvironments(envDirs.map((dir) => loadEnvironment(files, dir)));
  const folders = files.list('apps');
  const isService = (name: string) => folders.includes(name) && tree.isFile(paths.app(name));
  return { settings, environments, serviceFolders: folders, isService };
}

export function normalizeOptions(
  tree: Tree,
  workspace: ServiceContext,
  options: ServiceGeneratorSchema,
): NormalizedService {
  // every free-text option is one line before any other check, so no message quotes a multi-line value
  const owner = lineOption('owner', options.owner, 100, 'team-payments');
  lineOption('image', options.image, 255, '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders');
  lineOption('ingress-path', options.ingressPath, 200, '/orders');
  lineOption('ingress-host', options.ingressHost, 253, 'api');
  lineOption('storage', options.storage, 20, '20Gi');
  lineOption('schedule', options.schedule, 100, '"30 2 * * *"');
  lineOption('envs', options.envs, 1000, 'dev,stage');
  lineOption('depends-on', options.dependsOn, 1000, 'postgres');
  const name = options.name;
  const problem = nameProblem(name, MAX_SERVICE_NAME);
  if (problem)
    throw optionError('name', `${JSON.stringify(name)} ${problem}.`, 'choose a name like "orders" or "billing-api".');
  if (RESERVED_NAMES.includes(name))
    throw optionError('name', `"${name}" is reserved by berth (${RESERVED_NAMES.join(', ')}).`, 'choose another name.');
  for (const existing of [paths.app(name), paths.chart(name)]) {
    if (tree.exists(existing))
      throw optionError(
        'name',
        `a service "${name}" already exists (${existing}).`,
        'choose another name, or edit the existing service.',
      );
  }
  const kind = options.kind ?? 'stateless';
  if (!['stateless', 'stateful', 'scheduled'].includes(kind))
    throw optionError('kind', `${JSON.stringify(kind)} is not a kind.`, 'use --kind stateless, stateful or scheduled.');
  const scheduled = kind === 'scheduled';
  if (scheduled && !options.schedule)
    throw optionError(
      'schedule',
      'a scheduled service needs a schedule.',
      'pass --schedule "*/5 * * * *" (five cron fields) or @hourly, @daily, ...',
    );
  if (!scheduled && options.schedule !== undefined)
    throw optionError(
      'schedule',
      'only a scheduled service runs on a schedule.',
      'add --kind scheduled, or drop --schedule.',
    );
  if (options.schedule !== undefined) checkSchedule(options.schedule);
  if (scheduled && (options.ingressPath !== undefined || options.ingressHost !== undefined))
    throw optionError(
      'ingress-path',
      'a scheduled service serves no traffic, so it has no Ingress.',
      'drop --ingress-path and --ingress-host.',
    );
  if (!options.image || !IMAGE_REPOSITORY.test(options.image)) {
    throw optionError(
      'image',
      `"${options.image ?? ''}" is not an image repository.`,
      'pass the repository without a tag, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders.',
    );
  }
  const tag = options.tag ?? '0.1.0';
  if (!isPinnedTag(tag))
    throw optionError('tag', `${JSON.stringify(tag)} is not a pinned image tag.`, 'pass a version tag such as 1.0.0.');
  const port = Number(options.port ?? 8080);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw optionError('port', `"${options.port}" is not a port number.`, 'pass a container port between 1 and 65535.');
  const serviceType = options.serviceType ?? 'ClusterIP';
  if (!['ClusterIP', 'NodePort', 'LoadBalancer'].includes(serviceType)) {
    throw optionError(
      'service-type',
      `${JSON.stringify(serviceType)} is not a Service type.`,
      'use ClusterIP, NodePort or LoadBalancer.',
    );
  }
  if (options.ingressPath !== undefined && !HTTP_PATH.test(options.ingressPath)) {
    throw optionError(
      'ingress-path',
      `"${options.ingressPath}" is not an HTTP path.`,
      'pass a path starting with "/", e.g. /orders.',
    );
  }
  if (options.ingressHost !== undefined && !isDnsName(options.ingressHost)) {
    throw optionError(
      'ingress-host',
      `"${options.ingressHost}" is not a host name.`,
      'pass a label such as "api" (api.<domain>) or a full lower-case DNS name.',
    );
  }
  if (options.storage !== undefined && kind !== 'stateful')
    throw optionError('storage', 'only a stateful service has a volume.', 'add --kind stateful, or drop --storage.');
  const storage = kind === 'stateful' ? (options.storage ?? '10Gi') : undefined;
  if (storage !== undefined && !QUANTITY.test(storage))
    throw optionError('storage', `"${storage}" is not a volume size.`, 'pass a size such as 20Gi (Mi, Gi or Ti).');

  const known = workspace.environments.map((env) => env.name);
  const environments = options.envs ? splitList(options.envs) : known;
  for (const env of environments) {
    if (!known.includes(env))
      throw optionError(
        'envs',
        `"${env}" is not an environment (known: ${known.join(', ')}).`,
        `use some of ${known.join(',')}, or add it with nx g berth:environment.`,
      );
  }
  if (environments.length === 0) throw optionError('envs', 'names no environment.', `pass some of ${known.join(',')}.`);
  const dependsOn = splitList(options.dependsOn);
  for (const dependency of dependsOn) {
    if (!workspace.isService(dependency))
      throw optionError(
        'depends-on',
        `"${dependency}" is not a service (known: ${workspace.serviceFolders.filter(workspace.isService).join(', ') || 'none'}).`,
        'name existing services, or add the dependency first.',
      );
  }
  const library = workspace.settings.libraryChart;
  const libraryChart = tree.read(`${paths.chart(library)}/Chart.yaml`, 'utf-8');
  if (!libraryChart)
    throw optionError(
      'name',
      `the library chart charts/${library} is missing.`,
      'restore charts/common (berth.yaml libraryChart names it).',
    );
  const ingressEnabled = options.ingressPath !== undefined || options.ingressHost !== undefined;
  return {
    name,
    kind: kind as NormalizedService['kind'],
    stateful: kind === 'stateful',
    scheduled,
    schedule: options.schedule,
    owner,
    image: options.image,
    tag,
    port,
    serviceType,
    servicePort: kind === 'stateful' ? port : 80,
    ingress: {
      enabled: ingressEnabled,
      host: ingressEnabled ? (options.ingressHost ?? name) : undefined,
      path: ingressEnabled ? (options.ingressPath ?? '/') : undefined,
    },
    storage,
    environments: known.filter((env) => environments.includes(env)),
    dependsOn,
    monitoring: Boolean(options.monitoring),
    library,
    libraryVersion: String(readYamlMapping(libraryChart, `${paths.chart(library)}/Chart.yaml`).version),
    flowLists: appListStyle(tree, workspace) !== 'block',
  };
}

/** Kubernetes' cron (robfig/cron) as the library chart's schema also takes it: five fields or a macro, one line. */
function checkSchedule(schedule: string): void {
  const described = describeCronProblems(cronProblems(schedule));
  if (described)
    throw optionError(
      'schedule',
      `${JSON.stringify(schedule)} is not a cron schedule Kubernetes accepts. ${described.problem}`,
      described.fix,
    );
  if (schedule.startsWith('@') && !SCHEDULE_MACROS.includes(schedule)) {
    throw optionError(
      'schedule',
      `${JSON.stringify(schedule)}: the library chart takes only ${SCHEDULE_MACROS.join(', ')} or five cron fields.`,
      'write it as cron fields, e.g. @every 5m as "*/5 * * * *".',
    );
  }
  if (!/^[\x21-\x7e]+( +[\x21-\x7e]+)*$/.test(schedule)) {
    throw optionError(
      'schedule',
      `${JSON.stringify(schedule)} separates its fields with something other than spaces.`,
      'separate the five fields with spaces, e.g. "30 2 * * *".',
    );
  }
}

/** How the workspace's app.yaml files write their environments list, so a new one looks like its neighbours. */
function appListStyle(tree: Tree, workspace: ServiceContext): 'flow' | 'block' | undefined {
  for (const service of workspace.serviceFolders) {
    const app = paths.app(service);
    const style = listStyleOf(tree.read(app, 'utf-8') ?? undefined, app, 'environments');
    if (style) return style;
  }
  return undefined;
}

/** The data of each file the generator writes; the templates only lay it out and add comments. */
function appData(service: NormalizedService) {
  return {
    name: service.name,
    kind: service.kind,
    ...(service.owner === undefined ? {} : { owner: service.owner }),
    environments: service.environments,
    dependsOn: service.dependsOn,
    imageUpdates: {},
  };
}

function chartData(service: NormalizedService) {
  return {
    apiVersion: 'v2',
    name: service.name,
    description: `${service.name}, deployed by Argo CD from this repository (see apps/${service.name}/app.yaml).`,
    type: 'application',
    version: '0.1.0',
    dependencies: [
      { name: service.library, version: service.libraryVersion, repository: `file://../${service.library}` },
    ],
  };
}

function valuesData(service: NormalizedService) {
  const traffic = service.scheduled
    ? { schedule: service.schedule }
    : {
        containerPort: service.port,
        service: { type: service.serviceType, port: service.servicePort },
        ingress: service.ingress.enabled
          ? { enabled: true, host: service.ingress.host, path: service.ingress.path }
          : { enabled: false },
      };
  return {
    kind: service.kind,
    image: { repository: service.image },
    ...traffic,
    monitoring: { enabled: service.monitoring },
    ...(service.stateful ? { persistence: { size: service.storage, mountPath: '/data' } } : {}),
    networkPolicy: { allowFrom: [] },
  };
}

export async function serviceGenerator(tree: Tree, options: ServiceGeneratorSchema): Promise<void> {
  const service = normalizeOptions(tree, serviceContext(tree, options.skipSync), options);
  const chart = paths.chart(service.name);
  const chartFile = chartData(service);
  const files: [string, string, unknown][] = [
    [paths.app(service.name), renderTemplate(FILES, 'app.yaml.hbs', service), appData(service)],
    [
      `${chart}/Chart.yaml`,
      renderTemplate(FILES, 'Chart.yaml.hbs', {
        ...service,
        description: chartFile.description,
        libraryRepository: chartFile.dependencies[0].repository,
      }),
      chartFile,
    ],
    [`${chart}/values.yaml`, renderTemplate(FILES, 'values.yaml.hbs', service), valuesData(service)],
    ...service.environments.map((env): [string, string, unknown] => [
      paths.overlay(env, service.name),
      renderTemplate(FILES, 'overlay.yaml.hbs', { ...service, env }),
      { image: { tag: service.tag } },
    ]),
  ];
  // every file is checked before the first is written, so a failure leaves the tree as it was
  for (const [path, text, data] of files) checkedYaml(path, text, data);
  for (const [path, text] of files) tree.write(path, text);
  // Helm template text, no option in it
  tree.write(`${chart}/templates/berth.yaml`, renderTemplate(FILES, 'berth.yaml.hbs', service));
  // a new service changes its own Applications and the shared files, never another service's
  if (!options.skipSync) applyDerivedFiles(tree, new Set([service.name]));
}

export default serviceGenerator;
