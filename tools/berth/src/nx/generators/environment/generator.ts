// nx g berth:environment: a new environment cloned from the one it promotes from, every service included.
import type { Tree } from '@nx/devkit';
import { parseDocument } from 'yaml';
import { loadWorkspace } from '../../../workspace/load';
import { MAX_ENVIRONMENT_NAME, isDnsName, nameProblem } from '../../../workspace/names';
import { paths } from '../../../workspace/model';
import { applyDerivedFiles } from '../../sync/generator';
import { treeFiles } from '../../tree-files';
import { optionError } from '../shared/options';
import type { EnvironmentGeneratorSchema } from './schema';

export async function environmentGenerator(tree: Tree, options: EnvironmentGeneratorSchema): Promise<void> {
  const workspace = loadWorkspace(treeFiles(tree));
  const name = options.name;
  const problem = nameProblem(name, MAX_ENVIRONMENT_NAME);
  if (problem) throw optionError('name', `"${name}" ${problem}.`, 'choose a name like "qa" or "prod-eu".');
  if (tree.exists(`environments/${name}`)) throw optionError('name', `environment "${name}" already exists (environments/${name}).`, 'choose another name.');
  const known = workspace.environments.map((env) => env.name);
  const source = workspace.environments.find((env) => env.name === options.promotesFrom);
  if (!source) throw optionError('promotes-from', `"${options.promotesFrom ?? ''}" is not an environment (known: ${known.join(', ')}).`, `pass one of ${known.join(', ')}.`);
  const namespace = options.namespace ?? name;
  const namespaceProblem = nameProblem(namespace, 63);
  if (namespaceProblem) throw optionError('namespace', `"${namespace}" ${namespaceProblem}.`, 'pass a DNS-1123 label.');
  const domain = options.domain ?? `${name}.${source.domain.split('.').slice(source.domain.split('.').length > 2 ? 1 : 0).join('.')}`;
  if (!isDnsName(domain)) throw optionError('domain', `"${domain}" is not a DNS name.`, 'pass a lower-case DNS name such as qa.example.com.');
  if (options.kubeVersion !== undefined && !/^\d+\.\d+(\.\d+)?$/.test(options.kubeVersion)) {
    throw optionError('kube-version', `"${options.kubeVersion}" is not a Kubernetes version.`, 'pass a version like 1.33.0.');
  }
  if (options.server !== undefined && !/^https:\/\/[^\s]+$/.test(options.server)) throw optionError('server', `"${options.server}" is not an https URL.`, 'pass the cluster API URL Argo CD knows.');

  // env.yaml: the source's, edited in place so its comments stay
  const envFile = parseDocument(tree.read(paths.env(source.name), 'utf-8')!);
  envFile.commentBefore = ` The ${name} environment: where it runs, how Argo CD syncs it, how versions reach it.`;
  envFile.set('name', name);
  envFile.set('promotesFrom', source.name);
  envFile.set('namespace', namespace);
  envFile.set('domain', domain);
  envFile.setIn(['ingress', 'groupName'], `berth-${name}`);
  envFile.setIn(['secrets', 'prefix'], `berth/${name}/`);
  if (options.server) envFile.setIn(['cluster', 'server'], options.server);
  if (options.kubeVersion) envFile.setIn(['cluster', 'kubeVersion'], options.kubeVersion);
  if (options.autoSync !== undefined) envFile.setIn(['sync', 'automated'], options.autoSync);
  if (options.promotion) envFile.setIn(['promotion', 'mode'], options.promotion);
  tree.write(paths.env(name), envFile.toString());
  tree.write(paths.envValues(name), tree.read(paths.envValues(source.name), 'utf-8') ?? '{}\n');

  // every service of the source environment runs here too, at the source's versions
  for (const service of workspace.services.filter((candidate) => candidate.environments.includes(source.name))) {
    const overlay = tree.read(paths.overlay(source.name, service.name), 'utf-8');
    if (overlay !== null) tree.write(paths.overlay(name, service.name), overlay.replace(` in ${source.name}:`, ` in ${name}:`));
    const app = parseDocument(tree.read(paths.app(service.name), 'utf-8')!);
    const environments = known.filter((env) => service.environments.includes(env));
    environments.splice(environments.indexOf(source.name) + 1, 0, name);
    const list = app.createNode(environments);
    list.flow = true;
    app.set('environments', list);
    tree.write(paths.app(service.name), app.toString());
  }
  applyDerivedFiles(tree);
}

export default environmentGenerator;
