// Bounded concurrency: never more than the limit at once, every task runs, failures release their slot.
import { describe, expect, it } from 'vitest';
import { createLimiter, limiterForHost } from '../../src/registry/limiter';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createLimiter', () => {
  it('runs at most `concurrency` tasks at once, in arrival order', async () => {
    const limiter = createLimiter(3);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        limiter.run(async () => {
          started.push(i);
          running += 1;
          peak = Math.max(peak, running);
          await tick(5 + (i % 3));
          running -= 1;
          return i * 2;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 10 }, (_, i) => i * 2));
    expect(peak).toBe(3);
    expect(started).toEqual([...started].sort((a, b) => a - b));
    expect([limiter.active, limiter.waiting]).toEqual([0, 0]);
  });

  it('frees the slot of a task that fails', async () => {
    const limiter = createLimiter(1);
    await expect(limiter.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(async () => 'next')).toBe('next');
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => createLimiter(0)).toThrow(/positive integer/);
  });

  it('is shared per host', () => {
    expect(limiterForHost('a:1', 8)).toBe(limiterForHost('a:1', 8));
    expect(limiterForHost('a:1', 8)).not.toBe(limiterForHost('b:1', 8));
  });
});
