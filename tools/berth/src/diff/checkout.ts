// The base side of a diff: which commit to compare with, and that commit as a scratch git worktree.
import { join } from 'node:path';
import { BerthError } from '../errors';
import { git, tryGit } from '../git/run';
import { addWorktree } from '../git/worktree';

export interface BaseRevision {
  /** What the base was named by: the --base argument, or the ref berth chose. */
  ref: string;
  /** The full commit id. */
  commit: string;
  /** How it was chosen, for the report's first line: "--base v1.2", "merge-base of HEAD and origin/main". */
  reason: string;
}

export interface Checkout {
  /** The workspace root inside the checkout (the worktree, or the folder in it the workspace lives in). */
  root: string;
  remove(): Promise<void>;
}

const commitOf = async (cwd: string, ref: string) => {
  const result = await tryGit(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
};

/**
 * The commit to compare the working tree with. Named: that commit. Otherwise the merge-base of HEAD with the
 * branch Argo CD follows (berth.yaml `revision`), preferring its remote-tracking branch, since that is what
 * Argo CD has applied; so a feature branch is compared with where it forked, and the revision branch itself
 * with what was pushed. No such branch (a fresh repository): HEAD, so the diff shows uncommitted changes.
 */
export async function resolveBase(root: string, revision: string, named?: string): Promise<BaseRevision> {
  const gitDir = await tryGit(root, ['rev-parse', '--git-dir']);
  if (gitDir.exitCode !== 0) {
    throw new BerthError(`${root} is not in a git repository; berth diff compares it with a commit.`, {
      fix: 'run it in a clone of the GitOps repository.',
      cause: gitDir.failure,
    });
  }
  if (named !== undefined) {
    const commit = await commitOf(root, named);
    if (!commit) {
      throw new BerthError(`--base ${named} names no commit in this repository.`, {
        field: '--base',
        fix: `name a branch, tag or commit; if it exists on the remote only, fetch it first (git fetch origin ${named}).`,
      });
    }
    return { ref: named, commit, reason: `--base ${named}` };
  }
  const head = await commitOf(root, 'HEAD');
  if (!head)
    throw new BerthError('the repository has no commit to compare with.', {
      fix: 'commit the workspace first, or pass --base.',
    });
  const upstream = await tryGit(root, ['rev-parse', '--abbrev-ref', '--end-of-options', `${revision}@{upstream}`]);
  const candidates = [...(upstream.exitCode === 0 ? [upstream.stdout.trim()] : []), `origin/${revision}`, revision];
  for (const candidate of new Set(candidates)) {
    if (!(await commitOf(root, candidate))) continue;
    const mergeBase = await tryGit(root, ['merge-base', 'HEAD', candidate]);
    if (mergeBase.exitCode !== 0) {
      throw new BerthError(`HEAD and ${candidate} have no common commit (is this a shallow clone?).`, {
        field: '--base',
        fix: `fetch the history (git fetch --unshallow, or actions/checkout with fetch-depth: 0), or pass --base ${candidate}.`,
        cause: mergeBase.failure,
      });
    }
    return { ref: candidate, commit: mergeBase.stdout.trim(), reason: `merge-base of HEAD and ${candidate}` };
  }
  return { ref: 'HEAD', commit: head, reason: `HEAD (no ${revision} branch, berth.yaml revision)` };
}

/**
 * Checks `commit` out as a detached worktree (git/worktree.ts). A worktree rather than an archive, so git works inside
 * it (render unpacks pinned chart revisions with git). The caller must call remove().
 */
export async function checkoutRevision(root: string, commit: string): Promise<Checkout> {
  const prefix = (await git(root, ['rev-parse', '--show-prefix'])).trim();
  const worktree = await addWorktree(root, commit);
  return { root: join(worktree.dir, prefix), remove: worktree.remove };
}
