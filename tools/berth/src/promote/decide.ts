// Decides, for one service, whether a promotion moves it, and why not: pure, so tests read as tables.
import type { Pin } from '../workspace/model';
import { describeImage, type DeployedVersion } from '../workspace/overlay';
import { pinnedReason } from '../workspace/pins';
import { isDowngrade, sameDeployment } from './versions';

/** promote: it moves; current: already there; downgrade: the target runs a newer version; pinned: held by berth pin or rollback; missing: not in the source. */
export type PromotionStatus = 'promote' | 'current' | 'downgrade' | 'pinned' | 'missing';

export interface PromotionInput {
  service: string;
  sourceEnv: string;
  targetEnv: string;
  /** What the source runs, its chart revision resolved to a commit; undefined when the service does not run there. */
  source?: DeployedVersion;
  target: DeployedVersion;
  pin?: Pin;
  allowDowngrade?: boolean;
}

export interface PromotionDecision {
  service: string;
  status: PromotionStatus;
  /** What the target runs now. */
  from: DeployedVersion;
  /** What it runs after the promotion: the source's version (absent when the source does not run the service). */
  to?: DeployedVersion;
  reason: string;
  pin?: Pin;
}

export function decidePromotion(input: PromotionInput): PromotionDecision {
  const { service, source, target, pin } = input;
  const base = { service, from: target, to: source };
  if (!source) return { ...base, status: 'missing', reason: `does not run in ${input.sourceEnv}` };
  if (sameDeployment(source, target))
    return { ...base, status: 'current', reason: `already runs ${describeImage(source)} with the same charts` };
  if (pin) return { ...base, pin, status: 'pinned', reason: pinnedReason(pin, target.tag, service, input.targetEnv) };
  if (!input.allowDowngrade && isDowngrade(target.tag, source.tag)) {
    return {
      ...base,
      status: 'downgrade',
      reason: `${target.tag} is newer than ${input.sourceEnv}'s ${source.tag} (--allow-downgrade takes it back)`,
    };
  }
  const chartOnly = source.tag === target.tag && (source.digest ?? '') === (target.digest ?? '');
  return {
    ...base,
    status: 'promote',
    reason: chartOnly
      ? `charts of ${source.chartRevision?.slice(0, 12)}`
      : `${describeImage(target)} -> ${describeImage(source)}`,
  };
}
