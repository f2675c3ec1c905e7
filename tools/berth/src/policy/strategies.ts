// The five strategies: what each reads from a tag (or why it can't), how two readings order, and how to say "lower".
import type { SemVer } from 'semver';
import { compareNumbers, readNumber, type DecimalNumber } from './numeric';
import { compareCodePoints } from './order';
import type { ImagePolicy, Strategy, TagCandidate } from './policy';
import { compareVersions, readConstraint, readVersion } from './version';

export type Reading<K> = { key: K } | { rejected: string };

export interface StrategyRules<K> {
  /** Reads the compared part of a tag (the whole tag unless extract is set), or says why the tag does not qualify. */
  read(compared: string, candidate: TagCandidate): Reading<K>;
  /** Ascending order: the greatest reading is the one selected. */
  compare(a: K, b: K): number;
  /** How a lower-ranked tag relates to the selected one, as in "older than 1.4.3". */
  lower: string;
}

const context = (compared: string, candidate: TagCandidate) =>
  compared === candidate.tag ? '' : ` (extracted "${compared}")`;

function semverRules(policy: ImagePolicy): StrategyRules<SemVer> {
  const constraint = policy.constraint === undefined ? undefined : readConstraint(policy.constraint);
  return {
    read(compared, candidate) {
      const version = readVersion(compared);
      if (!version) return { rejected: `not a version${context(compared, candidate)}` };
      if (version.prerelease.length > 0 && !constraint?.allowsPrerelease) {
        return {
          rejected: constraint
            ? `pre-release, and constraint ${constraint.text} names none`
            : 'pre-release, and no constraint names one (e.g. >=1.0.0-0)',
        };
      }
      if (constraint && !constraint.range.test(version)) return { rejected: `outside constraint ${constraint.text}` };
      return { key: version };
    },
    compare: (a, b) => compareVersions(a, b, policy.naturalPrerelease === true),
    lower: 'older than',
  };
}

const newestRules: StrategyRules<number> = {
  read(_compared, candidate) {
    if (candidate.created === undefined) return { rejected: 'no creation time' };
    const time = candidate.created instanceof Date ? candidate.created.getTime() : Number.NaN;
    if (Number.isNaN(time)) return { rejected: 'creation time is not a valid date' };
    return { key: time };
  },
  compare: (a, b) => Math.sign(a - b),
  lower: 'created before',
};

const alphabeticalRules: StrategyRules<string> = {
  read: (compared) => ({ key: compared }),
  compare: compareCodePoints,
  lower: 'sorts before',
};

const numericalRules: StrategyRules<DecimalNumber> = {
  read(compared, candidate) {
    const number = readNumber(compared);
    return number ? { key: number } : { rejected: `not a number${context(compared, candidate)}` };
  },
  compare: compareNumbers,
  lower: 'smaller than',
};

function digestRules(policy: ImagePolicy): StrategyRules<null> {
  return {
    read: (_compared, candidate) =>
      candidate.tag === policy.tag ? { key: null } : { rejected: `not the followed tag ${policy.tag}` },
    compare: () => 0,
    lower: 'same as',
  };
}

/** The rules of a policy's strategy; the switch is exhaustive, so a new strategy must be handled here. */
export function strategyRules(policy: ImagePolicy): StrategyRules<unknown> {
  const strategy: Strategy = policy.strategy;
  switch (strategy) {
    case 'semver':
      return semverRules(policy) as StrategyRules<unknown>;
    case 'newest':
      return newestRules as StrategyRules<unknown>;
    case 'alphabetical':
      return alphabeticalRules as StrategyRules<unknown>;
    case 'numerical':
      return numericalRules as StrategyRules<unknown>;
    case 'digest':
      return digestRules(policy) as StrategyRules<unknown>;
    default: {
      const unknown: never = strategy;
      throw new Error(`unhandled strategy ${String(unknown)}`);
    }
  }
}
