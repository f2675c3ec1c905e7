// The repair of a berth run that died halfway (kill -9, a CI timeout), read from its journal: a rebase it left in
// progress is aborted, files it wrote but did not commit go back to the committed version, and commits it made but did
// not push are handed on, to be pushed by this run or named as waiting.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BerthError } from '../errors';
import type { Journal, JournalData } from './journal';
import { sha256 } from './journal';
import { aheadOfRemote, describeCommits, isOwn, type OwnCommit } from './own-commits';
import { git, tryGit } from './run';

export interface RecoveryContext {
  push: boolean;
  remote: string;
  branch: string;
  notify: (line: string) => void;
}

/** A rebase or merge someone left unfinished in the checkout whose git folder is `gitDir`: berth neither commits on top of it nor cleans it up unless it is its own. */
export function unfinishedOperation(gitDir: string): 'rebase' | 'merge' | undefined {
  if (existsSync(join(gitDir, 'rebase-merge')) || existsSync(join(gitDir, 'rebase-apply'))) return 'rebase';
  if (existsSync(join(gitDir, 'MERGE_HEAD'))) return 'merge';
  return undefined;
}

/** The blob id of `path` in HEAD; undefined when HEAD has no such file. */
async function committedBlob(root: string, path: string): Promise<string | undefined> {
  const result = await tryGit(root, ['rev-parse', '--verify', '--quiet', `HEAD:${path}`]);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

/** Files the dead run wrote and did not commit go back to HEAD's version; a file changed since by someone else stays. */
async function restoreWrites(root: string, interrupted: JournalData, notify: (line: string) => void): Promise<void> {
  const restored: string[] = [];
  const left: string[] = [];
  for (const write of interrupted.writes) {
    const file = join(root, write.path);
    // a temporary file writeFileAtomic had not renamed yet
    for (const entry of existsSync(dirname(file)) ? readdirSync(dirname(file)) : []) {
      if (entry.startsWith(`.${basename(file)}.${interrupted.pid}.`) && entry.endsWith('.tmp'))
        rmSync(join(dirname(file), entry), { force: true });
    }
    const atHead = await committedBlob(root, write.path);
    const onDisk = existsSync(file) ? (await git(root, ['hash-object', '--', write.path])).trim() : undefined;
    const staged = (await git(root, ['diff', '--cached', '--name-only', '--', write.path])).trim() !== '';
    if (onDisk === atHead && !staged) continue;
    if (onDisk !== undefined && sha256(readFileSync(file)) !== write.sha256) {
      left.push(write.path);
      continue;
    }
    await git(root, ['reset', '--quiet', '--', write.path]);
    if (atHead === undefined) rmSync(file, { force: true });
    else await git(root, ['checkout', 'HEAD', '--', write.path]);
    restored.push(write.path);
  }
  if (restored.length)
    notify(
      `an interrupted berth run (pid ${interrupted.pid}) had written ${restored.join(', ')} without committing; restored ${restored.length === 1 ? 'it' : 'them'} to the committed version.`,
    );
  if (left.length)
    notify(
      `left ${left.join(', ')} as ${left.length === 1 ? 'it is' : 'they are'}: changed since an interrupted berth run wrote ${left.length === 1 ? 'it' : 'them'}.`,
    );
}

/** Puts back what `interrupted` left unfinished in the checkout: its rebase, the files it wrote and did not commit. */
export async function repairInterrupted(
  root: string,
  journal: Journal,
  interrupted: JournalData,
  notify: (line: string) => void,
): Promise<void> {
  if (interrupted.state === 'rebasing' && unfinishedOperation(journal.gitDir) === 'rebase') {
    await git(root, ['rebase', '--abort']);
    notify(`aborted the rebase an interrupted berth run (pid ${interrupted.pid}) left in progress.`);
  }
  await restoreWrites(root, interrupted, notify);
  journal.update({ state: 'idle', writes: [] });
}

/**
 * The commits `interrupted` made and did not push: returned for this run to push as its own when it pushes to the same
 * branch, otherwise named as waiting. The journal ends up describing exactly the ones returned.
 */
export async function adoptStranded(
  root: string,
  journal: Journal,
  interrupted: JournalData,
  context: RecoveryContext,
): Promise<OwnCommit[]> {
  if (!interrupted.commits.length || !interrupted.push || !interrupted.branch) {
    journal.update({ commits: [] });
    return [];
  }
  const ahead = await aheadOfRemote(root, interrupted.remote, interrupted.branch);
  const stranded = ahead.filter((commit) => isOwn(commit, interrupted.commits));
  if (!stranded.length) {
    journal.update({ commits: [] });
    return [];
  }
  const what = `${stranded.length === 1 ? 'commit' : 'commits'} ${describeCommits(stranded)} of an interrupted berth run`;
  if (context.push && context.remote === interrupted.remote && context.branch === interrupted.branch) {
    context.notify(`pushing ${what}, which never reached ${interrupted.remote}/${interrupted.branch}.`);
    const own = stranded.map(({ sha, message }) => ({ sha, message }));
    journal.update({ state: 'committed', commits: own });
    return own;
  }
  context.notify(
    `${what} ${stranded.length === 1 ? 'is' : 'are'} not on ${interrupted.remote}/${interrupted.branch} yet: run berth with --push, or git push.`,
  );
  journal.update({ commits: [] });
  return [];
}

export function unfinishedError(operation: 'rebase' | 'merge'): BerthError {
  return new BerthError(`a ${operation} is in progress in this checkout, and it is not berth's.`, {
    fix: `finish it (git ${operation} --continue) or abort it (git ${operation} --abort), then run the command again.`,
  });
}
