// A push that fails never strands a commit: a hook's refusal is shown in the remote's words and the commit undone, a
// remote that is gone likewise; the next run pushes what waits; a detached HEAD is refused; commits that go along are named.
import { chmodSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { berthAsync, edit, git } from '../cli/workspace';
import { overlayValues, platform } from '../promote/support';

const promoteA = ['promote', 'service-a', '--to', 'stage', '--push'];
const state = (dir: string) => ({
  head: git(dir, 'rev-parse', 'HEAD'),
  status: git(dir, 'status', '--porcelain'),
  tag: overlayValues(dir, 'stage', 'service-a').image.tag,
});

describe('failed pushes', () => {
  it("a pre-receive hook refusal is shown in the remote's words, the commit is undone, and the next run pushes once the hook allows it", async () => {
    const { work, remote } = platform();
    const hook = join(remote, 'hooks/pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "main is frozen for the release: ask #platform" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const before = state(work);
    const refused = await berthAsync(work, ...promoteA);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      'berth: origin refused the push to main: pre-receive hook declined.\n  remote: main is frozen for the release: ask #platform\nberth undid its commit: the branch is as it was before.\nFix: ',
    );
    expect(state(work)).toEqual(before);
    expect(git(remote, 'rev-parse', 'main')).toBe(before.head);

    rmSync(hook);
    const next = await berthAsync(work, ...promoteA);
    expect(next.status, next.stderr).toBe(0);
    expect(next.stdout).toMatch(/promoted 1 service from dev to stage in commit [0-9a-f]{12}, pushed/);
    expect(git(remote, 'rev-parse', 'main')).toBe(git(work, 'rev-parse', 'HEAD'));
  });

  it("a remote that is gone fails with git's words and undoes the commit; back again, the next run pushes", async () => {
    const { work, remote } = platform();
    renameSync(remote, `${remote}.away`);
    const before = state(work);
    const gone = await berthAsync(work, 'pin', 'service-a', '--env', 'stage', '--reason', 'freeze', '--push');
    expect(gone.status).toBe(1);
    expect(gone.stderr).toMatch(
      /git push to origin main failed: fatal: '.*remote\.git' does not appear to be a git repository/,
    );
    expect(gone.stderr).toMatch(/berth undid its commit: the branch is as it was before\./);
    expect(state(work)).toEqual(before);
    renameSync(`${remote}.away`, remote);
    const next = await berthAsync(work, 'pin', 'service-a', '--env', 'stage', '--reason', 'freeze', '--push');
    expect(next.status, next.stderr).toBe(0);
    expect(git(remote, 'log', '-1', '--format=%s', 'main')).toBe('chore(stage): pin service-a at 1.4.2');
  });

  it('a commit made without --push is pushed by the next --push run of the command, instead of "already there"', async () => {
    const { work, remote } = platform();
    expect((await berthAsync(work, 'promote', 'service-a', '--to', 'stage', '--no-push')).status).toBe(0);
    const waiting = git(work, 'rev-parse', 'HEAD');
    const run = await berthAsync(work, ...promoteA);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/already there/);
    expect(run.stderr).toContain(
      `pushing 1 other local commit along: ${waiting.slice(0, 12)} chore(stage): promote service-a 1.4.3 from dev.`,
    );
    expect(git(remote, 'rev-parse', 'main')).toBe(waiting);
  });

  it('names the other local commits a push takes along', async () => {
    const { work, remote } = platform();
    edit(work, 'environments/stage/values.yaml', (text) => `${text}# a local note\n`);
    git(work, 'commit', '-qam', 'docs: a local note');
    const mine = git(work, 'rev-parse', 'HEAD');
    const run = await berthAsync(work, ...promoteA);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toBe(`berth: pushing 1 other local commit along: ${mine.slice(0, 12)} docs: a local note.\n`);
    expect(git(remote, 'rev-parse', 'main~1')).toBe(mine);
  });

  it('refuses --push from a detached HEAD before writing anything', async () => {
    const { work, remote } = platform();
    git(work, 'checkout', '-q', '--detach');
    const before = state(work);
    for (const args of [
      promoteA,
      ['pin', 'service-a', '--env', 'stage', '--push'],
      ['rollback', 'service-a', '--env', 'stage', '--push'],
    ]) {
      const run = await berthAsync(work, ...args);
      expect(run.status, args.join(' ')).toBe(1);
      expect(run.stderr).toMatch(
        /HEAD is detached, so there is no branch to push to\.\nFix: check out the branch Argo CD follows/,
      );
      expect(state(work)).toEqual(before);
    }
    expect(git(remote, 'for-each-ref', 'refs/heads/HEAD')).toBe(''); // never a branch named HEAD
  });
});
