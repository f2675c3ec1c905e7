// One change to the repository as commits, optionally pushed: on a conflicting push the change is recomputed on the new base.
import { join } from 'node:path';
import { BerthError } from '../errors';
import { writeFileAtomic } from '../util/fs';
import { git } from './run';
import { commitFiles, currentBranch, isClean, pushWithRebase, resetToRemote } from './push';

export interface PlannedCommit {
  /** Repository-relative path -> new content; transact writes them (atomically) and commits exactly these files. */
  writes: Map<string, string>;
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

/** Tracked files with uncommitted changes: a commit of berth's must not take someone's edits along. */
async function dirtyFiles(root: string): Promise<Set<string>> {
  const status = await git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=no']);
  return new Set(status.split('\0').filter(Boolean).map((entry) => entry.slice(3)));
}

/**
 * `change` reads the repository and returns the commits to make (files and contents); transact refuses when one of
 * those files has uncommitted edits, writes them, commits, and pushes. On a conflicting push the change runs again
 * from scratch on the new base, so nobody's update is lost.
 */
export async function transact<T>(root: string, options: TransactOptions, change: () => Promise<{ result: T; commits: PlannedCommit[] }>): Promise<Transaction<T>> {
  const remote = options.remote ?? 'origin';
  if (options.push && !(await isClean(root))) {
    throw new BerthError('the working tree has uncommitted changes, so berth cannot rebase its commit safely.', { fix: 'commit or stash them, or run without --push.' });
  }
  const branch = options.push ? await currentBranch(root) : '';
  const dirty = await dirtyFiles(root);
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const { result, commits } = await change();
    const edited = commits.flatMap((commit) => [...commit.writes.keys()]).filter((path) => dirty.has(path));
    if (edited.length) {
      throw new BerthError(`${edited.join(', ')} ${edited.length === 1 ? 'has' : 'have'} uncommitted changes that berth's commit would take along.`, {
        fix: 'commit or stash them first; berth changed nothing.',
      });
    }
    for (const commit of commits) {
      for (const [path, content] of commit.writes) writeFileAtomic(join(root, path), content);
      await commitFiles(root, [...commit.writes.keys()], commit.message);
    }
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
