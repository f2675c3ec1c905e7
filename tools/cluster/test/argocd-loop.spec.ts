// The loop closed with the real Argo CD: the example platform in a git repository served over smart HTTP, bootstrapped
// as the README says (AppProjects, root Application), with berth.yaml's repoURL and the clusters pointed at this
// machine for the run only. Argo CD syncs dev; berth render equals what its repo-server generates; berth image-update
// --push is rolled out by auto-sync; promote --push --wait brings stage the promoted chart and version, and prod's
// pull request, merged, brings it to prod; a ClusterRole is refused by Argo CD's AppProject as by berth validate.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { applyDerivedFiles } from '../../berth/src/nx/sync/generator';
import { berthAsync, git } from '../../berth/test/cli/workspace';
import { gitOpsRepository, type GitOpsRepository } from '../../berth/test/image-update/support';
import { NO_GITHUB } from '../../berth/test/promote/support';
import { pushImage, startRegistry, type RunningRegistry } from '../../berth/test/registry/support/registry';
import type { ClusterState } from '../src/cluster';
import { startGitServer, type GitServer } from '../src/git-server';
import { clusterCli, readArgocdEnv } from './support';

const state = mkdtempSync(join(tmpdir(), 'berth-argocd-loop-'));
const env = { ...process.env, BERTH_CLUSTER_STATE: state };
const cluster = clusterCli(env);
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
/** What Argo CD calls the cluster it runs in: the local one, here. */
const IN_CLUSTER = 'https://kubernetes.default.svc';
const ENVIRONMENTS = ['dev', 'stage', 'prod'];

async function api<T>(path: string): Promise<T> {
  const { ARGOCD_SERVER, ARGOCD_AUTH_TOKEN } = readArgocdEnv(state);
  const response = await fetch(`http://${ARGOCD_SERVER}${path}`, {
    headers: { authorization: `Bearer ${ARGOCD_AUTH_TOKEN}` },
  });
  expect(response.status, `${path}: ${response.status}`).toBe(200);
  return (await response.json()) as T;
}

interface Application {
  metadata: { name: string; labels?: Record<string, string> };
  spec: { project: string; sources?: { chart?: string; repoURL: string }[]; source?: { chart?: string } };
  status?: {
    sync?: { status?: string; revision?: string; revisions?: string[] };
    health?: { status?: string };
    conditions?: { type: string; message: string }[];
    operationState?: { phase?: string; message?: string };
    summary?: { images?: string[] };
  };
}

const applications = async () => (await api<{ items: Application[] | null }>('/api/v1/applications')).items ?? [];
/** An add-on: an upstream chart from a Helm repository or OCI registry, which this machine cannot reach. */
const isAddon = (app: Application) =>
  (app.spec.sources ?? (app.spec.source ? [app.spec.source] : [])).some(
    (source) => 'chart' in source || String((source as { repoURL?: string }).repoURL).startsWith('oci://'),
  );
