// Layers a service's `imageUpdates:` (app.yaml) over its environment's (env.yaml): the service's keys win.
import { isMap as isMapping, type Values as Fields } from '../util/values-merge';
import { DEFAULT_STRATEGY, STRATEGY_KEYS } from './policy';

/**
 * Key by key, the override wins; a list (ignoreTags) is replaced, not appended to; a null in the override removes the
 * environment's key. When the override changes the strategy, the environment's keys that belong to its own strategy
 * (constraint, naturalPrerelease, tag) are not inherited: a service that switches to digest does not get the
 * environment's semver constraint. Anything that is not a mapping is passed through for parsePolicy to report.
 */
export function mergePolicies(base: unknown, override: unknown): unknown {
  if (override === undefined || override === null) return base;
  if (base === undefined || base === null) return override;
  if (!isMapping(base)) return base;
  if (!isMapping(override)) return override;
  const merged: Fields = { ...base, ...override };
  for (const [key, value] of Object.entries(override)) if (value === null) delete merged[key];
  const strategy = merged.strategy ?? DEFAULT_STRATEGY;
  if (strategy !== (base.strategy ?? DEFAULT_STRATEGY)) {
    for (const [key, owner] of Object.entries(STRATEGY_KEYS)) {
      if (owner !== strategy && !(key in override)) delete merged[key];
    }
  }
  return merged;
}
