// The real Argo CD on the local cluster, started by npm run cluster -- up --argocd in a temporary state folder: its
// API answers with the admin token of argocd.env, an Application syncs from a git repository served over smart HTTP
// and follows a new commit, down stops it all.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArgocdState } from '../src/argocd';
import type { ClusterState } from '../src/cluster';
import { startGitServer, type GitServer } from '../src/git-server';
import { clusterCli, readArgocdEnv } from './support';

const REPOSITORY = resolve(__dirname, '../../..');
const state = mkdtempSync(join(tmpdir(), 'berth-argocd-'));
const env = { ...process.env, BERTH_CLUSTER_STATE: state };
const cluster = clusterCli(env);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
/** Whether `pid` still runs: an exited child that nobody reaped yet (a zombie) has stopped. */
const alive = (pid: number) => {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

const readJson = <T>(file: string) => JSON.parse(readFileSync(join(state, file), 'utf8')) as T;

async function api<T>(path: string, init: RequestInit = {}): Promise<{ status: number; body: T }> {
  const { ARGOCD_SERVER, ARGOCD_AUTH_TOKEN } = readArgocdEnv(state);
  const response = await fetch(`http://${ARGOCD_SERVER}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${ARGOCD_AUTH_TOKEN}`, 'content-type': 'application/json' },
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as T };
}

