// berth validate --cluster before it renders anything: a kubeconfig that reaches no cluster, or a cluster that is no
// one environment's, is said at once with the fix, and nothing is written. (tools/cluster/test/e2e.spec.ts runs it
// against a real API server.)
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterEnvironment } from '../../src/validate/cluster';
import { berthAsync, copyExample } from '../cli/workspace';
import { closedPort } from '../support/closed-port';
import { environment, settings } from './fixtures';
import type { Workspace } from '../../src/workspace/model';

const kubeconfigFor = (server: string) =>
  JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'me', user: { token: 'not-a-secret' } }],
    contexts: [{ name: 'local', context: { cluster: 'local', user: 'me' } }],
    'current-context': 'local',
  });

describe('berth validate --cluster', () => {
  const dir = copyExample();
  const scratch = mkdtempSync(join(tmpdir(), 'berth-kubeconfig-'));
  afterAll(() => [dir, scratch].forEach((path) => rmSync(path, { recursive: true, force: true })));

  it('names a cluster that does not answer, with the fix, before rendering', async () => {
    const kubeconfig = join(scratch, 'down');
    writeFileSync(kubeconfig, kubeconfigFor(`https://127.0.0.1:${await closedPort()}`));
    const run = await berthAsync(
      { cwd: dir, env: { KUBECONFIG: kubeconfig } },
      'validate',
      '--cluster',
      '--env',
      'dev',
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /the cluster of context local \(https:\/\/127\.0\.0\.1:\d+\) does not answer: The connection to the server 127\.0\.0\.1:\d+ was refused/,
    );
    expect(run.stderr).toMatch(/Fix: point KUBECONFIG at the cluster .*--context/);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('names a context the kubeconfig does not have', async () => {
    const kubeconfig = join(scratch, 'one');
    writeFileSync(kubeconfig, kubeconfigFor('https://127.0.0.1:1'));
    const run = await berthAsync(
      { cwd: dir, env: { KUBECONFIG: kubeconfig } },
      'validate',
      '--cluster',
      '--context',
      'prod-eks',
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/found no cluster to check against: .*prod-eks/);
  });
});

describe('clusterEnvironment', () => {
  const workspace = {
    settings,
    environments: [environment('dev'), environment('prod')],
    services: [],
  } as unknown as Workspace;

  it('is the one environment selected', () => {
    expect(clusterEnvironment(workspace, ['prod'], 'https://127.0.0.1:6443').name).toBe('prod');
  });

  it("is the environment whose cluster.server is the kubeconfig's", () => {
    expect(clusterEnvironment(workspace, ['dev', 'prod'], 'https://prod.eks.eu-west-1.example.internal/').name).toBe(
      'prod',
    );
  });

  it('refuses to guess between environments, naming the flag that says it', () => {
    expect(() => clusterEnvironment(workspace, ['dev', 'prod'], 'https://127.0.0.1:6443')).toThrow(
      /not the cluster.server of any one environment \(dev: https:\/\/dev\.eks\.eu-west-1\.example\.internal, prod: .*\)[\s\S]*--cluster --env dev/,
    );
  });
});
