// What a promotion did, for the CLI and for callers: each service's decision and where the commit went.
import type { PromotionDecision } from './decide';
import type { ForcedGates } from './gate-check';
import type { OpenedPullRequest } from './github';
import type { Plan } from './plan';
import type { WaitReport } from './await-sync';

/** push: a commit pushed to the current branch; pr: a branch and a pull request; commit: a local commit only. */
export type PromotionMode = 'push' | 'pr' | 'commit';

export interface PromoteReport {
  source: string;
  target: string;
  mode: PromotionMode;
  decisions: PromotionDecision[];
  /** The promotion commit, when one was made. */
  commit?: string;
  /** Whether it reached the remote (pushed to the branch, or to the pull request's branch). */
  pushed: boolean;
  /** pr mode: the branch pushed and the branch it is to be merged into. */
  branch?: string;
  base?: string;
  pullRequest?: OpenedPullRequest;
  /** pr mode on a GitHub remote without a token: the page that opens the pull request. */
  compareUrl?: string;
  /** pr mode: commits of the local branch not on the remote yet, which the pull request carries too. */
  localCommits?: number;
  /** push mode: commits the push took along besides the promotion: an interrupted run's, other local ones. */
  carried?: string[];
  /** --force: the gates that refused and were overridden, and why (the commit's Berth-Forced and Berth-Reason). */
  forced?: ForcedGates;
  /** --wait: how Argo CD took the pushed promotion. */
  wait?: WaitReport;
}

export function reportOf(planned: Plan, mode: PromotionMode, extra: Partial<PromoteReport> = {}): PromoteReport {
  return {
    source: planned.request.source.name,
    target: planned.request.target.name,
    mode,
    decisions: planned.decisions,
    pushed: false,
    ...extra,
  };
}
