// How a change reaches the branch when the command line says so: --push, --pr or --no-push.
import { BerthError } from '../errors';
import type { PromotionMode } from './report';

/** The mode the flags ask for, or undefined when they leave it to the environment's promotion.mode. */
export function modeFromFlags(options: { push?: boolean; pr?: boolean }): PromotionMode | undefined {
  if (options.push && options.pr)
    throw new BerthError('--push and --pr contradict each other.', {
      fix: 'pass one: --push commits to the branch, --pr proposes a pull request.',
    });
  if (options.pr) return 'pr';
  if (options.push) return 'push';
  if (options.push === false) return 'commit';
  return undefined;
}