function git(cwd: string, ...args: string[]): string {
  const result = spawnSync('git', ['-c', 'user.name=berth', '-c', 'user.email=berth@example.invalid', ...args], {
    cwd,
    encoding: 'utf8',
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim();
}

const configMap = (value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\ndata:\n  greeting: ${value}\n`;

interface Application {
  status?: {
    sync?: { status?: string; revision?: string };
    health?: { status?: string };
    conditions?: { type: string; message: string }[];
  };
}

/** Polls the Application through Argo CD's API until it is Synced and Healthy at `revision`. */
async function waitSynced(name: string, revision: string, timeoutMs = 180_000): Promise<Application> {
  const deadline = Date.now() + timeoutMs;
  let last: Application = {};
  while (Date.now() < deadline) {
    last = (await api<Application>(`/api/v1/applications/${name}`)).body;
    const { sync, health } = last.status ?? {};
    if (sync?.status === 'Synced' && health?.status === 'Healthy' && sync.revision === revision) return last;
    await sleep(1000);
  }
  throw new Error(`${name} not Synced and Healthy at ${revision}: ${JSON.stringify(last.status)}`);
}

describe('npm run cluster -- up --argocd', () => {
  let gitServer: GitServer;
  let source = '';
  let kubectlPath = '';
  let pids: number[] = [];
  const kubectl = (...args: string[]) => {
    const result = spawnSync(kubectlPath, [`--kubeconfig=${join(state, 'kubeconfig')}`, ...args], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout;
  };

  beforeAll(async () => {
    const repositories = join(state, 'git');
    source = join(state, 'source');
    mkdirSync(join(source, 'app'), { recursive: true });
    git(source, 'init', '-q', '-b', 'main');
    writeFileSync(join(source, 'app', 'greeting.yaml'), configMap('hello'));
    mkdirSync(join(source, 'chart', 'templates'), { recursive: true });
    writeFileSync(join(source, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: facts\nversion: 0.1.0\n');
    writeFileSync(join(source, 'chart', 'values.yaml'), 'greeting: from values.yaml\n');
    writeFileSync(
      join(source, 'chart', 'templates', 'facts.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: facts\ndata:\n' +
        '  greeting: {{ .Values.greeting | quote }}\n  kubeVersion: {{ .Capabilities.KubeVersion.Version | quote }}\n',
    );
    git(source, 'add', '.');
    git(source, 'commit', '-qm', 'greeting: hello');
    mkdirSync(repositories);
    git(repositories, 'clone', '-q', '--bare', source, 'platform.git');
    gitServer = await startGitServer(repositories);

    const started = await cluster('up', '--argocd');
    expect(started.code, started.out).toBe(0);
    kubectlPath = readJson<ClusterState>('state.json').kubectl;
    pids = readJson<ArgocdState>('argocd.json').processes.map((process) => process.pid);
  });

  afterAll(async () => {
    await cluster('down');
    await gitServer?.close();
    rmSync(state, { recursive: true, force: true });
  });

  it('runs redis, repo-server, controller and API server, and a second up leaves them', async () => {
    const again = await cluster('up', '--argocd');
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(/Argo CD 3\.\d+\.\d+ already runs/);
    expect(readJson<ArgocdState>('argocd.json').processes.map((process) => process.pid)).toEqual(pids);
    const status = await cluster('status');
    expect(status.code, status.out).toBe(0);
    for (const name of [
      'git-server',
      'redis',
      'argocd-repo-server',
      'argocd-application-controller',
      'argocd-server',
    ]) {
      expect(status.out).toMatch(new RegExp(`${name} +running, pid \\d+, \\S+ ok`));
    }
  });

  it("answers as the admin with argocd.env's token, and refuses a request without it", async () => {
    const { ARGOCD_SERVER } = readArgocdEnv(state);
    expect(ARGOCD_SERVER).toMatch(/^127\.0\.0\.1:\d+$/);
    const user = await api<{ loggedIn: boolean; username: string }>('/api/v1/session/userinfo');
    expect(user.body).toMatchObject({ loggedIn: true, username: 'admin' });
    const version = await api<{ Version: string }>('/api/version');
    expect(version.body.Version).toMatch(new RegExp(`^v${readJson<ArgocdState>('argocd.json').version}\\b`));
    const anonymous = await fetch(`http://${ARGOCD_SERVER}/api/v1/applications`);
    expect(anonymous.status).toBe(401);
  });

  it('serves this repository read-only to the repo-server, and nothing else under its folder', async () => {
    const { BERTH_CLUSTER_REPO_URL: url } = readArgocdEnv(state);
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/${basename(REPOSITORY)}$`));
    const refs = await api<{ branches?: string[] }>(`/api/v1/repositories/${encodeURIComponent(url)}/refs`);
    expect(refs.status, JSON.stringify(refs.body)).toBe(200);
    const branch = git(REPOSITORY, 'rev-parse', '--abbrev-ref', 'HEAD');
    if (branch !== 'HEAD') expect(refs.body.branches).toContain(branch); // a detached checkout has no branch
    const receive = await fetch(`${url}/info/refs?service=git-receive-pack`);
    expect(receive.status).toBe(403);
    const elsewhere = await fetch(`${url.replace(/\/[^/]+$/, '/other')}/info/refs?service=git-upload-pack`);
    expect(elsewhere.status).toBe(404);
  });

  it('syncs an Application from git over smart HTTP, then follows a new commit', async () => {
    const application = {
      metadata: { name: 'greeting', namespace: 'argocd' },
      spec: {
        project: 'default',
        source: { repoURL: `${gitServer.url}/platform.git`, targetRevision: 'main', path: 'app' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'greeting' },
        syncPolicy: { automated: { prune: true }, syncOptions: ['CreateNamespace=true'] },
      },
    };
    const created = await api('/api/v1/applications', { method: 'POST', body: JSON.stringify(application) });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    await waitSynced('greeting', git(source, 'rev-parse', 'HEAD'));
    expect(kubectl('-n', 'greeting', 'get', 'configmap', 'greeting', '-o', 'jsonpath={.data.greeting}')).toBe('hello');

    writeFileSync(join(source, 'app', 'greeting.yaml'), configMap('hello again'));
    git(source, 'commit', '-qam', 'greeting: hello again');
    git(source, 'push', '-q', join(state, 'git', 'platform.git'), 'main');
    // a forge's webhook would say so; here a refresh asks Argo CD to look at git now instead of in 3 minutes
    await api('/api/v1/applications/greeting?refresh=normal');
    await waitSynced('greeting', git(source, 'rev-parse', 'HEAD'));
    expect(kubectl('-n', 'greeting', 'get', 'configmap', 'greeting', '-o', 'jsonpath={.data.greeting}')).toBe(
      'hello again',
    );
  });

  it("renders a Helm chart with the repo-server's Helm, the release Argo CD pins, for the cluster's Kubernetes", async () => {
    const version = await api<{ HelmVersion: string }>('/api/version');
    expect(version.body.HelmVersion).toMatch(/^v4\.\d+\.\d+/);
    const application = {
      metadata: { name: 'facts', namespace: 'argocd' },
      spec: {
        project: 'default',
        source: {
          repoURL: `${gitServer.url}/platform.git`,
          targetRevision: 'main',
          path: 'chart',
          helm: { valuesObject: { greeting: 'from the Application' } },
        },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'facts' },
        syncPolicy: { automated: {}, syncOptions: ['CreateNamespace=true'] },
      },
    };
    const created = await api('/api/v1/applications', { method: 'POST', body: JSON.stringify(application) });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    await waitSynced('facts', git(source, 'rev-parse', 'HEAD'));
    const facts = JSON.parse(kubectl('-n', 'facts', 'get', 'configmap', 'facts', '-o', 'json')) as {
      data: Record<string, string>;
    };
    const { kubernetes } = readJson<ClusterState>('state.json').versions;
    expect(facts.data).toEqual({ greeting: 'from the Application', kubeVersion: `v${kubernetes}` });
  });

  it('down stops Argo CD, then the control plane, and removes argocd.env', async () => {
    const stopped = await cluster('down');
    expect(stopped.code, stopped.out).toBe(0);
    expect(stopped.out).toMatch(/argocd-server: stopped[\s\S]*redis: stopped[\s\S]*kube-apiserver: stopped/);
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
    expect(() => readFileSync(join(state, 'argocd.env'))).toThrow();
  });
});
