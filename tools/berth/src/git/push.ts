// Publishing commits to a shared remote: rebase on a rejected push and try again, so racing writers lose nothing.
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthError } from '../errors';
import { git, tryGit } from './run';

export interface PushOptions {
  remote?: string;
  branch: string;
  attempts?: number;
  /** First backoff; doubles each attempt, with jitter so racing writers spread out. */
  baseDelayMs?: number;
}

const REJECTED = /\[rejected\]|\[remote rejected\]|failed to push some refs|non-fast-forward|fetch first|cannot lock ref|incorrect old value/;

export type PushOutcome = { pushed: true; attempts: number } | { pushed: false; conflict: true };

/**
 * Pushes HEAD to the remote branch. A rejected push is followed by fetch + rebase and another try;
 * a rebase conflict (someone else changed the same lines) is aborted and reported as a conflict,
 * so the caller can recompute its change on the new base.
 */
export async function pushWithRebase(cwd: string, options: PushOptions): Promise<PushOutcome> {
  const remote = options.remote ?? 'origin';
  const attempts = options.attempts ?? 8;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const push = await tryGit(cwd, ['push', '--porcelain', remote, `HEAD:refs/heads/${options.branch}`]);
    if (push.exitCode === 0) return { pushed: true, attempts: attempt };
    if (!REJECTED.test(push.stderr + push.stdout)) {
      throw new BerthError(`git push to ${remote} ${options.branch} failed.\n${push.stderr.trim()}`, { fix: 'check the remote URL and the credentials git uses for it.' });
    }
    await git(cwd, ['fetch', '--quiet', remote, options.branch]);
    const rebase = await tryGit(cwd, ['rebase', '--quiet', 'FETCH_HEAD']);
    if (rebase.exitCode !== 0) {
      await tryGit(cwd, ['rebase', '--abort']);
      return { pushed: false, conflict: true };
    }
    const delay = (options.baseDelayMs ?? 100) * 2 ** (attempt - 1);
    await sleep(delay / 2 + Math.random() * delay);
  }
  throw new BerthError(`git push to ${remote} ${options.branch} was still rejected after ${attempts} attempts.`, { fix: 'many writers are pushing at once; run the command again.' });
}

/** Moves the current branch to the remote's tip, dropping local commits: only for a tree berth itself just changed. */
export async function resetToRemote(cwd: string, remote: string, branch: string): Promise<void> {
  await git(cwd, ['fetch', '--quiet', remote, branch]);
  await git(cwd, ['reset', '--quiet', '--hard', 'FETCH_HEAD']);
}

export async function currentBranch(cwd: string): Promise<string> {
  return (await git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
}

export async function isClean(cwd: string): Promise<boolean> {
  return (await git(cwd, ['status', '--porcelain', '--untracked-files=no'])).trim() === '';
}

export async function commitFiles(cwd: string, files: string[], message: string): Promise<string> {
  await git(cwd, ['add', '--', ...files]);
  await git(cwd, ['commit', '--quiet', '--no-verify', '-m', message, '--', ...files]);
  return (await git(cwd, ['rev-parse', 'HEAD'])).trim();
}
