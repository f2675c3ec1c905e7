// Promotion by pull request: the promotion planned and committed in a temporary worktree, pushed to its own branch and
// proposed (proposal.ts), never touching the user's checkout.
import { promotionBranch } from './branch';
import { applyGates, type ForcedGates, type GatedPlan } from './gate-check';
import type { PromoteOptions } from './options';
import { checkChartsPublished, planPromotion, type Plan } from './plan';
import { proposeChange } from './proposal';
import { reportOf, type PromoteReport } from './report';
import { shortSha } from './versions';
import { plural } from '../util/plural';
import { shortDigest, type DeployedVersion } from '../workspace/overlay';

function pullRequestBody(planned: Plan, forced?: ForcedGates): string {
  const { source, target } = planned.request;
  const rows = planned.promoted.map((decision) => {
    const image = (version: DeployedVersion) =>
      `${version.tag || '(none)'}${version.digest ? ` (\`${shortDigest(version.digest)}\`)` : ''}`;
    const chart = (version: DeployedVersion) =>
      version.chartRevision ? `\`${shortSha(version.chartRevision)}\`` : 'branch';
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
    ...(forced
      ? [
          '',
          `**Forced past ${target.name}'s promotion gates** (\`--force\`): ${forced.reason}`,
          '',
          ...forced.refusals.map(
            (refusal) => `- ${refusal.gate}${refusal.service ? ` (${refusal.service})` : ''}: ${refusal.problem}`,
          ),
        ]
      : []),
  ].join('\n');
}

/** pr mode: commit in a temporary worktree at the current branch's tip, push a new branch, open the pull request. */
export async function proposePromotion(options: PromoteOptions, remote: string): Promise<PromoteReport> {
  const report = await proposeChange(
    { root: options.root, remote, what: 'promotion', github: options.github },
    async (dir, base) => {
      const unchecked = await planPromotion(dir, options);
      if (!unchecked.promoted.length) return { planned: { plan: unchecked } as GatedPlan };
      const planned = await applyGates(dir, unchecked, options);
      await checkChartsPublished(dir, remote, base, unchecked.promoted);
      const promoted = unchecked.promoted.map((decision) => ({ service: decision.service, tag: decision.to!.tag }));
      return {
        planned,
        change: {
          writes: planned.plan.changes,
          message: planned.plan.message,
          branch: (commit) => promotionBranch(unchecked.request.target.name, promoted, commit),
          title: unchecked.subject,
          body: pullRequestBody(planned.plan, planned.forced),
        },
      };
    },
  );
  const forced = report.planned.forced ? { forced: report.planned.forced } : {};
  if (!report.commit) return reportOf(report.planned.plan, 'pr');
  const { commit, branch, base, localCommits, pullRequest, compareUrl } = report;
  return reportOf(report.planned.plan, 'pr', {
    ...forced,
    commit,
    branch,
    base,
    pushed: true,
    localCommits,
    ...(pullRequest ? { pullRequest } : {}),
    ...(compareUrl ? { compareUrl } : {}),
  });
}
