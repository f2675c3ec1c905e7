// `berth promote`: copies what one environment runs (image and chart revision) into the next, as one commit that is
// committed, pushed, or proposed as a pull request.
import { currentBranch } from '../git/push';
import { transact } from '../git/transact';
import { diskFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import { paths, type Environment } from '../workspace/model';
import { readDocuments } from '../util/yaml-read';
import { applyGates, checkForceOptions } from './gate-check';
import type { PromoteOptions } from './options';
import { checkChartsPublished, planPromotion } from './plan';
import { proposePromotion } from './pull-request';
import { modeFromFlags } from './mode';
import { reportOf, type PromoteReport, type PromotionMode } from './report';
import { resolveRequest } from './request';
import { awaitSync } from './await-sync';
import { prepareWait } from './wait-options';
import { applicationName } from '../workspace/names';

export type { PromoteReport, PromotionMode } from './report';

export function promotionMode(options: Pick<PromoteOptions, 'push' | 'pr'>, target: Environment): PromotionMode {
  return modeFromFlags(options) ?? target.promotion.mode;
}

export async function promote(options: PromoteOptions): Promise<PromoteReport> {
  const remote = options.remote ?? 'origin';
  const workspace = loadWorkspace(diskFiles(options.root));
  const target = resolveRequest(workspace, options).target;
  const mode = promotionMode(options, target);
  checkForceOptions(options);
  // --wait is checked before anything is written: a promotion it cannot wait for is refused whole
  const waiting = await prepareWait(options, mode, target, workspace.settings);
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
  const report = reportOf(transaction.result.plan, mode, {
    commit: transaction.commits[0],
    pushed: transaction.pushed,
    carried: [...transaction.resumed, ...transaction.carried],
    ...(transaction.result.forced ? { forced: transaction.result.forced } : {}),
  });
  if (!waiting || !report.commit || !report.pushed) return report;
  const plan = transaction.result.plan;
  if (!target.sync.automated)
    options.onWaitProgress?.(
      `note: ${target.name} does not sync by itself (env.yaml sync.automated is false): waiting for someone to sync it in Argo CD`,
    );
  const wait = await awaitSync({
    ...waiting,
    namespace: workspace.settings.argocdNamespace,
    root: applicationName(target.name, 'root'),
    targets: plan.promoted.map((decision) => ({
      service: decision.service,
      application: applicationName(target.name, decision.service),
      // a service's Application compares its chart source at the promoted chart revision; an add-on's at its version
      chart: decision.to!.chartRevision ?? decision.to!.chartVersion,
      ...(decision.to!.chartRevision
        ? { pinnedSource: pushedSource(options.root, paths.application(target.name, decision.service)) }
        : {}),
    })),
    pushed: report.commit,
    dir: options.root,
    remote,
    onProgress: options.onWaitProgress,
  });
  return { ...report, wait };
}

/** The one source of a pinned chart's Application as the pushed commit holds it (argocd/manifests). */
function pushedSource(root: string, manifest: string): Record<string, unknown> {
  return readDocuments(diskFiles(root).read(manifest) ?? '', manifest)[0]?.spec?.source ?? {};
}
