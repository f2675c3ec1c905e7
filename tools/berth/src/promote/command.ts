// `berth promote`: copies what one environment runs (image and chart revision) into the next, as one commit that is
// committed, pushed, or proposed as a pull request.
import { currentBranch } from '../git/push';
import { transact } from '../git/transact';
import { diskFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import type { Environment } from '../workspace/model';
import { applyGates, checkForceOptions } from './gate-check';
import type { PromoteOptions } from './options';
import { checkChartsPublished, planPromotion } from './plan';
import { proposePromotion } from './pull-request';
import { modeFromFlags } from './mode';
import { reportOf, type PromoteReport, type PromotionMode } from './report';
import { resolveRequest } from './request';

export type { PromoteReport, PromotionMode } from './report';

export function promotionMode(options: Pick<PromoteOptions, 'push' | 'pr'>, target: Environment): PromotionMode {
  return modeFromFlags(options) ?? target.promotion.mode;
}

export async function promote(options: PromoteOptions): Promise<PromoteReport> {
  const remote = options.remote ?? 'origin';
  const target = resolveRequest(loadWorkspace(diskFiles(options.root)), options).target;
  const mode = promotionMode(options, target);
  checkForceOptions(options);
  if (mode === 'pr') return proposePromotion(options, remote);
  // transact refuses a detached HEAD with --push, once it has repaired what an interrupted run left
  const transaction = await transact(options.root, { push: mode === 'push', remote }, async () => {
    const planned = await planPromotion(options.root, options);
    if (!planned.promoted.length) return { result: { plan: planned }, commits: [] };
    // the gates decide on what this run would commit: a refusal writes nothing
    const gated = await applyGates(options.root, planned, options);
    if (mode === 'push')
      await checkChartsPublished(options.root, remote, await currentBranch(options.root), planned.promoted);
    return { result: gated, commits: [{ writes: gated.plan.changes, message: gated.plan.message }] };
  });
  return reportOf(transaction.result.plan, mode, {
    commit: transaction.commits[0],
    pushed: transaction.pushed,
    carried: [...transaction.resumed, ...transaction.carried],
    ...(transaction.result.forced ? { forced: transaction.result.forced } : {}),
  });
}
