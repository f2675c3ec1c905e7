// nx g berth:environment: a new environment in the promotion chain, with a cluster and AWS identities of its own.
import type { Tree } from '@nx/devkit';
import { isMap, isScalar, isSeq, Pair, Scalar, type Document, type YAMLMap } from 'yaml';
import { parseYamlMappingDocument } from '../../../util/yaml-read';
import { gatesExample } from '../../../workspace/gate-settings';
import { loadWorkspace } from '../../../workspace/load';
import { paths } from '../../../workspace/model';
import { applyDerivedFiles } from '../../sync/generator';
import { treeFiles } from '../../tree-files';
import { yamlValue } from '../../../templates/yaml-values';
import { insertionIndex, servicesJoining } from './chain';
import { normalizeEnvironmentOptions, type NormalizedEnvironment } from './options';
import type { EnvironmentGeneratorSchema } from './schema';

/** Serialises an edited file the way this repository writes YAML: [a, b] without padding, no folding of long lines. */
const KEEP_LAYOUT = { flowCollectionPadding: false, lineWidth: 0 } as const;

export async function environmentGenerator(tree: Tree, options: EnvironmentGeneratorSchema): Promise<void> {
  const workspace = loadWorkspace(treeFiles(tree));
  const env = normalizeEnvironmentOptions(workspace, (path) => tree.exists(path), options);
  const { name, source, before } = env;
  const writes = new Map<string, string>();

  writes.set(paths.env(name), environmentFile(tree.read(paths.env(source.name), 'utf-8')!, env));
  writes.set(
    paths.envValues(name),
    retitle(tree.read(paths.envValues(source.name), 'utf-8') ?? '{}\n', source.name, name),
  );
  if (before) {
    const document = parseYamlMappingDocument(tree.read(paths.env(before.name), 'utf-8')!, paths.env(before.name));
    setText(document, ['promotesFrom'], name);
    // its commented gates example named the environment it promoted from before
    const promotion = document.get('promotion', true);
    if (isMap(promotion) && promotion.comment?.includes(GATES_EXAMPLE_START))
      promotion.comment = gatesComment(before.name, name);
    writes.set(paths.env(before.name), document.toString(KEEP_LAYOUT));
  }
  // the services promoted through it run here too, at the source's versions, until the first promotion
  for (const service of servicesJoining(workspace, source, before)) {
    const overlay = tree.read(paths.overlay(source.name, service.name), 'utf-8');
    if (overlay !== null) writes.set(paths.overlay(name, service.name), retitle(overlay, source.name, name));
    const app = parseYamlMappingDocument(tree.read(paths.app(service.name), 'utf-8')!, paths.app(service.name));
    const list = app.get('environments', true);
    // no list means every environment, the new one included
    if (!isSeq(list)) continue;
    // the list node is edited in place, so its style ([a, b] or "- a" lines) and comments stay
    list.items.splice(insertionIndex(service.environments, source.name, before?.name), 0, textNode(name));
    writes.set(paths.app(service.name), app.toString(KEEP_LAYOUT));
  }
  for (const [path, content] of writes) tree.write(path, content);
  applyDerivedFiles(tree);
}

/** The source's env.yaml with every fact of the new environment's own set (comments and layout stay). */
export function environmentFile(sourceText: string, env: NormalizedEnvironment): string {
  const document = parseYamlMappingDocument(sourceText, paths.env(env.source.name));
  setHeader(document, ` The ${env.name} environment: where it runs, how Argo CD syncs it, how versions reach it.`);
  setText(document, ['name'], env.name);
  setText(document, ['promotesFrom'], env.source.name);
  const cluster = document.get('cluster', true);
  if (isMap(cluster)) setClusterDestination(cluster, env.cluster);
  else document.set('cluster', env.cluster);
  setText(document, ['cluster', 'kubeVersion'], env.kubeVersion);
  setText(document, ['namespace'], env.namespace);
  setText(document, ['domain'], env.domain);
  setText(document, ['region'], env.region);
  setText(document, ['vpcCidr'], env.vpcCidr);
  setText(document, ['ingress', 'groupName'], env.albGroup);
  setText(document, ['ingress', 'certificateArn'], env.certificateArn);
  setText(
    document,
    ['secrets', 'prefix'],
    secretsPrefix(String(document.getIn(['secrets', 'prefix']) ?? ''), env.source.name, env.name),
  );
  setText(document, ['secrets', 'roleArn'], env.secretsRoleArn);
  // the add-ons' facts: the new cluster's name and VPC, and their IAM roles named for the new environment
  const renamed = (text: string) => text.replace(new RegExp(`\\b${env.source.name}\\b`, 'g'), env.name);
  const clusterName = document.getIn(['aws', 'clusterName']);
  if (env.clusterName !== undefined || typeof clusterName === 'string')
    setText(document, ['aws', 'clusterName'], env.clusterName ?? renamed(String(clusterName)));
  if (env.vpcId !== undefined) setText(document, ['aws', 'vpcId'], env.vpcId);
  const addons = document.get('addons', true);
  if (isMap(addons))
    for (const pair of addons.items) {
      const roleArn = document.getIn(['addons', String(isScalar(pair.key) ? pair.key.value : pair.key), 'roleArn']);
      if (typeof roleArn === 'string')
        setText(
          document,
          ['addons', String(isScalar(pair.key) ? pair.key.value : pair.key), 'roleArn'],
          renamed(roleArn),
        );
    }
  if (env.autoSync !== undefined) document.setIn(['sync', 'automated'], env.autoSync);
  if (env.promotion) setText(document, ['promotion', 'mode'], env.promotion);
  // gates are the source's when it has any; otherwise the commented example, written for this link of the chain
  const promotion = document.get('promotion', true);
  if (isMap(promotion) && !promotion.has('gates')) promotion.comment = gatesComment(env.name, env.source.name);
  // it promotes from another environment, so versions reach it by promotion only
  document.set('imageUpdates', document.createNode({ enabled: false }));
  if (document.has('chartUpdates')) document.set('chartUpdates', document.createNode({ enabled: false }));
  commentKey(
    document.contents as YAMLMap,
    'imageUpdates',
    ' versions arrive here by berth promote, never straight from the registry',
  );
  return document.toString(KEEP_LAYOUT);
}

