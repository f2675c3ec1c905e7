// Promotion by pull request: commit in a temporary worktree at the current branch's tip, push a new branch, open the
// pull request on GitHub (or say where to open one), never touching the user's checkout.
import { BerthError } from '../errors';
import { commitFiles, currentBranch } from '../git/push';
import { tryGit } from '../git/run';
import { withWorktree } from '../git/worktree';
import type { DeployedVersion } from '../image-update/writeback';
import { diskFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import { promotionBranch } from './branch';
import type { PromoteOptions } from './command';
import { compareUrl, openPullRequest, parseGitHubRemote } from './github';
import { checkChartsPublished, planPromotion, writeChanges, type Plan } from './plan';
import { reportOf, type PromoteReport } from './report';
import { shortSha } from './versions';
import { plural } from '../util/plural';

/** The branch a pull request merges into: the one checked out, or the branch Argo CD follows when HEAD is detached. */
async function baseBranch(root: string): Promise<string> {
  const branch = await currentBranch(root);
  return branch === 'HEAD' ? loadWorkspace(diskFiles(root)).settings.revision : branch;
}

async function pushBranch(dir: string, remote: string, branch: string): Promise<void> {
  // a lease on "no such ref" makes the push create the branch or fail
  const push = await tryGit(dir, ['push', '--porcelain', `--force-with-lease=refs/heads/${branch}:`, remote, `HEAD:refs/heads/${branch}`]);
  const output = `${push.stdout}\n${push.stderr}`;
  // porcelain "=": the branch is there already with this very commit (the same promotion, made within the same second)
  const alreadyThere = push.exitCode === 0 && /^=\t/m.test(push.stdout);
  if (push.exitCode === 0 && !alreadyThere) return;
  if (alreadyThere || /\[rejected\]|non-fast-forward|fetch first|already exists|stale info/.test(output)) {
    throw new BerthError(`branch ${branch} already exists on ${remote}: a pull request for this promotion may be open already.`, {
      fix: `merge or close that pull request and delete the branch (git push ${remote} --delete ${branch}), then promote again.`,
    });
  }
  throw new BerthError(`git push of ${branch} to ${remote} failed.\n${push.stderr.trim()}`, { fix: 'check the remote URL and the credentials git uses for it.' });
}

function pullRequestBody(planned: Plan): string {
  const { source, target } = planned.request;
  const rows = planned.promoted.map((decision) => {
    const image = (version: DeployedVersion) => `${version.tag || '(none)'}${version.digest ? ` (\`${version.digest.slice(0, 19)}\`)` : ''}`;
    const chart = (version: DeployedVersion) => (version.chartRevision ? `\`${shortSha(version.chartRevision)}\`` : 'branch');
    return `| ${decision.service} | ${image(decision.from)} | ${image(decision.to!)} | ${chart(decision.from)} -> ${chart(decision.to!)} |`;
  });
  return [
    `Promotes ${planned.promoted.length === 1 ? 'a version' : plural(planned.promoted.length, 'version')} from ${source.name} to ${target.name}.`,
    '',
    '| service | from | to | charts |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    `Merging it changes what Argo CD deploys to ${target.name}. Opened by \`berth promote\`; the commit's Berth-* trailers record each change.`,
  ].join('\n');
}

/** pr mode: commit in a temporary worktree at the current branch's tip, push a new branch, open the pull request. */
export async function proposePromotion(options: PromoteOptions, remote: string): Promise<PromoteReport> {
  const base = await baseBranch(options.root);
  const proposed = await withWorktree(options.root, 'HEAD', async (dir) => {
    const planned = await planPromotion(dir, options);
    if (!planned.promoted.length) return { planned };
    await checkChartsPublished(dir, remote, base, planned.promoted);
    writeChanges(dir, planned.changes);
    const commit = await commitFiles(dir, [...planned.changes.keys()], planned.message);
    const branch = promotionBranch(planned.request.target.name, planned.promoted.map((decision) => ({ service: decision.service, tag: decision.to!.tag })), commit);
    await pushBranch(dir, remote, branch);
    const ahead = await tryGit(dir, ['rev-list', '--count', `refs/remotes/${remote}/${base}..${commit}~1`]);
    return { planned, commit, branch, localCommits: ahead.exitCode === 0 ? Number(ahead.stdout.trim()) : 0 };
  });
  const { planned, commit, branch, localCommits } = proposed;
  if (!commit || !branch) return reportOf(planned, 'pr');
  const remoteUrl = (await tryGit(options.root, ['config', '--get', `remote.${remote}.url`])).stdout.trim();
  const github = parseGitHubRemote(remoteUrl);
  const pushed = reportOf(planned, 'pr', { commit, branch, base, pushed: true, localCommits });
  if (!github) return pushed;
  const page = compareUrl(github, base, branch);
  const token = options.github?.token ?? process.env.GITHUB_TOKEN;
  if (!token) return { ...pushed, compareUrl: page };
  try {
    const pullRequest = await openPullRequest(github, token, { title: planned.subject, head: branch, base, body: pullRequestBody(planned) }, options.github?.apiUrl);
    return { ...pushed, pullRequest };
  } catch (error) {
    const problem = error instanceof BerthError ? error.problem : String(error);
    throw new BerthError(`${problem} The branch ${branch} is pushed (commit ${shortSha(commit)}).`, {
      fix: `${error instanceof BerthError && error.fix ? `${error.fix} Or ` : ''}open the pull request by hand: ${page}`,
      cause: error,
    });
  }
}
