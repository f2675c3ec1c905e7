// One change to the repository as commits, optionally pushed: on a conflicting push the change is recomputed on the new base.
import { BerthError } from '../errors';
import { git } from './run';
import { commitFiles, currentBranch, isClean, pushWithRebase, resetToRemote } from './push';

export interface PlannedCommit {
  files: string[];
  message: string;
}

export interface TransactOptions {
  push?: boolean;
  remote?: string;
}

export interface Transaction<T> {
  result: T;
  commits: string[];
  pushed: boolean;
}

const ATTEMPTS = 5;

/**
 * `change` reads the repository, writes its files and returns the commits to make; it runs again from scratch
 * when another writer changed the same lines first, so nobody's update is lost.
 */
export async function transact<T>(root: string, options: TransactOptions, change: () => Promise<{ result: T; commits: PlannedCommit[] }>): Promise<Transaction<T>> {
  const remote = options.remote ?? 'origin';
  if (options.push && !(await isClean(root))) {
    throw new BerthError('the working tree has uncommitted changes, so berth cannot rebase its commit safely.', { fix: 'commit or stash them, or run without --push.' });
  }
  const branch = options.push ? await currentBranch(root) : '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const { result, commits } = await change();
    for (const commit of commits) await commitFiles(root, commit.files, commit.message);
    if (!options.push || commits.length === 0) return { result, commits: await lastCommits(root, commits.length), pushed: false };
    const outcome = await pushWithRebase(root, { remote, branch });
    if (outcome.pushed) return { result, commits: await lastCommits(root, commits.length), pushed: true };
    await resetToRemote(root, remote, branch);
  }
  throw new BerthError(`the push kept conflicting with other writers after ${ATTEMPTS} attempts.`, { fix: 'run the command again.' });
}

async function lastCommits(root: string, count: number): Promise<string[]> {
  if (count === 0) return [];
  return (await git(root, ['log', `-${count}`, '--format=%H'])).trim().split('\n').reverse();
}
