// One change to the repository as commits, optionally pushed, crash-safe: a journal under .git/berth/ lets the next run
// repair a run that died halfway; a failed push undoes the commit; a rebased commit's Berth-* blocks stay true.
import { join } from 'node:path';
import { BerthError } from '../errors';
import { secretsInText } from '../secrets/detect';
import { writeFileAtomic } from '../util/fs';
import { faultPoint } from './fault';
import { gitDirOf, Journal, sha256 } from './journal';
import { aheadOfRemote, describeCommits, isOwn, type LocalCommit, type OwnCommit } from './own-commits';
import { checkedOutBranch, commitStaged, isClean, pushWithRebase, stageFiles } from './push';
import { adoptStranded, repairInterrupted, unfinishedError, unfinishedOperation } from './recover';
import { makeRebasedCommitsHonest } from './rewrite';
import { git, tryGit } from './run';

export interface PlannedCommit {
  /** Repository-relative path -> new content; transact writes them (atomically) and commits exactly these files. */
  writes: Map<string, string>;
  message: string;
}

export interface TransactOptions {
  push?: boolean;
  remote?: string;
  /** Where berth says what it repaired or what goes along with its push; stderr by default. */
  notify?: (line: string) => void;
}

export interface Transaction<T> {
  result: T;
  /** The commits this run made, as they are on the branch now. */
  commits: string[];
  /** Whether the push reached the remote: this run's commits, or commits that were waiting. */
  pushed: boolean;
  /** Other local commits the push took along (not this run's own), oldest first. */
  carried: string[];
  /** Commits of an interrupted run that this run pushed, as they are on the branch now. */
  resumed: string[];
}

const ATTEMPTS = 5;

/**
 * The one place a commit message berth writes is finalised: every commit transact makes, every message it rewrites
 * after a rebase, and the pull-request commit of promote and pin. Checks on what a message may say belong here.
 */
export function finalCommitMessage(message: string): string {
  const hits = secretsInText(message);
  if (hits.length) {
    throw new BerthError(
      `the commit message berth would write holds ${hits.map((hit) => hit.what).join(', ')}; git history keeps it forever.`,
      {
        field: 'commit message',
        fix: 'take the secret out of what you passed (a --reason text, a tag); keep secrets in AWS Secrets Manager. berth changed nothing.',
      },
    );
  }
  return message.endsWith('\n') ? message : `${message}\n`;
}

const toStderr = (line: string) => void process.stderr.write(`berth: ${line}\n`);

/** Tracked files with uncommitted changes: a commit of berth's must not take someone's edits along. */
async function dirtyFiles(root: string): Promise<Set<string>> {
  const status = await git(root, ['status', '--porcelain=v1', '-z', '--untracked-files=no']);
  return new Set(
    status
      .split('\0')
      .filter(Boolean)
      .map((entry) => entry.slice(3)),
  );
}

async function head(root: string): Promise<string> {
  return (await git(root, ['rev-parse', 'HEAD'])).trim();
}

/**
 * Writes and commits the planned commits, journaling each step so a crash at any point can be repaired; each commit
 * is added to `made` as soon as it exists, so a failure halfway can undo the ones before it.
 */
async function commitPlanned(
  root: string,
  journal: Journal,
  planned: PlannedCommit[],
  adopted: OwnCommit[],
  made: OwnCommit[],
): Promise<void> {
  // every message is checked before the first file is written
  for (const commit of planned) finalCommitMessage(commit.message);
  for (const commit of planned) {
    const message = finalCommitMessage(commit.message);
    const files = [...commit.writes.keys()];
    journal.update({
      state: 'writing',
      writes: [...commit.writes].map(([path, content]) => ({ path, sha256: sha256(content) })),
      commits: [...adopted, ...made, { sha: '', message }],
    });
    for (const [path, content] of commit.writes) writeFileAtomic(join(root, path), content);
    faultPoint('written');
    await stageFiles(root, files);
    faultPoint('staged');
    made.push({ sha: await commitStaged(root, files, message), message });
    journal.update({ state: 'committed', writes: [], commits: [...adopted, ...made] });
  }
  if (made.length) faultPoint('committed');
}

/** Puts back what this run wrote and committed but did not push, after a failure; the error then says so. */
async function undo(
  root: string,
  journal: Journal,
  mine: OwnCommit[],
  base: string | undefined,
): Promise<string | undefined> {
  const current = await head(root);
  const top = mine.length ? (await git(root, ['rev-list', `-${mine.length}`, 'HEAD'])).trim().split('\n') : [];
  const stacked = mine.length > 0 && top.length === mine.length && mine.every((commit) => top.includes(commit.sha));
  for (const write of journal.data.writes) {
    // written, not committed: back to the committed version (transact refused files with edits, so these are berth's)
    await tryGit(root, ['reset', '--quiet', '--', write.path]);
    const atHead = await tryGit(root, ['rev-parse', '--verify', '--quiet', `HEAD:${write.path}`]);
    if (atHead.exitCode === 0) await tryGit(root, ['checkout', 'HEAD', '--', write.path]);
    else await tryGit(root, ['rm', '--quiet', '--force', '--ignore-unmatch', '--', write.path]);
  }
  if (!stacked)
    return mine.length && current !== base
      ? `berth's ${mine.length === 1 ? 'commit' : 'commits'} ${mine.map((commit) => commit.sha.slice(0, 12)).join(', ')} stay on the branch, not pushed.`
      : undefined;
  await git(root, ['reset', '--quiet', '--hard', `HEAD~${mine.length}`]);
  return `berth undid its commit${mine.length === 1 ? '' : 's'}: the branch is as it was before.`;
}

