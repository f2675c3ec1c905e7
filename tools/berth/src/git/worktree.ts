// A temporary checkout of a commit beside the user's own: berth reads an old revision (diff) or commits and pushes a
// branch (promotion by pull request) there without touching the user's checkout, index or edits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanUpOnInterrupt } from '../util/interrupt';
import { makeScratchDir } from '../util/scratch';
import { git, tryGit, tryGitSync } from './run';

export interface Worktree {
  /** The checkout's top folder. */
  dir: string;
  /** Removes the folder and unregisters the worktree from the repository. */
  remove(): Promise<void>;
}

async function addIn(top: string, scratch: string, revision: string): Promise<Worktree> {
  const dir = join(scratch, 'tree');
  // interrupted, the folder goes and prune unregisters the worktree whose folder is gone
  const forget = cleanUpOnInterrupt(() => {
    rmSync(scratch, { recursive: true, force: true });
    tryGitSync(top, ['worktree', 'prune']);
  });
  const remove = async () => {
    const result = await tryGit(top, ['worktree', 'remove', '--force', dir]);
    rmSync(scratch, { recursive: true, force: true });
    if (result.exitCode !== 0) await tryGit(top, ['worktree', 'prune']);
    forget();
  };
  try {
    // no hooks: a post-checkout hook of the user's must not run for berth's scratch checkout
    await git(top, [
      '-c',
      'core.hooksPath=/dev/null',
      '-c',
      'advice.detachedHead=false',
      'worktree',
      'add',
      '--detach',
      '--quiet',
      dir,
      revision,
    ]);
  } catch (error) {
    await remove();
    throw error;
  }
  return { dir, remove };
}

/**
 * Checks `revision` out as a detached worktree. On tmpfs when there is one (writing a thousand files there takes a
 * tenth of the time on a busy disk); should tmpfs be too small for the repository, the system temporary folder is tried.
 */
export async function addWorktree(root: string, revision: string): Promise<Worktree> {
  const top = (await git(root, ['rev-parse', '--show-toplevel'])).trim();
  try {
    return await addIn(top, makeScratchDir('berth-worktree-'), revision);
  } catch {
    return addIn(top, mkdtempSync(join(tmpdir(), 'berth-worktree-')), revision);
  }
}

/** Runs `work` in a detached worktree at `revision` and removes the worktree afterwards, whatever happens. */
export async function withWorktree<T>(root: string, revision: string, work: (dir: string) => Promise<T>): Promise<T> {
  const worktree = await addWorktree(root, revision);
  try {
    return await work(worktree.dir);
  } finally {
    await worktree.remove();
  }
}
