// nx g berth:service: app.yaml, the chart, one overlay per environment; the derived files follow at once.
import type { Tree } from '@nx/devkit';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadWorkspace } from '../../../workspace/load';
import { MAX_SERVICE_NAME, RESERVED_NAMES, isDnsName, nameProblem } from '../../../workspace/names';
import { paths, type Workspace } from '../../../workspace/model';
import { applyDerivedFiles } from '../../sync/generator';
import { treeFiles } from '../../tree-files';
import { optionError, splitList } from '../shared/options';
import { renderTemplate } from '../shared/templates';
import type { ServiceGeneratorSchema } from './schema';

const FILES = join(__dirname, 'files');
/** An OCI image repository without tag or digest: optional registry host[:port], then lower-case path components. */
const IMAGE_REPOSITORY = /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const QUANTITY = /^[1-9]\d*(\.\d+)?(Mi|Gi|Ti)$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
/** Five cron fields of digits, *, /, -, and commas (the form the library chart's schema accepts), or a macro. */
const CRON = /^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|([0-9*\/,-]+ +){4}[0-9*\/,-]+)$/;

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
}

export function normalizeOptions(tree: Tree, workspace: Workspace, options: ServiceGeneratorSchema): NormalizedService {
  const name = options.name;
  const problem = nameProblem(name, MAX_SERVICE_NAME);
  if (problem) throw optionError('name', `"${name}" ${problem}.`, 'choose a name like "orders" or "billing-api".');
  if (RESERVED_NAMES.includes(name)) throw optionError('name', `"${name}" is reserved by berth (${RESERVED_NAMES.join(', ')}).`, 'choose another name.');
  for (const existing of [paths.app(name), paths.chart(name)]) {
    if (tree.exists(existing)) throw optionError('name', `a service "${name}" already exists (${existing}).`, 'choose another name, or edit the existing service.');
  }
  const kind = options.kind ?? 'stateless';
  if (!['stateless', 'stateful', 'scheduled'].includes(kind)) throw optionError('kind', `"${kind}" is not a kind.`, 'use --kind stateless, stateful or scheduled.');
  const scheduled = kind === 'scheduled';
  if (scheduled && !options.schedule) throw optionError('schedule', 'a scheduled service needs a schedule.', 'pass --schedule "*/5 * * * *" (five cron fields) or @hourly, @daily, ...');
  if (!scheduled && options.schedule !== undefined) throw optionError('schedule', 'only a scheduled service runs on a schedule.', 'add --kind scheduled, or drop --schedule.');
  if (options.schedule !== undefined && !CRON.test(options.schedule)) throw optionError('schedule', `${JSON.stringify(options.schedule)} is not a cron schedule.`, 'pass five fields such as "*/5 * * * *", or @hourly, @daily, @weekly, @monthly, @yearly.');
  if (scheduled && (options.ingressPath !== undefined || options.ingressHost !== undefined)) throw optionError('ingress-path', 'a scheduled service serves no traffic, so it has no Ingress.', 'drop --ingress-path and --ingress-host.');
  if (!options.image || !IMAGE_REPOSITORY.test(options.image)) {
    throw optionError('image', `"${options.image ?? ''}" is not an image repository.`, 'pass the repository without a tag, e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders.');
  }
  const tag = options.tag ?? '0.1.0';
  if (!TAG.test(tag) || tag === 'latest') throw optionError('tag', `${JSON.stringify(tag)} is not a pinned image tag.`, 'pass a version tag such as 1.0.0.');
  const port = Number(options.port ?? 8080);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw optionError('port', `"${options.port}" is not a port number.`, 'pass a container port between 1 and 65535.');
  const serviceType = options.serviceType ?? 'ClusterIP';
  if (!['ClusterIP', 'NodePort', 'LoadBalancer'].includes(serviceType)) {
    throw optionError('service-type', `"${serviceType}" is not a Service type.`, 'use ClusterIP, NodePort or LoadBalancer.');
  }
  if (options.ingressPath !== undefined && !/^\/[A-Za-z0-9._~\/-]*$/.test(options.ingressPath)) {
    throw optionError('ingress-path', `"${options.ingressPath}" is not an HTTP path.`, 'pass a path starting with "/", e.g. /orders.');
  }
  if (options.ingressHost !== undefined && !isDnsName(options.ingressHost)) {
    throw optionError('ingress-host', `"${options.ingressHost}" is not a host name.`, 'pass a label such as "api" (api.<domain>) or a full lower-case DNS name.');
  }
  if (options.storage !== undefined && kind !== 'stateful') throw optionError('storage', 'only a stateful service has a volume.', 'add --kind stateful, or drop --storage.');
  const storage = kind === 'stateful' ? options.storage ?? '10Gi' : undefined;
  if (storage !== undefined && !QUANTITY.test(storage)) throw optionError('storage', `"${storage}" is not a volume size.`, 'pass a size such as 20Gi (Mi, Gi or Ti).');

  const known = workspace.environments.map((env) => env.name);
  const environments = options.envs ? splitList(options.envs) : known;
  for (const env of environments) {
    if (!known.includes(env)) throw optionError('envs', `"${env}" is not an environment (known: ${known.join(', ')}).`, `use some of ${known.join(',')}, or add it with nx g berth:environment.`);
  }
  if (environments.length === 0) throw optionError('envs', 'names no environment.', `pass some of ${known.join(',')}.`);
  const services = workspace.services.map((service) => service.name);
  const dependsOn = splitList(options.dependsOn);
  for (const dependency of dependsOn) {
    if (!services.includes(dependency)) throw optionError('depends-on', `"${dependency}" is not a service (known: ${services.join(', ') || 'none'}).`, 'name existing services, or add the dependency first.');
  }
  const library = workspace.settings.libraryChart;
  const libraryChart = tree.read(`${paths.chart(library)}/Chart.yaml`, 'utf-8');
  if (!libraryChart) throw optionError('name', `the library chart charts/${library} is missing.`, 'restore charts/common (berth.yaml libraryChart names it).');
  const ingressEnabled = options.ingressPath !== undefined || options.ingressHost !== undefined;
  return {
    name,
    kind: kind as NormalizedService['kind'],
    stateful: kind === 'stateful',
    scheduled,
    schedule: options.schedule,
    owner: options.owner,
    image: options.image,
    tag,
    port,
    serviceType,
    servicePort: kind === 'stateful' ? port : 80,
    ingress: { enabled: ingressEnabled, host: ingressEnabled ? options.ingressHost ?? name : undefined, path: ingressEnabled ? options.ingressPath ?? '/' : undefined },
    storage,
    environments: known.filter((env) => environments.includes(env)),
    dependsOn,
    monitoring: Boolean(options.monitoring),
    library,
    libraryVersion: String(parse(libraryChart).version),
  };
}

export async function serviceGenerator(tree: Tree, options: ServiceGeneratorSchema): Promise<void> {
  const workspace = loadWorkspace(treeFiles(tree));
  const service = normalizeOptions(tree, workspace, options);
  tree.write(paths.app(service.name), renderTemplate(FILES, 'app.yaml.hbs', service));
  const chart = paths.chart(service.name);
  tree.write(`${chart}/Chart.yaml`, renderTemplate(FILES, 'Chart.yaml.hbs', service));
  tree.write(`${chart}/values.yaml`, renderTemplate(FILES, 'values.yaml.hbs', service));
  tree.write(`${chart}/templates/berth.yaml`, renderTemplate(FILES, 'berth.yaml.hbs', service));
  for (const env of service.environments) {
    tree.write(paths.overlay(env, service.name), renderTemplate(FILES, 'overlay.yaml.hbs', { ...service, env }));
  }
  applyDerivedFiles(tree);
}

export default serviceGenerator;
