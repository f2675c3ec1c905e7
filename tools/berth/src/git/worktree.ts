// A temporary checkout of a commit beside the user's own, so berth can commit and push a branch without touching theirs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, tryGit } from './run';

/** Runs `work` in a detached worktree at `revision` and removes the worktree afterwards, whatever happens. */
export async function withWorktree<T>(root: string, revision: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = join(mkdtempSync(join(tmpdir(), 'berth-worktree-')), 'tree');
  await git(root, ['worktree', 'add', '--quiet', '--detach', dir, revision]);
  try {
    return await work(dir);
  } finally {
    await tryGit(root, ['worktree', 'remove', '--force', dir]);
    rmSync(join(dir, '..'), { recursive: true, force: true });
    await tryGit(root, ['worktree', 'prune']);
  }
}
