// Retries throttled calls with exponential backoff and full jitter, a bounded number of times, honouring Retry-After.
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthError } from '../errors';
import type { RetryPolicy } from './types';

/** Why a failed attempt may be tried again, and how long the server asked us to wait. */
export interface Throttled {
  reason: string;
  retryAfterMs?: number;
}

/** The wait after the `attempt`-th failure (1-based): uniform in [0, min(max, base·2^(attempt-1))]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/** Retry-After is either delta-seconds or an HTTP date; anything else is ignored. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface RetryContext {
  /** What was being done, for the error: e.g. `listing tags of 127.0.0.1:5000/app`. */
  what: string;
  policy: RetryPolicy;
  /** Says whether an error is throttling worth another try; undefined means fail now. */
  classify: (error: unknown) => Throttled | undefined;
  random?: () => number;
}

export async function withRetry<T>(operation: (attempt: number) => Promise<T>, context: RetryContext): Promise<T> {
  const { policy, classify, what } = context;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      const throttled = classify(error);
      if (!throttled) throw error;
      if (attempt >= policy.tries) {
        throw new BerthError(`${what} failed: ${throttled.reason} on all ${policy.tries} tries.`, {
          fix: 'the registry is overloaded or rate-limiting this client; run again later, or lower the concurrency.',
          cause: error,
        });
      }
      if (throttled.retryAfterMs !== undefined && throttled.retryAfterMs > policy.maxDelayMs) {
        throw new BerthError(
          `${what} failed: ${throttled.reason}, and the registry asked to wait ${Math.ceil(throttled.retryAfterMs / 1000)} s.`,
          {
            fix: 'run again after that time.',
            cause: error,
          },
        );
      }
      // A server-given wait is kept, plus a little jitter so parallel callers do not return in lockstep.
      const random = context.random ?? Math.random;
      await sleep(
        throttled.retryAfterMs === undefined
          ? backoffDelay(attempt, policy, random)
          : throttled.retryAfterMs + Math.round(random() * policy.baseDelayMs),
      );
    }
  }
}
