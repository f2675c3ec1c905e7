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
}