const GATES_EXAMPLE_START = gatesExample('', '')[0].slice(0, 20);

/** The commented promotion.gates example under `promotion:`, as yaml prints a comment ("#" before each line). */
const gatesComment = (env: string, source: string) =>
  gatesExample(env, source)
    .map((line) => ` ${line}`)
    .join('\n');

/** The comment above the first key: each env.yaml says which environment it is. */
function setHeader(document: Document, header: string): void {
  const map = document.contents;
  if (document.commentBefore || !isMap(map) || map.items.length === 0) {
    document.commentBefore = header;
    return;
  }
  const first = map.items[0];
  if (!isScalar(first.key)) first.key = new Scalar(first.key);
  (first.key as Scalar).commentBefore = header;
}

/** cluster.server or cluster.name, whichever names the new cluster; the key keeps the comment above it. */
function setClusterDestination(cluster: YAMLMap, destination: { server: string } | { name: string }): void {
  const [key, value] = Object.entries(destination)[0];
  const pairs = cluster.items.filter((pair) =>
    ['server', 'name'].includes(String(isScalar(pair.key) ? pair.key.value : pair.key)),
  );
  if (pairs.length === 0) {
    cluster.items.unshift(new Pair(new Scalar(key), textNode(value)));
    return;
  }
  const [kept, ...rest] = pairs;
  if (isScalar(kept.key)) kept.key.value = key;
  else kept.key = new Scalar(key);
  kept.value = textNode(value);
  cluster.items = cluster.items.filter((pair) => !rest.includes(pair));
}

/**
 * Sets a string, keeping the node (its quotes and comments) where there is one; double-quoted when YAML 1.1 (what
 * Argo CD and Helm read) or 1.2 would read the plain text as something else (a namespace "on", a version "1.30").
 */
function setText(document: Document, path: string[], value: string): void {
  const node = document.getIn(path, true);
  if (isScalar(node)) {
    node.value = value;
    if (yamlValue(value).startsWith('"')) node.type = 'QUOTE_DOUBLE';
    return;
  }
  document.setIn(path, textNode(value));
}

function textNode(value: string): Scalar {
  const node = new Scalar(value);
  if (yamlValue(value).startsWith('"')) node.type = 'QUOTE_DOUBLE';
  return node;
}

function commentKey(map: YAMLMap, key: string, comment: string): void {
  const pair = map.items.find((candidate) => (isScalar(candidate.key) ? candidate.key.value : candidate.key) === key);
  if (!pair) return;
  if (!isScalar(pair.key)) pair.key = new Scalar(pair.key);
  (pair.key as Scalar).commentBefore = comment;
}

/** The source's Secrets Manager prefix with its environment's segment renamed: berth/dev/ -> berth/qa/. */
export function secretsPrefix(sourcePrefix: string, source: string, name: string): string {
  const segments = sourcePrefix.split('/');
  return segments.includes(source)
    ? segments.map((segment) => (segment === source ? name : segment)).join('/')
    : `${name}/`;
}

/** Renames the source environment in comment lines ("service-a in dev:" -> "service-a in qa:"); values stay. */
export function retitle(text: string, source: string, name: string): string {
  const word = new RegExp(`\\b${source.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`, 'g');
  return text
    .split('\n')
    .map((line) => (line.trimStart().startsWith('#') ? line.replace(word, name) : line))
    .join('\n');
}

export default environmentGenerator;
