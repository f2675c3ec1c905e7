// What `berth promote` is asked for: the request (services, environments, version) and where its commit goes.
import type { PlanOptions } from './plan';

export interface PromoteOptions extends PlanOptions {
  root: string;
  /** true: push; false: commit locally only; undefined: what the target's env.yaml promotion.mode says. */
  push?: boolean;
  pr?: boolean;
  remote?: string;
  /** GitHub access for pull requests; defaults to GITHUB_TOKEN and GITHUB_API_URL. */
  github?: { token?: string; apiUrl?: string };
}
