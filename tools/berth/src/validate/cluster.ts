// `berth validate --cluster`: every rendered object of one environment dry-run server-side against a live cluster
// (kubectl apply --server-side --dry-run=server), one kubectl per Application, each object alone only when its
// Application's run failed or warned, so the API server's verdict is pinned to the object. The verdicts are
// validate/dry-run-verdict.ts's; this module only talks to the cluster.
import { BerthError } from '../errors';
import { findKubectl } from '../kubectl/binary';
import { runKubectl, type KubectlTarget } from '../kubectl/run';
import { inPool } from '../render/engine';
import type { Environment, Workspace } from '../workspace/model';
import { objectName, type EnvironmentRender, type KubeObject, type RenderedApplication } from './context';
import {
  failureVerdict,
  splitStderr,
  statefulSetChanges,
  warningVerdict,
  type EnvironmentProvides,
  type Verdict,
} from './dry-run-verdict';
import type { Finding } from './finding';

export interface ClusterConnection {
  target: KubectlTarget;
  context: string;
  server: string;
  /** The API server's gitVersion, e.g. "v1.36.3". */
  version: string;
}

export interface ClusterReport {
  environment: string;
  context: string;
  server: string;
  version: string;
  applications: number;
  /** Objects the API server judged. */
  checked: number;
  /** Objects it could not judge yet, and why (a namespace or CRD the first sync creates). */
  notChecked: { application: string; object: string; reason: string }[];
  /** What it warned about that is no finding (a deprecated field, say). */
  warnings: { application: string; object: string; message: string }[];
}

/** The same manager name Argo CD's server-side apply uses, so conflicts are the ones its sync would meet. */
const FIELD_MANAGER = 'argocd-controller';
const DRY_RUN = ['apply', '--server-side', '--dry-run=server', '--force-conflicts', `--field-manager=${FIELD_MANAGER}`];

/** Reads which cluster the kubeconfig points at and makes sure it answers. */
export async function connectCluster(context?: string): Promise<ClusterConnection> {
  const target: KubectlTarget = { kubectl: findKubectl().path, context };
  const fix =
    'point KUBECONFIG at the cluster (npm run cluster -- up writes dist/cluster/kubeconfig), or name a context of it with --context.';
  const config = await runKubectl(target, ['config', 'view', '--minify', '-o', 'json']);
  if (!config.ok)
    throw new BerthError(`berth validate --cluster found no cluster to check against: ${config.stderr}`, { fix });
  const view = JSON.parse(config.stdout) as {
    'current-context'?: string;
    clusters?: { cluster?: { server?: string } }[];
  };
  const server = view.clusters?.[0]?.cluster?.server ?? '(unknown server)';
  const name = context ?? view['current-context'] ?? '(current context)';
  const version = await runKubectl(target, ['version', '-o', 'json']);
  const serverVersion = version.ok
    ? (JSON.parse(version.stdout) as { serverVersion?: { gitVersion?: string } }).serverVersion?.gitVersion
    : undefined;
  if (!serverVersion)
    throw new BerthError(`the cluster of context ${name} (${server}) does not answer: ${version.stderr}`, { fix });
  return { target, context: name, server, version: serverVersion };
}

/**
 * The environment the cluster stands for: the one selection, else the one whose cluster.server is the kubeconfig's
 * server. A cluster is one environment: prod's objects dry-run against dev's cluster would judge the wrong live state.
 */
export function clusterEnvironment(workspace: Workspace, selected: string[], server: string): Environment {
  const candidates = workspace.environments.filter((env) => selected.includes(env.name));
  if (candidates.length === 1) return candidates[0];
  const bare = (url: string | undefined) => url?.replace(/\/$/, '');
  const byServer = candidates.filter((env) => bare(env.cluster.server) === bare(server));
  if (byServer.length === 1) return byServer[0];
  const servers = candidates.map((env) => `${env.name}: ${env.cluster.server}`).join(', ');
  throw new BerthError(
    `the cluster at ${server} is not the cluster.server of any one environment (${servers}), so berth cannot tell which environment to check against it.`,
    {
      field: 'cluster.server',
      fix: `name the environment it runs: berth validate --cluster --env ${candidates[0]?.name ?? '<env>'}.`,
    },
  );
}

/** Which group/Kinds the cluster serves namespaced (kubectl api-resources), to give those objects their namespace. */
async function namespacedKinds(target: KubectlTarget): Promise<Set<string>> {
  const run = await runKubectl(target, ['api-resources', '--namespaced=true', '--no-headers']);
  const kinds = new Set<string>();
  for (const line of run.stdout.split('\n')) {
    const columns = line.trim().split(/\s+/);
    if (columns.length < 4) continue;
    // NAME [SHORTNAMES] APIVERSION NAMESPACED KIND: counted from the end, shortnames may be absent
    const [apiVersion, kind] = [columns[columns.length - 3], columns[columns.length - 1]];
    kinds.add(`${apiVersion.includes('/') ? apiVersion.split('/')[0] : ''}/${kind}`);
  }
  return kinds;
}

