// What `berth promote` is asked for: the request (services, environments, version), its gates' overrides and where
// its commit goes.
import type { GateOptions } from './gate-check';
import type { PlanOptions } from './plan';
import type { ProposalOptions } from './proposal';

export interface PromoteOptions extends PlanOptions, GateOptions, Pick<ProposalOptions, 'github'> {
  root: string;
  /** true: push; false: commit locally only; undefined: what the target's env.yaml promotion.mode says. */
  push?: boolean;
  pr?: boolean;
  remote?: string;
  /** After pushing, wait until Argo CD has the target Applications Synced at the pushed commit and Healthy. */
  wait?: boolean;
  /** How long --wait waits, as typed (10m, 1h30m); 10m by default. */
  timeout?: string;
  /** Each line of --wait's progress. */
  onWaitProgress?: (line: string) => void;
}
