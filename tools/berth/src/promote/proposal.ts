// A change proposed as a pull request: committed in a temporary worktree at the current branch's tip, pushed to a new
// branch, and opened on GitHub (or the page or branch named), never touching the user's checkout. promote and pin use it.
import { BerthError } from '../errors';
import { commitFiles, currentBranch } from '../git/push';
import { tryGit } from '../git/run';
import { finalCommitMessage } from '../git/transact';
import { withWorktree } from '../git/worktree';
import { diskFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import { compareUrl, openPullRequest, parseGitHubRemote, type OpenedPullRequest } from './github';
import { writeChanges } from './plan';
import { shortSha } from './versions';

export interface ProposalOptions {
  root: string;
  remote: string;
  /** What is proposed, for messages: "promotion", "pin". */
  what: string;
  /** GitHub access; defaults to GITHUB_TOKEN and GITHUB_API_URL. */
  github?: { token?: string; apiUrl?: string };
}

/** What the planner found: `change` absent when there is nothing to propose. */
export interface Proposed<P> {
  planned: P;
  change?: {
    writes: Map<string, string>;
    message: string;
    /** The branch to push, given the commit (a name unique to the change). */
    branch: (commit: string) => string;
    title: string;
    body: string;
  };
}

export interface ProposalReport<P> {
  planned: P;
  base: string;
  commit?: string;
  branch?: string;
  /** Commits of the local branch not on the remote yet, which the pull request carries too. */
  localCommits?: number;
  pullRequest?: OpenedPullRequest;
  /** A GitHub remote without a token: the page that opens the pull request. */
  compareUrl?: string;
}

/** The branch a pull request merges into: the one checked out, or the branch Argo CD follows when HEAD is detached. */
async function baseBranch(root: string): Promise<string> {
  const branch = await currentBranch(root);
  return branch === 'HEAD' ? loadWorkspace(diskFiles(root)).settings.revision : branch;
}

async function pushBranch(dir: string, remote: string, branch: string, what: string): Promise<void> {
  // a lease on "no such ref" makes the push create the branch or fail
  const push = await tryGit(dir, [
    'push',
    '--porcelain',
    `--force-with-lease=refs/heads/${branch}:`,
    remote,
    `HEAD:refs/heads/${branch}`,
  ]);
  const output = `${push.stdout}\n${push.stderr}`;
  // porcelain "=": the branch is there already with this very commit (the same change, made within the same second)
  const alreadyThere = push.exitCode === 0 && /^=\t/m.test(push.stdout);
  if (push.exitCode === 0 && !alreadyThere) return;
  if (alreadyThere || /\[rejected\]|non-fast-forward|fetch first|already exists|stale info/.test(output)) {
    throw new BerthError(
      `branch ${branch} already exists on ${remote}: a pull request for this ${what} may be open already.`,
      {
        fix: `merge or close that pull request and delete the branch (git push ${remote} --delete ${branch}), then run the command again.`,
        cause: push.failure,
      },
    );
  }
  throw new BerthError(`git push of ${branch} to ${remote} failed.\n${push.stderr.trim()}`, {
    fix: 'check the remote URL and the credentials git uses for it.',
    cause: push.failure,
  });
}

/** Plans in a worktree at HEAD (`plan` gets its folder and the base branch), commits, pushes the branch, opens the request. */
export async function proposeChange<P>(
  options: ProposalOptions,
  plan: (dir: string, base: string) => Promise<Proposed<P>>,
): Promise<ProposalReport<P>> {
  const { root, remote } = options;
  const base = await baseBranch(root);
  const proposed = await withWorktree(root, 'HEAD', async (dir) => {
    const { planned, change } = await plan(dir, base);
    if (!change) return { planned };
    writeChanges(dir, change.writes);
    const commit = await commitFiles(dir, [...change.writes.keys()], finalCommitMessage(change.message));
    const branch = change.branch(commit);
    await pushBranch(dir, remote, branch, options.what);
    const ahead = await tryGit(dir, ['rev-list', '--count', `refs/remotes/${remote}/${base}..${commit}~1`]);
    return { planned, commit, branch, change, localCommits: ahead.exitCode === 0 ? Number(ahead.stdout.trim()) : 0 };
  });
  const { planned, commit, branch, change, localCommits } = proposed;
  if (!commit || !branch || !change) return { planned, base };
  const remoteUrl = (await tryGit(root, ['config', '--get', `remote.${remote}.url`])).stdout.trim();
  const github = parseGitHubRemote(remoteUrl);
  const pushed: ProposalReport<P> = { planned, base, commit, branch, localCommits };
  if (!github) return pushed;
  const page = compareUrl(github, base, branch);
  const token = options.github?.token ?? process.env.GITHUB_TOKEN;
  if (!token) return { ...pushed, compareUrl: page };
  try {
    return {
      ...pushed,
      pullRequest: await openPullRequest(
        github,
        token,
        { title: change.title, head: branch, base, body: change.body },
        options.github?.apiUrl,
      ),
    };
  } catch (error) {
    const problem = error instanceof BerthError ? error.problem : String(error);
    throw new BerthError(`${problem} The branch ${branch} is pushed (commit ${shortSha(commit)}).`, {
      fix: `${error instanceof BerthError && error.fix ? `${error.fix} Or ` : ''}open the pull request by hand: ${page}`,
      cause: error,
    });
  }
}