/**
 * `change` reads the repository and returns the commits to make (files and contents); transact refuses when one of
 * those files has uncommitted edits, writes them, commits, and pushes. On a conflicting push the change runs again
 * from scratch on the new base, so nobody's update is lost. A push that cannot succeed undoes the commits, so none is
 * stranded; a run killed halfway is repaired by the next one from the journal.
 */
export async function transact<T>(
  root: string,
  options: TransactOptions,
  change: () => Promise<{ result: T; commits: PlannedCommit[] }>,
): Promise<Transaction<T>> {
  const remote = options.remote ?? 'origin';
  const notify = options.notify ?? toStderr;
  const push = Boolean(options.push);
  const { journal, interrupted } = Journal.open(await gitDirOf(root), { push, remote, branch: '' });
  let mine: OwnCommit[] = [];
  let base: string | undefined;
  try {
    // a rebase the dead run left leaves HEAD detached: repaired before the branch is read
    if (interrupted) await repairInterrupted(root, journal, interrupted, notify);
    const branch = push ? await checkedOutBranch(root) : '';
    if (branch === undefined) {
      throw new BerthError('HEAD is detached, so there is no branch to push to.', {
        fix: 'check out the branch Argo CD follows (git switch main), then run the command again; or run without --push.',
      });
    }
    journal.update({ branch });
    // commits of an interrupted run that this run pushes along, as berth's own
    let adopted = interrupted ? await adoptStranded(root, journal, interrupted, { push, remote, branch, notify }) : [];
    const unfinished = unfinishedOperation(journal.gitDir);
    if (unfinished) throw unfinishedError(unfinished);
    if (push && !(await isClean(root))) {
      throw new BerthError('the working tree has uncommitted changes, so berth cannot rebase its commit safely.', {
        fix: 'commit or stash them, or run without --push.',
      });
    }
    const dirty = await dirtyFiles(root);
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const { result, commits } = await change();
      const edited = commits.flatMap((commit) => [...commit.writes.keys()]).filter((path) => dirty.has(path));
      if (edited.length) {
        throw new BerthError(
          `${edited.join(', ')} ${edited.length === 1 ? 'has' : 'have'} uncommitted changes that berth's commit would take along.`,
          {
            fix: 'commit or stash them first; berth changed nothing.',
          },
        );
      }
      base = await head(root);
      mine = [];
      await commitPlanned(root, journal, commits, adopted, mine);
      if (!push) return { result, commits: mine.map((commit) => commit.sha), pushed: false, carried: [], resumed: [] };

      let own = [...adopted, ...mine];
      const ahead = await aheadOfRemote(root, remote, branch);
      // "up to date" only when the remote has it: berth's commits that are waiting go now, with whatever lies under them
      if (!ahead.some((commit) => commit.berth || isOwn(commit, own)))
        return { result, commits: mine.map((commit) => commit.sha), pushed: false, carried: [], resumed: [] };
      const carried: LocalCommit[] = ahead.filter((commit) => !isOwn(commit, own));
      if (carried.length)
        notify(
          `pushing ${carried.length} other local commit${carried.length === 1 ? '' : 's'} along: ${describeCommits(carried)}.`,
        );
      const outcome = await pushWithRebase(root, {
        remote,
        branch,
        onRebasing: () => journal.update({ state: 'rebasing' }),
        onRebased: async (upstream) => {
          own = await makeRebasedCommitsHonest(root, upstream, own, finalCommitMessage);
          mine = own.filter((commit) => !isOwn(commit, adopted));
          adopted = own.filter((commit) => isOwn(commit, adopted));
          journal.update({ state: 'committed', commits: own });
        },
      });
      if (outcome.pushed) {
        faultPoint('pushed');
        return {
          result,
          commits: mine.map((commit) => commit.sha),
          pushed: true,
          carried: carried.map((commit) => commit.sha),
          resumed: adopted.map((commit) => commit.sha),
        };
      }
      // conflict: drop berth's own commits, put any others on the remote's tip, and recompute the change there
      await git(root, ['reset', '--quiet', '--hard', `HEAD~${own.length}`]);
      const dropped = adopted;
      mine = [];
      adopted = [];
      const rebase = await tryGit(root, ['rebase', '--quiet', `refs/remotes/${remote}/${branch}`]);
      if (rebase.exitCode !== 0) {
        await tryGit(root, ['rebase', '--abort']);
        throw new BerthError(
          `your local commits ${describeCommits(carried)} conflict with ${remote}/${branch}, so berth cannot put its change on top.`,
          {
            fix: `rebase them yourself (git pull --rebase ${remote} ${branch}), then run the command again; berth's change was not committed.`,
            cause: rebase.failure,
          },
        );
      }
      if (dropped.length)
        notify(
          `dropped ${describeCommits(dropped.map((commit) => ({ ...commit, subject: commit.message.split('\n')[0], berth: true })))} of an interrupted run: it conflicts with what ${remote}/${branch} has now; run that command again.`,
        );
      journal.update({ state: 'idle', writes: [], commits: [] });
    }
    throw new BerthError(`the push kept conflicting with other writers after ${ATTEMPTS} attempts.`, {
      fix: 'run the command again.',
    });
  } catch (error) {
    const undone = await undo(root, journal, mine, base).catch(() => undefined);
    if (undone && error instanceof BerthError) {
      throw new BerthError(`${error.problem}\n${undone}`, {
        file: error.file,
        field: error.field,
        fix: error.fix,
        cause: error,
      });
    }
    throw error;
  } finally {
    journal.close();
  }
}
