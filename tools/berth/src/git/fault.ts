// Test-only fault injection: BERTH_TEST_KILL_AT=<point> makes berth kill itself (SIGKILL) at that point of a transaction,
// so the fault tests can prove what the next run repairs. This is the only place the variable is read; never set it
// outside tests.

/** The points of a transaction where a crash leaves a distinct state behind. */
export const FAULT_POINTS = [
  'written',
  'staged',
  'committed',
  'rebasing',
  'rebase-conflict',
  'rebased',
  'pushed',
] as const;
export type FaultPoint = (typeof FAULT_POINTS)[number];

export function faultPoint(point: FaultPoint): void {
  if (process.env.BERTH_TEST_KILL_AT === point) process.kill(process.pid, 'SIGKILL');
}
