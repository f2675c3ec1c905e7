// Decides, for one chart target, which version the repository's offer calls for: pure, so tests read as tables.
import { gt } from 'semver';
import { selectTag, type Selection } from '../policy';
import { pinnedReason } from '../workspace/pins';
import type { ChartTarget } from './targets';

export interface ChartDecision {
  target: ChartTarget;
  status: 'update' | 'current' | 'pinned' | 'none';
  next?: string;
  reason: string;
  selection?: Selection;
  /** Versions the repository listed that berth refused (not SemVer, no digest): reported, never written. */
  refused: string[];
}

export function decideChart(target: ChartTarget, versions: string[], refused: string[] = []): ChartDecision {
  if (target.pin && !target.dependency)
    return {
      target,
      refused,
      status: 'pinned',
      reason: pinnedReason(target.pin, target.current.version, target.service.name, target.env.name),
    };
  const selection = selectTag(
    versions.map((tag) => ({ tag })),
    target.policy,
  );
  if (selection.selected === null)
    return {
      target,
      refused,
      selection,
      status: 'none',
      reason: `no version of ${target.current.name} satisfies the policy`,
    };
  // a repository that dropped the running version offers an older one: chart-update moves forward only
  if (selection.selected === target.current.version || !gt(selection.selected, target.current.version))
    return { target, refused, selection, status: 'current', reason: 'up to date' };
  return {
    target,
    refused,
    selection,
    status: 'update',
    next: selection.selected,
    reason: `${target.current.version} -> ${selection.selected}`,
  };
}
