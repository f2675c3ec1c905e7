// berth pin follows the rules it pins: the version must exist in the real Distribution registry (--force for one berth
// cannot reach), and prod, which takes changes by pull request, gets a pull request's branch, not a commit on main.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushImage, startRegistry, type RunningRegistry } from '../registry/support/registry';
import { berthAsync, git } from '../cli/workspace';
import { appYaml, NO_GITHUB, overlay, overlayValues, platform } from '../promote/support';

const unchanged = (dir: string) => ({
  head: git(dir, 'rev-parse', 'HEAD'),
  status: git(dir, 'status', '--porcelain'),
  app: appYaml(dir, 'service-a'),
  overlay: overlay(dir, 'prod', 'service-a'),
});

describe('berth pin', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
    for (const tag of ['1.4.1', '1.4.2', '1.4.3'])
      await pushImage(registry.url, 'service-a', tag, new Date(Date.UTC(2026, 10, 1)));
  });
  afterAll(async () => registry?.stop());

  it('refuses a version the registry does not have, naming the overlay, the field and the fix, and writes nothing', async () => {
    const { work } = platform(registry.host);
    const before = unchanged(work);
    const run = await berthAsync(work, 'pin', 'service-a', '--env', 'dev', '--version', '9.9.9');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `berth: environments/dev/service-a.yaml: image.tag: cannot pin 9.9.9: ${registry.host}/service-a has no tag 9.9.9, so service-a could not start with it (tags there include 1.4.3, 1.4.2, 1.4.1).`,
    );
    expect(run.stderr).toMatch(/Fix: pin a version that was pushed to .*; --force skips this check/);
    expect(unchanged(work)).toEqual(before);

    // a version the registry has is pinned (a local commit: dev takes changes by push)
    const pinned = await berthAsync(work, 'pin', 'service-a', '--env', 'dev', '--version', '1.4.1');
    expect(pinned.status, pinned.stderr).toBe(0);
    expect(pinned.stdout).toMatch(/^pinned service-a at 1\.4\.1 in dev \(commit [0-9a-f]{12}\)$/m);
    expect(overlayValues(work, 'dev', 'service-a').image.tag).toBe('1.4.1');
  });

  it('says to pass --force when the registry cannot be reached, and --force pins without asking', async () => {
    const { work } = platform('127.0.0.1:9'); // nothing listens on the discard port
    const before = unchanged(work);
    const run = await berthAsync(work, 'pin', 'service-a', '--env', 'dev', '--version', '1.4.2');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /environments\/dev\/service-a\.yaml: image\.tag: cannot pin 1\.4\.2: berth could not ask 127\.0\.0\.1:9\/service-a whether that image exists/,
    );
    expect(run.stderr).toMatch(/Fix: .*pass --force to pin without checking/);
    expect(unchanged(work)).toEqual(before);
    const forced = await berthAsync(work, 'pin', 'service-a', '--env', 'dev', '--version', '1.4.2', '--force');
    expect(forced.status, forced.stderr).toBe(0);
    expect(overlayValues(work, 'dev', 'service-a').image.tag).toBe('1.4.2');
    // the running version needs no question
    expect((await berthAsync(work, 'pin', 'service-b', '--env', 'dev', '--reason', 'hold')).status).toBe(0);
  });

  it('in prod (promotion.mode: pr) pushes a branch for a pull request and leaves main and the checkout alone; --push and --no-push override', async () => {
    const { work, remote } = platform(registry.host);
    const before = unchanged(work);
    const run = await berthAsync(
      { cwd: work, env: NO_GITHUB },
      'pin',
      'service-a',
      '--env',
      'prod',
      '--version',
      '1.4.2',
      '--reason',
      'INC-7',
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const branch = 'berth/pin/prod/service-a-1.4.2';
    expect(run.stdout).toContain('proposed: pin service-a at 1.4.2 in prod');
    expect(run.stdout).toMatch(
      new RegExp(`pushed branch ${branch} \\(commit [0-9a-f]{12}\\) for a pull request into main`),
    );
    expect(run.stdout).toContain(`Open a pull request from ${branch} into main.`);
    expect(unchanged(work)).toEqual(before);
    expect(git(remote, 'rev-parse', 'main')).toBe(before.head);
    expect(git(remote, 'rev-parse', `${branch}~1`)).toBe(before.head);
    expect(git(remote, 'log', '-1', '--format=%B', branch)).toContain(
      'chore(prod): pin service-a at 1.4.2\n\nBerth-Service: service-a\nBerth-Env: prod\nBerth-Action: pin\nBerth-From: 1.4.1\nBerth-To: 1.4.2\nBerth-Reason: INC-7',
    );
    expect(git(remote, 'show', '--name-only', '--format=', branch).split('\n').sort()).toEqual([
      'apps/service-a/app.yaml',
      'environments/prod/service-a.yaml',
    ]);
    expect(git(work, 'worktree', 'list').split('\n')).toHaveLength(1);

    // the version is checked in pr mode too
    const missing = await berthAsync(
      { cwd: work, env: NO_GITHUB },
      'pin',
      'service-a',
      '--env',
      'prod',
      '--version',
      '9.9.9',
    );
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/environments\/prod\/service-a\.yaml: image\.tag: cannot pin 9\.9\.9/);
    expect(git(remote, 'branch', '--list', 'berth/pin/prod/service-a-9.9.9')).toBe('');

    const local = await berthAsync(work, 'pin', 'service-a', '--env', 'prod', '--version', '1.4.3', '--no-push');
    expect(local.status, local.stderr).toBe(0);
    expect(git(work, 'log', '-1', '--format=%s')).toBe('chore(prod): pin service-a at 1.4.3');
    expect(git(remote, 'rev-parse', 'main')).toBe(before.head);
    const pushed = await berthAsync(work, 'unpin', 'service-a', '--env', 'prod', '--push');
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(pushed.stdout).toMatch(
      /unpinned service-a in prod; image updates move it again \(commit [0-9a-f]{12}, pushed\)/,
    );
    expect(git(remote, 'rev-parse', 'main')).toBe(git(work, 'rev-parse', 'HEAD'));
    expect((await berthAsync(work, 'pin', 'service-a', '--env', 'prod', '--push', '--pr')).stderr).toMatch(
      /--push and --pr contradict each other/,
    );
  });
});