const refresh = (name: string) => api<Application>(`/api/v1/applications/${name}?refresh=normal`);
/** A manual sync, as an operator of an environment without automated sync (prod) starts it. */
async function syncNow(name: string): Promise<void> {
  const { ARGOCD_SERVER, ARGOCD_AUTH_TOKEN } = readArgocdEnv(state);
  const response = await fetch(`http://${ARGOCD_SERVER}/api/v1/applications/${name}/sync`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ARGOCD_AUTH_TOKEN}`, 'content-type': 'application/json' },
    body: '{}',
  });
  if (response.status !== 200) throw new Error(`sync ${name}: ${response.status} ${await response.text()}`);
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 300_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(2000);
  }
  throw new Error(`${what} did not happen within ${timeoutMs / 1000} s${last ? `: ${String(last)}` : ''}`);
}

/** An object as both sides produce it, without what Argo CD adds to track it. */
function comparable(object: Record<string, any>): string {
  const copy = structuredClone(object);
  delete copy.metadata?.annotations?.['argocd.argoproj.io/tracking-id'];
  if (copy.metadata?.annotations && Object.keys(copy.metadata.annotations).length === 0)
    delete copy.metadata.annotations;
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
          )
        : value;
  return JSON.stringify(canonical(copy));
}

describe('Argo CD in the loop', () => {
  let registry: RunningRegistry;
  let gitops: GitOpsRepository;
  let gitServer: GitServer;
  let kubectlPath = '';
  const kubectl = (...args: string[]) => {
    const result = spawnSync(kubectlPath, [`--kubeconfig=${join(state, 'kubeconfig')}`, ...args], {
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    return result.stdout;
  };
  const tagOf = (service: string) =>
    String(parse(readFileSync(join(gitops.work, 'environments/dev', `${service}.yaml`), 'utf8')).image.tag);
  const commitAndPush = (message: string) => {
    git(gitops.work, 'add', '-A');
    git(gitops.work, 'commit', '-qm', message);
    git(gitops.work, 'push', '-q', 'origin', 'main');
    return git(gitops.work, 'rev-parse', 'HEAD');
  };

  beforeAll(async () => {
    registry = await startRegistry();
    gitops = gitOpsRepository(registry.host);
    for (const service of ['service-a', 'service-b', 'service-c', 'postgres', 'berth-image-updater'])
      await pushImage(registry.url, service, tagOf(service), new Date(Date.UTC(2026, 10, 1)));
    gitServer = await startGitServer(dirname(gitops.remote), 0, 'remote.git');

    // for this run only: Argo CD clones from this machine and deploys into the local cluster
    const repoURL = `${gitServer.url}/remote.git`;
    const edit = (path: string, change: (text: string) => string) =>
      writeFileSync(join(gitops.work, path), change(readFileSync(join(gitops.work, path), 'utf8')));
    edit('berth.yaml', (text) => text.replace(/^repoURL: .*$/m, `repoURL: ${repoURL}`));
    for (const name of ENVIRONMENTS)
      edit(`environments/${name}/env.yaml`, (text) => text.replace(/^(\s+server:) .*$/m, `$1 ${IN_CLUSTER}`));
    // prod takes only what stage runs Synced and Healthy: the gate asks this Argo CD
    edit('environments/prod/env.yaml', (text) =>
      text.replace(/^  mode: pr\n/m, '  mode: pr\n  gates:\n    healthy: true\n'),
    );
    const tree = new FsTree(gitops.work, false);
    applyDerivedFiles(tree);
    flushChanges(gitops.work, tree.listChanges());
    commitAndPush('the local cluster: repoURL and cluster servers for this run');

    const started = await cluster('up', '--argocd');
    expect(started.code, started.out).toBe(0);
    kubectlPath = (JSON.parse(readFileSync(join(state, 'state.json'), 'utf8')) as ClusterState).kubectl;
    // as the README bootstraps an environment
    kubectl('apply', '-n', 'argocd', '-f', join(gitops.work, 'argocd/projects/dev.yaml'));
    kubectl('apply', '-n', 'argocd', '-f', join(gitops.work, 'argocd/bootstrap/dev.yaml'));
  });

  afterAll(async () => {
    await cluster('down');
    await gitServer?.close();
    await registry?.stop();
    if (gitops) rmSync(dirname(gitops.remote), { recursive: true, force: true });
    rmSync(state, { recursive: true, force: true });
  });

  it("syncs every dev Application of this repository's charts, Synced and Healthy; add-ons name their chart repository", async () => {
    const head = git(gitops.work, 'rev-parse', 'HEAD');
    const settled = await until('dev Synced and Healthy', async () => {
      const dev = (await applications()).filter((app) => app.metadata.name.startsWith('dev-'));
      const ours = dev.filter((app) => !isAddon(app));
      if (ours.length < 7) return undefined; // the root, cluster-base, postgres, three services, the image updater
      const ready = ours.every(
        (app) => app.status?.sync?.status === 'Synced' && app.status?.health?.status === 'Healthy',
      );
      return ready ? dev : undefined;
    });
    const ours = settled.filter((app) => !isAddon(app));
    expect(ours.map((app) => app.metadata.name).sort()).toEqual([
      'dev-berth-image-updater',
      'dev-cluster-base',
      'dev-postgres',
      'dev-root',
      'dev-service-a',
      'dev-service-b',
      'dev-service-c',
    ]);
    for (const app of ours) expect(app.status?.sync?.revisions ?? [app.status?.sync?.revision]).toContain(head);
    // the upstream charts' repositories are out of this machine's reach: Argo CD says so, and syncs nothing of them
    for (const app of settled.filter(isAddon)) {
      expect(app.status?.sync?.status).not.toBe('Synced');
      expect(JSON.stringify(app.status?.conditions ?? [])).toMatch(/ComparisonError|failed|error/i);
    }
    expect(kubectl('-n', 'dev', 'get', 'pvc', 'data-postgres-0', '-o', 'jsonpath={.status.phase}')).toBe('Bound');
  });

  it('berth render equals what the repo-server generates for every dev Application, object for object', async () => {
    const render = await berthAsync(gitops.work, 'render', '--env', 'dev');
    expect(render.status, render.stderr).toBe(0);
    for (const service of ['cluster-base', 'postgres', 'service-a', 'service-b', 'service-c', 'berth-image-updater']) {
      const { manifests } = await api<{ manifests: string[] }>(`/api/v1/applications/dev-${service}/manifests`);
      const theirs = manifests.map((manifest) => comparable(JSON.parse(manifest))).sort();
      const ours = parseAllDocuments(readFileSync(join(gitops.work, 'dist/rendered/dev', `${service}.yaml`), 'utf8'))
        .map((document) => document.toJS())
        .filter(Boolean)
        .map(comparable)
        .sort();
      expect(ours.length, service).toBeGreaterThan(0);
      expect(ours, service).toEqual(theirs);
    }
  });

  it('rolls out what berth image-update --push commits: auto-sync makes the Deployment run the new tag', async () => {
    const before = tagOf('service-a');
    const next = before.replace(/(\d+)$/, (patch) => String(Number(patch) + 1));
    await pushImage(registry.url, 'service-a', next, new Date(Date.UTC(2026, 10, 2)));
    const update = await berthAsync(gitops.work, 'image-update', '--push', '--env', 'dev');
    expect(update.status, update.stdout + update.stderr).toBe(0);
    expect(tagOf('service-a')).toBe(next);
    const pushed = git(gitops.work, 'rev-parse', 'HEAD');
    expect(git(gitops.work, 'rev-parse', 'origin/main')).toBe(pushed);
    const image = await until('the new tag running', async () => {
      await refresh('dev-service-a'); // instead of waiting out Argo CD's 3-minute poll of the repository
      const running = kubectl('-n', 'dev', 'get', 'deployment', 'service-a', '-o', 'jsonpath={..image}');
      return running.endsWith(`:${next}`) ? running : undefined;
    });
    expect(image).toBe(`${registry.host}/service-a:${next}`);
    kubectl('-n', 'dev', 'wait', '--for=condition=Available', 'deployment/service-a', '--timeout=120s');
    // what berth status --live and promote --wait read: Argo CD synced the pushed commit and finds it healthy
    await until('dev-service-a Synced and Healthy at the pushed commit', async () => {
      const app = await api<Application>('/api/v1/applications/dev-service-a');
      const { sync, health } = app.status ?? {};
      const revisions = sync?.revisions ?? [sync?.revision];
      return sync?.status === 'Synced' && health?.status === 'Healthy' && revisions.includes(pushed) ? app : undefined;
    });
  });

  it('berth status --live shows what Argo CD applied, per service and environment', async () => {
    const { ARGOCD_SERVER, ARGOCD_AUTH_TOKEN, ARGOCD_OPTS } = readArgocdEnv(state);
    const live = { ARGOCD_SERVER, ARGOCD_AUTH_TOKEN, ARGOCD_OPTS };
    const run = await berthAsync({ cwd: gitops.work, env: live }, 'status', '--live', '--json');
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.live.server).toContain(ARGOCD_SERVER);
    const head = git(gitops.work, 'rev-parse', 'HEAD');
    for (const name of ['service-a', 'service-b', 'postgres']) {
      const cell = report.services.find((service: { name: string }) => service.name === name).cells.dev.live;
      expect(cell, name).toMatchObject({ application: `dev-${name}`, sync: 'Synced', health: 'Healthy' });
    }
    // service-a was refreshed at the image update's commit; the others compare with it at Argo CD's next poll
    const serviceA = report.services.find((service: { name: string }) => service.name === 'service-a').cells.dev.live;
    expect(serviceA.revisions).toContain(head);
    // the Pods are in Argo CD's resource tree (the project permits ReplicaSet and Pod), so it names what they run
    expect(serviceA.images).toContain(`${registry.host}/service-a:${tagOf('service-a')}`);
    expect(serviceA).toMatchObject({ running: [tagOf('service-a')], drift: 'none' });
    // stage is not bootstrapped yet: Argo CD has no Application for it, and status says so
    const stage = report.services.find((service: { name: string }) => service.name === 'service-a').cells.stage.live;
    expect(stage).toMatchObject({ sync: null, drift: 'missing' });
    const text = await berthAsync({ cwd: gitops.work, env: live }, 'status', '--live');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Synced/);
  });

  const liveEnv = () => {
    const { ARGOCD_SERVER, ARGOCD_AUTH_TOKEN, ARGOCD_OPTS } = readArgocdEnv(state);
    return { ARGOCD_SERVER, ARGOCD_AUTH_TOKEN, ARGOCD_OPTS };
  };
  const bootstrap = (name: string) => {
    kubectl('apply', '-n', 'argocd', '-f', join(gitops.work, `argocd/projects/${name}.yaml`));
    kubectl('apply', '-n', 'argocd', '-f', join(gitops.work, `argocd/bootstrap/${name}.yaml`));
  };
  const overlayOf = (name: string, service: string) =>
    parse(readFileSync(join(gitops.work, 'environments', name, `${service}.yaml`), 'utf8')) as {
      image: { tag: string };
      chartRevision?: string;
    };
  /** berth render of one Application against the repo-server's manifests for it, object for object. */
  const expectRenderEqualsArgo = async (name: string, service: string) => {
    const render = await berthAsync(gitops.work, 'render', '--env', name, '--service', service);
    expect(render.status, render.stderr).toBe(0);
    const { manifests } = await api<{ manifests: string[] }>(`/api/v1/applications/${name}-${service}/manifests`);
    const ours = parseAllDocuments(readFileSync(join(gitops.work, 'dist/rendered', name, `${service}.yaml`), 'utf8'))
      .map((document) => document.toJS())
      .filter(Boolean)
      .map(comparable)
      .sort();
    expect(ours.length).toBeGreaterThan(0);
    expect(ours).toEqual(manifests.map((manifest) => comparable(JSON.parse(manifest))).sort());
  };
  /** Argo CD's Application Synced and Healthy at `chartRevision`, and the Deployment running `tag`. */
  const expectRunning = async (name: string, service: string, chartRevision: string, tag: string) => {
    const app = await until(`${name}-${service} Synced and Healthy at ${chartRevision.slice(0, 12)}`, async () => {
      const live = await refresh(`${name}-${service}`);
      const { sync, health } = live.status ?? {};
      return sync?.status === 'Synced' && health?.status === 'Healthy' && sync.revision === chartRevision
        ? live
        : undefined;
    });
    expect(app.spec.sources).toBeUndefined(); // one source: the pinned chart, carrying its values
    kubectl('-n', name, 'wait', '--for=condition=Available', `deployment/${service}`, '--timeout=120s');
    expect(kubectl('-n', name, 'get', 'deployment', service, '-o', 'jsonpath={..image}')).toBe(
      `${registry.host}/${service}:${tag}`,
    );
  };

  // A promotion pins the chart at the promoted commit: the Application is then one source at that commit carrying its
  // values, since Argo CD reads a repository at one revision per Application. --wait returns once Argo CD compares
  // with exactly what the push holds, Synced and Healthy.
  it('berth promote --to stage --push --wait: stage syncs the promoted chart and version; render equals Argo CD', async () => {
    bootstrap('stage');
    const promote = await berthAsync(
      { cwd: gitops.work, env: liveEnv() },
      'promote',
      'service-a',
      '--to',
      'stage',
      '--push',
      '--wait',
      '--timeout',
      '6m',
      '--json',
    );
    expect(promote.status, promote.stderr).toBe(0);
    const report = JSON.parse(promote.stdout);
    expect(report.pushed).toBe(true);
    expect(git(gitops.work, 'rev-parse', 'origin/main')).toBe(report.commit);
    expect(report.wait.outcome).toBe('synced');
    expect(report.wait.applications).toEqual([
      expect.objectContaining({ application: 'stage-service-a', state: 'done', sync: 'Synced', health: 'Healthy' }),
    ]);
    const stage = overlayOf('stage', 'service-a');
    expect(stage.image.tag).toBe(tagOf('service-a'));
    expect(stage.chartRevision).toMatch(/^[0-9a-f]{40}$/);
    await expectRunning('stage', 'service-a', stage.chartRevision!, stage.image.tag);
    await expectRenderEqualsArgo('stage', 'service-a');
  }, 480_000);

  it("merges prod's pull request branch and prod syncs it; the healthy gate asks Argo CD about stage", async () => {
    bootstrap('prod');
    const propose = await berthAsync(
      { cwd: gitops.work, env: { ...liveEnv(), ...NO_GITHUB } },
      'promote',
      'service-a',
      '--to',
      'prod',
      '--json',
    );
    expect(propose.status, propose.stderr).toBe(0);
    const report = JSON.parse(propose.stdout);
    expect(report.mode).toBe('pr');
    expect(report.branch).toMatch(/^berth\/promote/);
    // the reviewer merges it, as GitHub's merge button would
    git(gitops.work, 'fetch', '-q', 'origin', report.branch);
    git(gitops.work, 'merge', '-q', '--no-ff', '-m', `Merge branch '${report.branch}'`, 'FETCH_HEAD');
    git(gitops.work, 'push', '-q', 'origin', 'main');
    const prod = overlayOf('prod', 'service-a');
    const stage = overlayOf('stage', 'service-a');
    expect(prod).toMatchObject({ image: { tag: stage.image.tag }, chartRevision: stage.chartRevision });
    // prod syncs by hand (env.yaml sync.automated: false): the operator syncs its root, then what it made
    const syncedHealthy = async (name: string) => {
      const { sync, health } = (await refresh(name)).status ?? {};
      if (sync?.status === 'Synced' && health?.status === 'Healthy') return true;
      await syncNow(name).catch(() => undefined); // one already running: asked again on the next poll
      return undefined;
    };
    await syncNow('prod-root').catch(() => undefined); // asked again below while what it makes is missing
    for (const name of ['prod-cluster-base', 'prod-service-a'])
      // not made yet: the root's sync is to come, or it ran before Argo CD saw the merge
      await until(`${name} synced`, () =>
        syncedHealthy(name).catch(async (error) => {
          await syncNow('prod-root').catch(() => undefined);
          throw error;
        }),
      );
    await expectRunning('prod', 'service-a', prod.chartRevision!, prod.image.tag);
    await expectRenderEqualsArgo('prod', 'service-a');
  }, 480_000);

  it('refuses a ClusterRole in a service chart by the AppProject, as berth validate refuses it', async () => {
    writeFileSync(
      join(gitops.work, 'charts/service-a/templates/clusterrole.yaml'),
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: service-a-reader\n' +
        'rules:\n  - apiGroups: [""]\n    resources: [pods]\n    verbs: [get]\n',
    );
    const offline = await berthAsync(gitops.work, 'validate', '--env', 'dev', '--service', 'service-a');
    expect(offline.status).toBe(1);
    expect(offline.stdout).toMatch(/\[project-permits\] dev > dev-service-a > ClusterRole\/service-a-reader/);

    commitAndPush('service-a: a ClusterRole (refused)');
    const refused = await until('the AppProject refusing the ClusterRole', async () => {
      const app = await refresh('dev-service-a');
      const said = JSON.stringify([app.status?.conditions, app.status?.operationState?.message]);
      return /ClusterRole/.test(said) && /not permitted in project/.test(said) ? said : undefined;
    });
    expect(refused).toMatch(/rbac\.authorization\.k8s\.io:ClusterRole is not permitted in project dev/);
    expect(
      spawnSync(kubectlPath, [`--kubeconfig=${join(state, 'kubeconfig')}`, 'get', 'clusterrole', 'service-a-reader'])
        .status,
    ).not.toBe(0);
  });
});
