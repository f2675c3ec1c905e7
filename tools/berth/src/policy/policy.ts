// The image tag policy: its shape, the closed set of strategies, and the verdicts selection hands back.

export const STRATEGIES = ['semver', 'newest', 'alphabetical', 'numerical', 'digest'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface ImagePolicy {
  strategy: Strategy;
  /** semver only: a semver range; pre-releases qualify only when the range names one. */
  constraint?: string;
  /** A regular expression a tag must match. */
  allowTags?: string;
  /** Globs (`*`, `?`) of tags to skip. */
  ignoreTags?: string[];
  /** A regular expression whose first capture group is what gets compared; the original tag is what gets selected. */
  extract?: string;
  /** digest only: the mutable tag to follow. */
  tag?: string;
  /** semver only: compare digits inside pre-release identifiers as numbers (rc9 < rc10). */
  naturalPrerelease?: boolean;
}

export interface TagCandidate {
  tag: string;
  created?: Date;
}

export interface TagVerdict {
  tag: string;
  taken: boolean;
  reason: string;
}

export interface Selection {
  selected: string | null;
  /** One verdict per candidate: the qualifying tags best first, then the rejected ones in the order given. */
  candidates: TagVerdict[];
}

/** Every key a policy may have, with what it means: used to reject unknown keys and to say what is allowed. */
export const POLICY_KEYS: Record<keyof ImagePolicy, string> = {
  strategy: STRATEGIES.join(' | '),
  constraint: 'a semver range, e.g. ^1.4 (strategy semver)',
  allowTags: 'a regular expression tags must match',
  ignoreTags: 'a list of globs of tags to skip',
  extract: 'a regular expression whose first group is compared',
  tag: 'the tag to follow (strategy digest)',
  naturalPrerelease: 'true to order rc9 before rc10 (strategy semver)',
};

/** Keys that mean something under one strategy only; a service that switches strategy does not inherit them. */
export const STRATEGY_KEYS: Partial<Record<keyof ImagePolicy, Strategy>> = {
  constraint: 'semver',
  naturalPrerelease: 'semver',
  tag: 'digest',
};

export const DEFAULT_STRATEGY: Strategy = 'semver';

/** The registry must be asked for creation times only when the policy orders by them. */
export function policyNeedsCreationTime(policy: ImagePolicy): boolean {
  return policy.strategy === 'newest';
}
