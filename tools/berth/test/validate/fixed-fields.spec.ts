// Offline, berth validate refuses what the API server refuses of a live StatefulSet: a change to its claim templates,
// found by comparing the working tree with the revision Argo CD follows (here: the committed main).
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { berthAsync, committedExample, edit, git } from '../cli/workspace';

describe('berth validate: StatefulSet fields a live object keeps', () => {
  const dir = committedExample();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is clean when the tree is the revision Argo CD follows', async () => {
    const run = await berthAsync(dir, 'validate', '--env', 'dev', '--service', 'postgres');
    expect(run.stdout).not.toContain('[statefulset-fixed-fields]');
    expect(run.status, run.stdout).toBe(0);
  });

  it("refuses a new volume size for postgres, naming the field, both values and Argo CD users' fix", async () => {
    edit(dir, 'environments/dev/postgres.yaml', (text) => `${text}persistence:\n  size: 30Gi\n`);
    const run = await berthAsync(dir, 'validate', '--env', 'dev', '--service', 'postgres');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(
      '[statefulset-fixed-fields] dev > dev-postgres > StatefulSet/postgres > spec.volumeClaimTemplates[0].spec.resources.requests.storage: ' +
        'changes a field a live StatefulSet keeps (spec.volumeClaimTemplates[0].spec.resources.requests.storage: "20Gi" in main, "30Gi" here)',
    );
    expect(run.stdout).toMatch(/fix: .*kubectl delete statefulset postgres -n dev --cascade=orphan/);
  });

  it('accepts the change once it is committed on main: Argo CD has (tried to) apply it, validate compares with it', async () => {
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'postgres: 30Gi');
    const run = await berthAsync(dir, 'validate', '--env', 'dev', '--service', 'postgres');
    expect(run.stdout).not.toContain('[statefulset-fixed-fields]');
  });

  it('a change to what may change (the image) is no finding', async () => {
    edit(dir, 'environments/dev/postgres.yaml', (text) => text.replace(/tag: .*/, 'tag: "16.5"'));
    const run = await berthAsync(dir, 'validate', '--env', 'dev', '--service', 'postgres');
    expect(run.stdout).not.toContain('[statefulset-fixed-fields]');
    expect(run.status, run.stdout).toBe(0);
  });
});
