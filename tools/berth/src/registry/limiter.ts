// Bounds how many calls run at once against one registry host; queued calls start in arrival order.

export interface Limiter {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

export function createLimiter(concurrency: number): Limiter {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
  }
  let active = 0;
  const queue: Array<() => void> = [];

  const release = (): void => {
    const next = queue.shift();
    if (next) next();
    else active -= 1;
  };

  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      // A finishing task hands its slot straight to the next in line, so `active` never overshoots.
      if (active < concurrency) active += 1;
      else await new Promise<void>((resolve) => queue.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}

const perHost = new Map<string, Limiter>();

/** One limiter per registry host (and limit) in this process, shared by every client that talks to that host. */
export function limiterForHost(host: string, concurrency: number): Limiter {
  const key = `${host}#${concurrency}`;
  let limiter = perHost.get(key);
  if (!limiter) {
    limiter = createLimiter(concurrency);
    perHost.set(key, limiter);
  }
  return limiter;
}
