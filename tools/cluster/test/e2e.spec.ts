// The example platform on a real API server: every rendered object of dev applied server-side as Argo CD applies it,
// workloads running on kwok's nodes, postgres's claim bound by the stand-in EBS provisioner; then berth validate
// --cluster judges changes as the cluster does, and offline berth validate reaches the same verdict.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { ClusterState } from '../src/cluster';
import { berthAsync, committedExample, edit, git } from '../../berth/test/cli/workspace';
import { clusterCli } from './support';

const state = mkdtempSync(join(tmpdir(), 'berth-e2e-'));
const kubeconfig = join(state, 'kubeconfig');
const withCluster = { KUBECONFIG: kubeconfig, BERTH_CLUSTER_STATE: state };
const cluster = clusterCli(withCluster);
/** Argo CD's server-side apply manager: validate --cluster dry-runs as the same manager, so fields are its own. */
const FIELD_MANAGER = 'argocd-controller';

let kubectlPath = '';
function kubectl(args: string[], input?: string): { code: number | null; out: string } {
  const result = spawnSync(kubectlPath, [`--kubeconfig=${kubeconfig}`, ...args], { encoding: 'utf8', input });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}
function ok(args: string[], input?: string): string {
  const result = kubectl(args, input);
  expect(result.code, result.out).toBe(0);
  return result.out;
}

/** berth in the scratch workspace, against the cluster. */
const berth = (...args: string[]) => berthAsync({ cwd: workspace, env: withCluster }, ...args);

let workspace = '';
const rendered = (file: string) => readFileSync(join(workspace, 'dist/rendered/dev', file), 'utf8');
const objectsOf = (file: string) =>
  parseAllDocuments(rendered(file))
    .map((document) => document.toJS())
    .filter(Boolean);

describe('the example platform on the local cluster', () => {
  beforeAll(async () => {
    const started = await cluster('up');
    expect(started.code, started.out).toBe(0);
    kubectlPath = (JSON.parse(readFileSync(join(state, 'state.json'), 'utf8')) as ClusterState).kubectl;
    workspace = committedExample();
    const render = await berth('render', '--env', 'dev');
    expect(render.status, render.stderr).toBe(0);
  });

  afterAll(async () => {
    await cluster('down');
    rmSync(state, { recursive: true, force: true });
    if (workspace) rmSync(workspace, { recursive: true, force: true });
  });

  it('takes every rendered object of dev, applied server-side, cluster-base first as its sync wave says', () => {
    const files = readdirSync(join(workspace, 'dist/rendered/dev')).filter((file) => file.endsWith('.yaml'));
    expect(files).toContain('postgres.yaml');
    const ordered = ['cluster-base.yaml', ...files.filter((file) => file !== 'cluster-base.yaml')];
    let applied = 0;
    for (const file of ordered) {
      const out = ok(['apply', '--server-side', `--field-manager=${FIELD_MANAGER}`, '-f', '-'], rendered(file));
      applied += out.split('\n').filter((line) => line.endsWith('serverside-applied')).length;
    }
    expect(applied).toBe(ordered.reduce((sum, file) => sum + objectsOf(file).length, 0));
  });

  it('runs the Deployments Available and postgres Ready with its claim bound, and every Service has endpoints', () => {
    ok(['-n', 'dev', 'wait', '--for=condition=Available', 'deployment', '--all', '--timeout=180s']);
    ok(['-n', 'dev', 'wait', '--for=jsonpath={.status.readyReplicas}=1', 'statefulset/postgres', '--timeout=180s']);
    ok(['-n', 'dev', 'wait', '--for=jsonpath={.status.phase}=Bound', 'pvc/data-postgres-0', '--timeout=120s']);
    const claim = JSON.parse(ok(['-n', 'dev', 'get', 'pvc', 'data-postgres-0', '-o', 'json']));
    expect(claim.spec.storageClassName).toBe('gp3');
    expect(claim.status.capacity.storage).toBe('20Gi');

    const services = JSON.parse(ok(['-n', 'dev', 'get', 'services', '-o', 'json'])).items as any[];
    const selecting = services.filter((service) => service.spec.selector);
    expect(selecting.map((service) => service.metadata.name)).toEqual(
      expect.arrayContaining(['postgres', 'service-a', 'service-b', 'service-c']),
    );
    for (const service of selecting) {
      const name = service.metadata.name;
      ok([
        '-n',
        'dev',
        'wait',
        '--for=jsonpath={.endpoints[0].conditions.ready}=true',
        'endpointslice',
        '-l',
        `kubernetes.io/service-name=${name}`,
        '--timeout=120s',
      ]);
    }
  });

  it('berth validate --cluster is clean on the example: every object judged, none waiting', async () => {
    const run = await berth('validate', '--cluster', '--env', 'dev');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      /dry-ran \d+ objects of 6 Applications of dev server-side on https:\/\/127\.0\.0\.1:\d+/,
    );
    expect(run.stdout).not.toMatch(/not checked yet|\[cluster\]/);
  });

  it('refuses a new size for postgres volumes, with the fix Argo CD users apply; offline validate agrees', async () => {
    edit(workspace, 'environments/dev/postgres.yaml', (text) => `${text}persistence:\n  size: 30Gi\n`);
    try {
      const live = await berth('validate', '--cluster', '--env', 'dev', '--service', 'postgres');
      expect(live.status).toBe(1);
      expect(live.stdout).toContain(
        "[cluster] dev > dev-postgres > StatefulSet/postgres > spec.volumeClaimTemplates[data].spec.resources.requests.storage: the API server refuses to change a live StatefulSet's fixed fields",
      );
      expect(live.stdout).toContain('"20Gi" live, "30Gi" rendered');
      expect(live.stdout).toMatch(/fix: .*kubectl delete statefulset postgres -n dev --cascade=orphan/);

      const offline = await berth('validate', '--env', 'dev', '--service', 'postgres');
      expect(offline.status).toBe(1);
      expect(offline.stdout).toMatch(/\[statefulset-fixed-fields\] dev > dev-postgres > StatefulSet\/postgres/);
    } finally {
      git(workspace, 'checkout', '--', 'environments/dev/postgres.yaml');
    }
  });

  it('Pod Security admission refuses a privileged pod in dev (restricted); validate --cluster and offline agree', async () => {
    const pod = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'privileged', namespace: 'dev' },
      spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] },
    });
    const refused = kubectl(['apply', '--server-side', '-f', '-'], pod);
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/violates PodSecurity "restricted:v1\.\d+": privileged/);

    edit(
      workspace,
      'environments/dev/service-a.yaml',
      (text) => `${text}securityContext:\n  privileged: true\n  allowPrivilegeEscalation: true\n`,
    );
    try {
      const live = await berth('validate', '--cluster', '--env', 'dev', '--service', 'service-a');
      expect(live.status).toBe(1);
      expect(live.stdout).toMatch(
        /\[cluster\] dev > dev-service-a > Deployment\/service-a > spec\.template\.spec: the API server admits the Deployment but Pod Security admission will refuse its pods \(restricted:v1\.\d+\): privileged/,
      );
      const offline = await berth('validate', '--env', 'dev', '--service', 'service-a');
      expect(offline.status).toBe(1);
      expect(offline.stdout).toMatch(/\[pod-security\] dev > dev-service-a > Deployment\/service-a.*privileged/);
    } finally {
      git(workspace, 'checkout', '--', 'environments/dev/service-a.yaml');
    }
  });
});