/** The namespaces the cluster has now. */
async function liveNamespaces(target: KubectlTarget): Promise<Set<string>> {
  const run = await runKubectl(target, ['get', 'namespaces', '-o', 'name']);
  return new Set(run.stdout.split('\n').flatMap((line) => (line.startsWith('namespace/') ? [line.slice(10)] : [])));
}

const groupKind = (object: KubeObject) =>
  `${String(object.apiVersion ?? '').includes('/') ? String(object.apiVersion).split('/')[0] : ''}/${object.kind}`;

function providedBy(render: EnvironmentRender): EnvironmentProvides {
  const provides: EnvironmentProvides = { namespaces: new Map(), kinds: new Map() };
  for (const app of [...render.applications, ...(render.provided ?? [])]) {
    for (const object of app.objects) {
      if (object.kind === 'Namespace') provides.namespaces.set(object.metadata?.name, app.application);
      if (object.kind === 'CustomResourceDefinition' && object.spec?.group && object.spec?.names?.kind)
        provides.kinds.set(`${object.spec.group}/${object.spec.names.kind}`, app.application);
    }
  }
  return provides;
}

/** Argo CD puts a namespaced object without a namespace into the Application's destination namespace; so does this. */
function placed(app: RenderedApplication, namespaced: Set<string>): KubeObject[] {
  return app.objects.map((object) =>
    object.metadata?.namespace || !namespaced.has(groupKind(object)) || !app.namespace
      ? object
      : { ...object, metadata: { ...object.metadata, namespace: app.namespace } },
  );
}

const asList = (objects: KubeObject[]) => JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects });

async function judgeObject(
  target: KubectlTarget,
  environment: string,
  app: RenderedApplication,
  object: KubeObject,
  provides: EnvironmentProvides,
): Promise<Verdict[]> {
  const address = { environment, application: app.application, object };
  const run = await runKubectl(target, [...DRY_RUN, '-f', '-'], asList([object]));
  const { warnings, error } = splitStderr(run.stderr);
  const verdicts = warnings.map((warning) => warningVerdict(address, warning));
  if (run.ok) return verdicts;
  let liveChanges: string[] | undefined;
  if (object.kind === 'StatefulSet' && /updates to statefulset spec/.test(error)) {
    const live = await runKubectl(target, [
      'get',
      'statefulset',
      object.metadata?.name,
      ...(object.metadata?.namespace ? ['-n', object.metadata.namespace] : []),
      '-o',
      'json',
    ]);
    if (live.ok) liveChanges = statefulSetChanges(JSON.parse(live.stdout), object);
  }
  return [...verdicts, failureVerdict(address, error, provides, liveChanges)];
}

/** Dry-runs the environment's selected Applications; the Applications it stands on (`provided`) are not judged. */
export async function dryRunEnvironment(
  connection: ClusterConnection,
  render: EnvironmentRender,
  onProgress?: (done: number, total: number) => void,
): Promise<{ findings: Finding[]; report: ClusterReport }> {
  const { target } = connection;
  const [namespaced, existing] = await Promise.all([namespacedKinds(target), liveNamespaces(target)]);
  const provides = providedBy(render);
  const environment = render.environment.name;
  const report: ClusterReport = {
    environment,
    context: connection.context,
    server: connection.server,
    version: connection.version,
    applications: render.applications.length,
    checked: 0,
    notChecked: [],
    warnings: [],
  };
  const findings: Finding[] = [];
  let done = 0;
  await inPool(render.applications, 2, async (app) => {
    // an object in a namespace the first sync creates cannot be judged before it: said without asking the server
    const waiting = (object: KubeObject): Verdict | undefined => {
      const namespace = object.metadata?.namespace;
      const creator = namespace && !existing.has(namespace) && provides.namespaces.get(namespace);
      return creator
        ? { kind: 'not-checked', reason: `namespace ${namespace} does not exist yet (${creator} creates it)` }
        : undefined;
    };
    const all = placed(app, namespaced);
    const objects = all.filter((object) => !waiting(object));
    const together = objects.length ? await runKubectl(target, [...DRY_RUN, '-f', '-'], asList(objects)) : undefined;
    const clean = !together || (together.ok && splitStderr(together.stderr).warnings.length === 0);
    const judged = clean
      ? objects.map(() => [] as Verdict[])
      : await inPool(objects, 1, (object) => judgeObject(target, environment, app, object, provides));
    const verdicts = all.map((object) => {
      const verdict = waiting(object);
      return verdict ? [verdict] : judged[objects.indexOf(object)];
    });
    all.forEach((object, index) => {
      const notChecked = verdicts[index].find((verdict) => verdict.kind === 'not-checked');
      if (notChecked?.kind === 'not-checked')
        report.notChecked.push({ application: app.application, object: objectName(object), reason: notChecked.reason });
      else report.checked += 1;
      for (const verdict of verdicts[index]) {
        if (verdict.kind === 'finding') findings.push(verdict.finding);
        if (verdict.kind === 'warning')
          report.warnings.push({ application: app.application, object: objectName(object), message: verdict.message });
      }
    });
    onProgress?.(++done, render.applications.length);
  });
  return { findings, report };
}
