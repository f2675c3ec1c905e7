// The pure parts of running Argo CD on the local cluster: the release and Go that its go.mod names, the flags of
// each process, the settings objects and the env file the argocd CLI reads.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  argocdBuild,
  argocdConfigObjects,
  argocdEnvFile,
  argocdLdflags,
  argocdPlans,
  clientGoVersion,
} from '../src/argocd-plan';

const GO_MOD = readFileSync(resolve(__dirname, '../argocd/go.mod'), 'utf8');

describe('argocdBuild', () => {
  it('reads the Argo CD release and the toolchain that tools/cluster/argocd/go.mod names', () => {
    const { version, toolchain } = argocdBuild(GO_MOD);
    expect(version).toMatch(/^3\.\d+\.\d+$/);
    expect(toolchain).toMatch(/^go1\.\d+\.\d+$/);
    expect(argocdBuild('require github.com/argoproj/argo-cd/v3 v3.6.1\n')).toEqual({ version: '3.6.1' });
  });

  it('names go.mod and the script that regenerates it when Argo CD is not required', () => {
    expect(() => argocdBuild('require github.com/argoproj/argo-cd/gitops-engine/v3 v3.6.1\n', 'x/go.mod')).toThrow(
      /x\/go.mod: require: go.mod requires no release of github.com\/argoproj\/argo-cd\/v3[\s\S]*pin-argocd.sh/,
    );
  });

  it("takes client-go's version from the replace block carried over from Argo CD's go.mod", () => {
    expect(clientGoVersion(GO_MOD)).toMatch(/^v0\.\d+\.\d+$/);
    expect(argocdLdflags('3.6.1', 'v0.37.0')).toBe(
      '-X github.com/argoproj/argo-cd/v3/common.version=3.6.1 -X github.com/argoproj/argo-cd/v3/common.gitTag=v3.6.1 ' +
        '-X github.com/argoproj/argo-cd/v3/common.kubectlVersion=v0.37.0',
    );
  });
});

describe('argocdPlans', () => {
  const ports = {
    git: 7,
    redis: 1,
    repoServer: 2,
    repoServerMetrics: 3,
    controllerMetrics: 4,
    server: 5,
    serverMetrics: 6,
  };
  const repository = { root: '/work', name: 'berth', script: '/git-server.ts', register: '/register.js' };
  const plans = argocdPlans(ports, { kubeconfig: '/k', data: '/d', path: '/bin', repository }).slice(1);
  const gitServer = argocdPlans(ports, { kubeconfig: '/k', data: '/d', path: '/bin', repository })[0];

  it('serves the repository alone, read-only, on loopback before Argo CD starts', () => {
    expect(gitServer.name).toBe('git-server');
    expect(gitServer.args).toEqual(['-r', '/register.js', '/git-server.ts', '/work', 'berth', '7']);
    expect(gitServer.health).toBe('http://127.0.0.1:7/berth/info/refs?service=git-upload-pack');
  });

  it('starts redis, repo-server, controller and API server in that order, each by its binary name', () => {
    expect(plans.map((plan) => plan.name)).toEqual([
      'redis',
      'argocd-repo-server',
      'argocd-application-controller',
      'argocd-server',
    ]);
    for (const plan of plans.slice(1)) expect(plan.env.ARGOCD_BINARY_NAME).toBe(plan.name);
  });

  it('points every Argo CD process at the one redis and repo-server, on loopback', () => {
    for (const plan of plans.slice(1)) expect(plan.args.join(' ')).toContain('--redis 127.0.0.1:1');
    expect(plans[2].args.join(' ')).toContain('--repo-server 127.0.0.1:2');
    expect(plans[3].args.join(' ')).toContain('--repo-server 127.0.0.1:2');
    expect(plans[0].args.slice(0, 2)).toEqual(['--bind', '127.0.0.1']);
    expect(plans[3].args.join(' ')).toMatch(/--address 127\.0\.0\.1 --port 5 /);
  });

  it("makes the in-cluster destination the local cluster, as Argo CD's Procfile does", () => {
    for (const plan of plans.slice(1)) {
      expect(plan.env).toMatchObject({ ARGOCD_FAKE_IN_CLUSTER: 'true', KUBECONFIG: '/k' });
    }
    expect(plans[2].args).toContain('--namespace=argocd');
  });
});

describe('argocdConfigObjects', () => {
  const secrets = { serverSecretKey: 'k', adminPasswordHash: '$2a$10$h', adminPasswordMtime: '2026-12-02T00:00:00Z' };
  const { items } = argocdConfigObjects(secrets, 'http://127.0.0.1:5') as {
    items: { kind: string; metadata: { name: string; labels?: Record<string, string> }; [key: string]: unknown }[];
  };

  it('labels every setting part-of argocd, which is how Argo CD finds them', () => {
    for (const item of items.filter((candidate) => candidate.kind !== 'Namespace')) {
      expect(item.metadata.labels?.['app.kubernetes.io/part-of'], item.metadata.name).toBe('argocd');
    }
  });

  it('lets the admin account issue API tokens and holds the signing key and password hash', () => {
    const cm = items.find((item) => item.metadata.name === 'argocd-cm') as unknown as { data: Record<string, string> };
    expect(cm.data['accounts.admin']).toBe('apiKey, login');
    const secret = items.find((item) => item.metadata.name === 'argocd-secret') as unknown as {
      stringData: Record<string, string>;
    };
    expect(secret.stringData).toEqual({
      'server.secretkey': 'k',
      'admin.password': '$2a$10$h',
      'admin.passwordMtime': '2026-12-02T00:00:00Z',
    });
  });

  it('writes what the argocd CLI reads', () => {
    const file = argocdEnvFile('127.0.0.1:5', 't', 'http://127.0.0.1:7/berth');
    expect(file).toMatch(/^ARGOCD_SERVER=127\.0\.0\.1:5\nARGOCD_AUTH_TOKEN=t\nARGOCD_OPTS=--plaintext\n/m);
    expect(file).toMatch(/^BERTH_CLUSTER_REPO_URL=http:\/\/127\.0\.0\.1:7\/berth$/m);
  });
});
