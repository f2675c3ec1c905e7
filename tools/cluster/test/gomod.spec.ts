// tools/cluster/go.mod is what scripts/pin-versions.sh makes of k8s.io/kubernetes's published go.mod: regenerated
// in a copy of the module, it comes out byte for byte the same, so nobody edited it by hand.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
