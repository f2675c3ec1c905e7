// berth killed (SIGKILL, a real process) at each point of a transaction: after writing, after staging, after committing,
// during the rebase onto a remote that moved (stopped on a conflict, or done), after pushing. The next run of the same
// command repairs what it left: its own files recognised and restored, the rebase aborted, the stranded commit pushed,
// nothing blamed on the user, nothing lost, no duplicate.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushImage, startRegistry, type RunningRegistry } from '../registry/support/registry';
import { berthAsync, git, type Run } from '../cli/workspace';
import { overlayValues, platform, setTag } from '../promote/support';

const journal = (dir: string) => join(dir, '.git/berth/transaction.json');
const killedAt = (dir: string, point: string, ...args: string[]) =>
  berthAsync({ cwd: dir, env: { BERTH_TEST_KILL_AT: point } }, ...args);
const PROMOTE_A = ['promote', 'service-a', '--to', 'stage', '--push'];
const subjects = (dir: string, ref = 'main') => git(dir, 'log', '--format=%s', ref).split('\n');
const rebaseInProgress = (dir: string) =>
  existsSync(join(dir, '.git/rebase-merge')) || existsSync(join(dir, '.git/rebase-apply'));

function expectKilled(run: Run) {
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(-1); // no exit code: killed by a signal
}

function expectRepaired(dir: string, remote: string, run: Run) {
  expect(run.status, run.stderr).toBe(0);
  expect(git(dir, 'status', '--porcelain')).toBe('');
  expect(existsSync(journal(dir))).toBe(false);
  expect(rebaseInProgress(dir)).toBe(false);
  expect(git(remote, 'rev-parse', 'main')).toBe(git(dir, 'rev-parse', 'HEAD'));
  expect(
    subjects(remote).filter((subject) => subject === 'chore(stage): promote service-a 1.4.3 from dev'),
  ).toHaveLength(1);
  expect(overlayValues(dir, 'stage', 'service-a').image.tag).toBe('1.4.3');
}

describe('a berth run killed halfway is repaired by the next', () => {
  it.each(['written', 'staged'])(
    "killed after the files were %s: the next run recognises them as berth's, restores them, and makes the change",
    async (point) => {
      const { work, remote } = platform();
      expectKilled(await killedAt(work, point, ...PROMOTE_A));
      expect(git(work, 'status', '--porcelain')).toContain('environments/stage/service-a.yaml'); // berth's half-done write
      expect(existsSync(journal(work))).toBe(true);
      const next = await berthAsync(work, ...PROMOTE_A);
      expect(next.stderr).not.toMatch(/uncommitted changes/);
      expect(next.stderr).toMatch(
        /an interrupted berth run \(pid \d+\) had written .*environments\/stage\/service-a\.yaml.* without committing; restored them to the committed version/,
      );
      expect(next.stdout).toMatch(/promoted 1 service from dev to stage in commit [0-9a-f]{12}, pushed/);
      expectRepaired(work, remote, next);
    },
  );

  it('killed after committing: the next run pushes the stranded commit instead of saying "already there"', async () => {
    const { work, remote } = platform();
    const before = git(remote, 'rev-parse', 'main');
    expectKilled(await killedAt(work, 'committed', ...PROMOTE_A));
    expect(git(remote, 'rev-parse', 'main')).toBe(before);
    const next = await berthAsync(work, ...PROMOTE_A);
    expect(next.stderr).toMatch(
      /pushing commit [0-9a-f]{12} chore\(stage\): promote service-a 1\.4\.3 from dev of an interrupted berth run, which never reached origin\/main/,
    );
    expect(next.stdout).toMatch(/already there/);
    expect(next.stdout).toMatch(/nothing to promote from dev to stage: no commit; pushed 1 commit that was waiting/);
    expectRepaired(work, remote, next);
  });

  it('killed while a rebase stopped on a conflict: the next run aborts it, drops the conflicting commit and recomputes on the new base', async () => {
    const gitops = platform();
    const { work, remote } = gitops;
    const other = gitops.clone('other');
    setTag(other, 'stage', 'service-a', '1.4.0', true); // the same line, changed by someone else first
    expectKilled(await killedAt(work, 'rebase-conflict', ...PROMOTE_A));
    expect(rebaseInProgress(work)).toBe(true);
    const next = await berthAsync(work, ...PROMOTE_A);
    expect(next.stderr).toMatch(/aborted the rebase an interrupted berth run \(pid \d+\) left in progress/);
    expect(next.stderr).toMatch(
      /dropped [0-9a-f]{12} chore\(stage\): promote service-a 1\.4\.3 from dev of an interrupted run: it conflicts with what origin\/main has now/,
    );
    expectRepaired(work, remote, next);
    expect(git(remote, 'log', '-1', '--format=%B', 'main')).toContain('Berth-From: 1.4.0\nBerth-To: 1.4.3'); // recomputed from what stage ran then
    expect(git(remote, 'rev-list', '--merges', '--count', 'main')).toBe('0');
  });

  it.each(['rebasing', 'rebased'])(
    'killed while %s onto a remote that moved: the next run pushes the commit once',
    async (point) => {
      const gitops = platform();
      const { work, remote } = gitops;
      const other = gitops.clone('other');
      setTag(other, 'stage', 'service-b', '2.0.4', true); // another file: the rebase is clean
      expectKilled(await killedAt(work, point, ...PROMOTE_A));
      const next = await berthAsync(work, ...PROMOTE_A);
      expect(next.stderr).toMatch(
        /pushing commit [0-9a-f]{12} chore\(stage\): promote service-a 1\.4\.3 from dev of an interrupted berth run/,
      );
      expectRepaired(work, remote, next);
      expect(overlayValues(work, 'stage', 'service-b').image.tag).toBe('2.0.4');
      expect(git(remote, 'rev-list', '--merges', '--count', 'main')).toBe('0');
    },
  );

  it('killed after pushing: the next run finds the remote has it and says so truthfully', async () => {
    const { work, remote } = platform();
    expectKilled(await killedAt(work, 'pushed', ...PROMOTE_A));
    expect(git(remote, 'rev-parse', 'main')).toBe(git(work, 'rev-parse', 'HEAD'));
    const next = await berthAsync(work, ...PROMOTE_A);
    expect(next.stdout).toMatch(/nothing to promote from dev to stage: no commit/);
    expectRepaired(work, remote, next);
  });
});

describe('image-update killed after committing', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
    await pushImage(registry.url, 'service-a', '1.4.4', new Date(Date.UTC(2026, 10, 1)));
  });
  afterAll(async () => registry?.stop());

  it('the next pass pushes the bump that was waiting; "up to date" only once the remote has it', async () => {
    const { work, remote } = platform(registry.host);
    expectKilled(await killedAt(work, 'committed', 'image-update', '--service', 'service-a', '--push'));
    expect(git(remote, 'show', 'main:environments/dev/service-a.yaml')).toContain('"1.4.3"');
    const next = await berthAsync(work, 'image-update', '--service', 'service-a', '--push');
    expect(next.status, next.stderr).toBe(0);
    expect(next.stderr).toMatch(
      /pushing commit [0-9a-f]{12} chore\(dev\): bump service-a to 1\.4\.4 of an interrupted berth run/,
    );
    expect(git(remote, 'show', 'main:environments/dev/service-a.yaml')).toContain('"1.4.4"');
    expect(git(remote, 'rev-parse', 'main')).toBe(git(work, 'rev-parse', 'HEAD'));
    expect(subjects(remote).filter((subject) => subject.startsWith('chore(dev): bump'))).toEqual([
      'chore(dev): bump service-a to 1.4.4',
    ]);
  });
});
