// Whether a pushed promotion has arrived, from what Argo CD says of each target Application: done (Synced at the
// pushed revision and Healthy), failed (Degraded there, or a sync operation that failed), or still waiting: pure.
import { isDeepStrictEqual } from 'node:util';
import { comparedWith, syncedRevisions, type LiveApplication } from '../argocd-api/application';
import { shortSha } from './versions';

/** One Application `berth promote --wait` waits for. */
export interface WaitTarget {
  service: string;
  application: string;
  /** Revisions Argo CD must compare with, besides the pushed commit: the chart revision or an add-on's chart version. */
  chart?: string;
  /**
   * A chart pinned at a commit: its Application has one source, at that commit, that carries the values
   * (argocd/manifests), so no revision of it is the pushed commit. The promotion has arrived when Argo CD compares with
   * exactly this source, the one the pushed commit holds.
   */
  pinnedSource?: Record<string, unknown>;
}

export interface WaitContext {
  /** The promotion commit as pushed. */
  pushed: string;
  /** Later commits of the branch known to contain `pushed` (someone pushed after it): they count as arrived too. */
  newer: ReadonlySet<string>;
  /** When the push happened (ms since the epoch): an operation that started before it is not this promotion's. */
  since: number;
}

export type WaitState = 'done' | 'waiting' | 'failed';

export interface AppWait {
  service: string;
  application: string;
  state: WaitState;
  /** What it waits for or why it failed, in words. */
  reason: string;
}

/** Clocks of the server and of this machine differ a little; an operation started this close before the push counts. */
const CLOCK_SLACK_MS = 5_000;

const isCommit = (revision: string) => /^[0-9a-f]{40}$/.test(revision);
const shortRevision = (revision: string) => (isCommit(revision) ? shortSha(revision) : revision);

/** Whether Argo CD compares the Application with the pushed commit (or a later one holding it) and the expected chart. */
export function atPushedRevision(target: WaitTarget, live: LiveApplication, context: WaitContext): boolean {
  if (target.pinnedSource)
    return live.sync.comparedTo.length === 1 && isDeepStrictEqual(live.sync.comparedTo[0], target.pinnedSource);
  const revisions = syncedRevisions(live);
  const pushed = revisions.some((revision) => revision === context.pushed || context.newer.has(revision));
  return pushed && (target.chart === undefined || comparedWith(live, target.chart));
}

/** Argo CD's own words on the Application: its conditions and the last operation's message. */
export function argoWords(live: LiveApplication): string[] {
  return [
    ...live.conditions.map((condition) => `${condition.type}: ${condition.message}`),
    ...(live.operation?.message ? [`operation ${live.operation.phase}: ${live.operation.message}`] : []),
  ];
}

export function decideWait(target: WaitTarget, live: LiveApplication, context: WaitContext): AppWait {
  const result = (state: WaitState, reason: string): AppWait => ({
    service: target.service,
    application: target.application,
    state,
    reason,
  });
  const at = atPushedRevision(target, live, context);
  const operation = live.operation;
  const started = operation?.startedAt ? Date.parse(operation.startedAt) : NaN;
  const thisRun = at || (!Number.isNaN(started) && started >= context.since - CLOCK_SLACK_MS);
  if (operation && ['Failed', 'Error'].includes(operation.phase) && thisRun)
    return result(
      'failed',
      `its sync ${operation.phase === 'Error' ? 'errored' : 'failed'}: ${operation.message ?? 'no message'}`,
    );
  if (operation?.phase === 'Running' || operation?.phase === 'Terminating')
    return result('waiting', `syncing${operation.message ? ` (${operation.message})` : ''}`);
  if (!at) {
    const revisions = syncedRevisions(live).map(shortRevision).join(', ') || 'no revision';
    const wanted = target.pinnedSource
      ? `the promotion's source (chart at ${shortRevision(target.chart ?? '')} with the pushed values)`
      : [shortSha(context.pushed), ...(target.chart ? [shortRevision(target.chart)] : [])].join(', ');
    // Degraded at an older revision is what the promotion may be about to fix: it waits
    return result('waiting', `at ${revisions}, not yet ${wanted}; ${live.sync.status} ${live.health.status}`);
  }
  if (live.sync.status !== 'Synced') return result('waiting', `${live.sync.status} at the pushed revision`);
  if (live.health.status === 'Degraded') return result('failed', 'Degraded at the pushed revision');
  if (live.health.status !== 'Healthy') return result('waiting', `Synced, ${live.health.status}`);
  return result('done', 'Synced and Healthy at the pushed revision');
}

/** An Application Argo CD did not answer for (not created yet, a server that blinked): it waits, saying why. */
export const unansweredWait = (target: WaitTarget, problem: string): AppWait => ({
  service: target.service,
  application: target.application,
  state: 'waiting',
  reason: `Argo CD did not answer: ${problem}`,
});

/** All done: done; any failed: failed; otherwise waiting. */
export function overallState(apps: AppWait[]): WaitState {
  if (apps.some((app) => app.state === 'failed')) return 'failed';
  return apps.every((app) => app.state === 'done') ? 'done' : 'waiting';
}

/** One line of progress: how many arrived, and what each of the others waits for. */
export function progressLine(apps: AppWait[], elapsed: string): string {
  const done = apps.filter((app) => app.state === 'done').length;
  const others = apps.filter((app) => app.state !== 'done').map((app) => `${app.application}: ${app.reason}`);
  return `waiting for Argo CD (${elapsed}): ${done}/${apps.length} Synced and Healthy${others.length ? `; ${others.join('; ')}` : ''}`;
}
