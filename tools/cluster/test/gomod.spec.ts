// tools/cluster/go.mod is what scripts/pin-versions.sh makes of k8s.io/kubernetes's published go.mod: regenerated
// in a copy of the module, it comes out byte for byte the same, so nobody edited it by hand.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { argocdBuild } from '../src/argocd-plan';
import { readComponentVersions } from '../src/versions';

const MODULE = resolve(__dirname, '..');
const copy = mkdtempSync(join(tmpdir(), 'berth-gomod-'));

describe('tools/cluster/go.mod', () => {
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('is what pin-versions.sh generates for the versions it pins', () => {
    for (const part of ['scripts', 'cmd', 'go.mod']) cpSync(join(MODULE, part), join(copy, part), { recursive: true });
    const { kubernetes, etcd, kwok } = readComponentVersions();
    const run = spawnSync('bash', [join(copy, 'scripts/pin-versions.sh'), kubernetes, etcd, kwok], {
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(copy, 'go.mod'), 'utf8')).toBe(readFileSync(join(MODULE, 'go.mod'), 'utf8'));
    expect(readFileSync(join(copy, 'go.sum'), 'utf8')).toBe(readFileSync(join(MODULE, 'go.sum'), 'utf8'));
  });

  it('replaces every staging module by the release that pairs with Kubernetes v1.N.P', () => {
    const goMod = readFileSync(join(MODULE, 'go.mod'), 'utf8');
    const { kubernetes } = readComponentVersions();
    const replaces = [...goMod.matchAll(/^\s+(k8s\.io\/[\w-]+) => (k8s\.io\/[\w-]+) (v\S+)$/gm)];
    expect(replaces.length).toBeGreaterThan(25);
    for (const [, from, to, version] of replaces) {
      expect(to).toBe(from);
      expect(version).toBe(`v0.${kubernetes.split('.').slice(1).join('.')}`);
    }
  });

  it('refuses a version that is not a release, before touching go.mod', () => {
    const run = spawnSync('bash', [join(copy, 'scripts/pin-versions.sh'), '1.36.3; rm -rf /', '3.6.13', '0.8.0'], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/is not a release like 1\.36\.3/);
    expect(readFileSync(join(copy, 'go.mod'), 'utf8')).toBe(readFileSync(join(MODULE, 'go.mod'), 'utf8'));
  });
});

describe('tools/cluster/argocd/go.mod', () => {
  const argocdCopy = mkdtempSync(join(tmpdir(), 'berth-argocd-gomod-'));
  afterAll(() => rmSync(argocdCopy, { recursive: true, force: true }));

  it("is what pin-argocd.sh generates from Argo CD's published go.mod, and the Helm it pins", () => {
    const goMod = readFileSync(join(MODULE, 'argocd/go.mod'), 'utf8');
    const { version, toolchain } = argocdBuild(goMod);
    cpSync(join(MODULE, 'scripts'), join(argocdCopy, 'scripts'), { recursive: true });
    cpSync(join(MODULE, 'argocd/go.mod'), join(argocdCopy, 'argocd/go.mod'), { recursive: true });
    const run = spawnSync('bash', [join(argocdCopy, 'scripts/pin-argocd.sh'), version], {
      encoding: 'utf8',
      env: { ...process.env, GOTOOLCHAIN: toolchain ?? 'local' },
    });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(argocdCopy, 'argocd/go.mod'), 'utf8')).toBe(goMod);
    for (const file of ['argocd/go.sum', 'helm/go.mod', 'helm/go.sum']) {
      expect(readFileSync(join(argocdCopy, file), 'utf8'), file).toBe(readFileSync(join(MODULE, file), 'utf8'));
    }
  });

  it("keeps Argo CD's replaces but not the one to a folder its module zip leaves out", () => {
    const goMod = readFileSync(join(MODULE, 'argocd/go.mod'), 'utf8');
    expect(goMod).toMatch(/^\tk8s\.io\/client-go => k8s\.io\/client-go v0\.\d+\.\d+$/m);
    expect(goMod).not.toMatch(/=> \.\//);
    expect(goMod).toMatch(/^\tgithub\.com\/argoproj\/argo-cd\/gitops-engine\/v3 v3\.\d+\.\d+/m);
  });
});
