// A real control plane, started by npm run cluster -- up in a temporary state folder: kwok's nodes run pods,
// Pod Security admission refuses what the restricted profile forbids, the example's CRDs are served, down stops it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterState } from '../src/cluster';
import { clusterCli } from './support';

const state = mkdtempSync(join(tmpdir(), 'berth-cluster-'));
const env = { ...process.env, BERTH_CLUSTER_STATE: state };
const cluster = clusterCli(env);

let kubectlPath = '';
function kubectl(args: string[], input?: string): { code: number | null; out: string } {
  const result = spawnSync(kubectlPath, [`--kubeconfig=${join(state, 'kubeconfig')}`, ...args], {
    encoding: 'utf8',
    input,
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

function ok(args: string[], input?: string): string {
  const result = kubectl(args, input);
  expect(result.code, result.out).toBe(0);
  return result.out;
}

const readState = () => JSON.parse(readFileSync(join(state, 'state.json'), 'utf8')) as ClusterState;
/** Whether `pid` still runs: an exited child that nobody reaped yet (a zombie) has stopped. */
const alive = (pid: number) => {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

const PRIVILEGED_POD = (namespace: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'privileged', namespace },
    spec: { containers: [{ name: 'c', image: 'busybox', securityContext: { privileged: true } }] },
  });

describe('npm run cluster', () => {
  let pids: number[] = [];

  beforeAll(async () => {
    const started = await cluster('up');
    expect(started.code, started.out).toBe(0);
    const { components, kubectl } = readState();
    pids = components.map((component) => component.pid);
    kubectlPath = kubectl;
  });

  afterAll(async () => {
    await cluster('down');
    rmSync(state, { recursive: true, force: true });
  });

  it('runs every component, and a second up leaves the same cluster', async () => {
    const again = await cluster('up');
    expect(again.code, again.out).toBe(0);
    expect(again.out).toMatch(/already runs/);
    expect(readState().components.map((component) => component.pid)).toEqual(pids);
    const status = await cluster('status');
    expect(status.code, status.out).toBe(0);
    for (const name of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok']) {
      expect(status.out).toMatch(new RegExp(`${name} +running, pid \\d+, \\S+ 200`));
    }
    const { serverVersion } = JSON.parse(ok(['version', '-o', 'json'])) as { serverVersion: { gitVersion: string } };
    expect(serverVersion.gitVersion).toBe(`v${readState().versions.kubernetes}`);
  });

  it('schedules a Deployment onto kwok nodes and makes it Available', () => {
    ok(['create', 'namespace', 'web']);
    ok(['-n', 'web', 'create', 'deployment', 'web', '--image=registry.invalid/web:1', '--replicas=2']);
    ok(['-n', 'web', 'wait', '--for=condition=Available', 'deployment/web', '--timeout=180s']);
    const pods = JSON.parse(ok(['-n', 'web', 'get', 'pods', '-o', 'json'])) as {
      items: { spec: { nodeName: string }; status: { phase: string } }[];
    };
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items) {
      expect(pod.status.phase).toBe('Running');
      expect(pod.spec.nodeName).toMatch(/^kwok-node-\d$/);
    }
  });

  it('refuses a privileged pod in a namespace that enforces the restricted profile, and only there', () => {
    ok(['create', 'namespace', 'restricted']);
    ok(['label', 'namespace', 'restricted', 'pod-security.kubernetes.io/enforce=restricted']);
    ok(['create', 'namespace', 'open']);
    // the default ServiceAccount appears shortly after its namespace; a pod needs it before admission can judge it
    ok(['wait', '--for=create', '-n', 'restricted', 'serviceaccount/default', '--timeout=60s']);
    ok(['wait', '--for=create', '-n', 'open', 'serviceaccount/default', '--timeout=60s']);

    const refused = kubectl(['apply', '-f', '-'], PRIVILEGED_POD('restricted'));
    expect(refused.code).not.toBe(0);
    expect(refused.out).toMatch(/violates PodSecurity "restricted:latest": privileged/);
    ok(['apply', '-f', '-'], PRIVILEGED_POD('open'));
  });

  it('serves the example CRDs with their schemas: a ServiceMonitor is created, a malformed one refused', () => {
    const established = ok(['get', 'crd', '-o', 'name']);
    for (const crd of [
      'applications.argoproj.io',
      'appprojects.argoproj.io',
      'externalsecrets.external-secrets.io',
      'secretstores.external-secrets.io',
      'servicemonitors.monitoring.coreos.com',
      'prometheusrules.monitoring.coreos.com',
    ]) {
      expect(established).toContain(`customresourcedefinition.apiextensions.k8s.io/${crd}`);
    }
    const monitor = (endpoints: unknown) =>
      JSON.stringify({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'web', namespace: 'web' },
        spec: { selector: { matchLabels: { app: 'web' } }, endpoints },
      });
    ok(['apply', '--server-side', '-f', '-'], monitor([{ port: 'http', interval: '30s' }]));
    expect(ok(['-n', 'web', 'get', 'servicemonitor', 'web', '-o', 'jsonpath={.spec.endpoints[0].port}'])).toBe('http');
    const malformed = kubectl(['apply', '--server-side', '-f', '-'], monitor('every 30s'));
    expect(malformed.code).not.toBe(0);
    expect(malformed.out).toMatch(/spec\.endpoints.*(array|list)/i);
  });

  it('down stops every process and status then says nothing runs', async () => {
    const stopped = await cluster('down');
    expect(stopped.code, stopped.out).toBe(0);
    for (const name of ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok']) {
      expect(stopped.out).toMatch(new RegExp(`${name}: stopped`));
    }
    for (const pid of pids) expect(alive(pid), `pid ${pid}`).toBe(false);
    const status = await cluster('status');
    expect(status.code).toBe(3);
    expect(status.out).toMatch(/no cluster runs/);
  });
});
