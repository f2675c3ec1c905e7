// After a rebase, berth's own commits are made honest: one that became empty is dropped, one that lost part of its
// change keeps only the Berth-* blocks of what it still changes (another writer made the rest first).
import { git } from './run';
import { honestMessage } from './honest-message';
import { commitsIn, sameMessage, type OwnCommit } from './own-commits';

async function changedFiles(root: string, sha: string): Promise<string[]> {
  return (await git(root, ['diff-tree', '--no-commit-id', '--name-only', '-r', sha])).split('\n').filter(Boolean);
}

async function authorOf(root: string, sha: string): Promise<Record<string, string>> {
  const [name, email, date] = (await git(root, ['log', '-1', '--format=%an%x00%ae%x00%ad', '--date=raw', sha]))
    .trim()
    .split('\0');
  return { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_DATE: date };
}

/**
 * Rewrites the commits of `upstream..HEAD` that are `own` (by message) so their messages match their diffs, and
 * moves the branch to the result; the tree stays exactly as the rebase left it. Returns the own commits as they are now.
 * `finalise` is the one place a commit message is finalised (see transact).
 */
export async function makeRebasedCommitsHonest(
  root: string,
  upstream: string,
  own: OwnCommit[],
  finalise: (message: string) => string,
): Promise<OwnCommit[]> {
  const commits = await commitsIn(root, [`${upstream}..HEAD`]);
  const pending = [...own];
  const plan = await Promise.all(
    commits.map(async (commit) => {
      const index = pending.findIndex((candidate) => sameMessage(candidate.message, commit.message));
      if (index === -1) return { commit, mine: false as const };
      pending.splice(index, 1);
      const changed = await changedFiles(root, commit.sha);
      if (!changed.length) return { commit, mine: true as const, drop: true };
      const message = honestMessage(commit.message, changed);
      return {
        commit,
        mine: true as const,
        drop: false,
        message: message === undefined ? undefined : finalise(message),
      };
    }),
  );
  const first = plan.findIndex((step) => step.mine && (step.drop || step.message !== undefined));
  if (first === -1)
    return plan.filter((step) => step.mine).map(({ commit }) => ({ sha: commit.sha, message: commit.message }));
  let parent = first === 0 ? upstream : plan[first - 1].commit.sha;
  const result: OwnCommit[] = plan
    .slice(0, first)
    .filter((step) => step.mine)
    .map(({ commit }) => ({ sha: commit.sha, message: commit.message }));
  for (const step of plan.slice(first)) {
    if (step.mine && step.drop) continue;
    const message = (step.mine && step.message) || step.commit.message;
    const tree = (await git(root, ['rev-parse', `${step.commit.sha}^{tree}`])).trim();
    parent = (
      await git(root, ['commit-tree', tree, '-p', parent, '-m', message], await authorOf(root, step.commit.sha))
    ).trim();
    if (step.mine) result.push({ sha: parent, message });
  }
  const head = (await git(root, ['rev-parse', 'HEAD'])).trim();
  await git(root, [
    'update-ref',
    '-m',
    'berth: commit messages match what the rebased commits change',
    'HEAD',
    parent,
    head,
  ]);
  return result;
}
