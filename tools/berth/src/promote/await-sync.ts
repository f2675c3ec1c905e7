// `berth promote --wait`: polls Argo CD (every 2 s) until the target Applications are Synced at the pushed commit and
// Healthy, one fails, or the time is up; wait.ts decides, this module asks and reports progress.
import { getApplication } from '../argocd-api/client';
import type { ArgoConnection } from '../argocd-api/connection';
import type { LiveApplication } from '../argocd-api/application';
import { syncedRevisions } from '../argocd-api/application';
import { BerthError } from '../errors';
import { tryGit } from '../git/run';
import { createLimiter } from '../registry/limiter';
import { formatDuration } from '../util/duration';
import {
  argoWords,
  decideWait,
  overallState,
  progressLine,
  unansweredWait,
  type AppWait,
  type WaitTarget,
} from './wait';

export interface AwaitOptions {
  connection: ArgoConnection;
  /** Where the Applications live (berth.yaml argocdNamespace). */
  namespace: string;
  /** The target environment's root Application (app of apps): it must sync the changed Application specs first. */
  root: string;
  targets: WaitTarget[];
  pushed: string;
  /** The checkout, its remote and branch: to tell whether a later commit Argo CD follows holds the pushed one. */
  dir: string;
  remote: string;
  branch: string;
  timeoutMs: number;
  intervalMs?: number;
  /** Each poll's line, when it says something new. */
  onProgress?: (line: string) => void;
}

export interface WaitReport {
  outcome: 'synced' | 'failed' | 'timeout';
  /** Seconds waited. */
  seconds: number;
  applications: (AppWait & {
    sync: string | null;
    health: string | null;
    revisions: string[];
    /** Argo CD's conditions and the last operation's message. */
    argocd: string[];
  })[];
}

/** How often Argo CD is asked to compare with git again while an Application is not at the pushed revision yet. */
const REFRESH_EVERY_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const isCommit = (revision: string) => /^[0-9a-f]{40}$/.test(revision);

/** Whether `revision` holds `pushed` (a later commit of the branch); fetches the branch once when it is not known here. */
function descendantCheck(dir: string, remote: string, branch: string, pushed: string) {
  const known = new Map<string, boolean>();
  let fetched = false;
  return async (revision: string): Promise<boolean> => {
    const cached = known.get(revision);
    if (cached !== undefined) return cached;
    let check = await tryGit(dir, ['merge-base', '--is-ancestor', pushed, revision]);
    if (check.exitCode !== 0 && check.exitCode !== 1 && !fetched) {
      fetched = true;
      await tryGit(dir, ['fetch', '--quiet', remote, branch]);
      check = await tryGit(dir, ['merge-base', '--is-ancestor', pushed, revision]);
    }
    // an unknown commit stays unknown until a later poll: it may be fetched then
    if (check.exitCode === 0 || check.exitCode === 1) known.set(revision, check.exitCode === 0);
    return check.exitCode === 0;
  };
}

export async function awaitSync(options: AwaitOptions): Promise<WaitReport> {
  const started = Date.now();
  const interval = options.intervalMs ?? 2_000;
  const limiter = createLimiter(4);
  const descends = descendantCheck(options.dir, options.remote, options.branch, options.pushed);
  const newer = new Set<string>();
  let lastRefresh: number | undefined;
  let lastLine = '';
  const lives = new Map<string, LiveApplication>();
  let apps: AppWait[] = [];
  for (;;) {
    // ask Argo CD to compare with git now, at the start and then every 30 s while one has not arrived
    const refresh =
      lastRefresh === undefined ||
      (Date.now() - lastRefresh >= REFRESH_EVERY_MS && apps.some((app) => app.state !== 'done'));
    if (refresh) {
      lastRefresh = Date.now();
      // the app of apps brings the changed Application specs (a new chart revision); asking it to look only speeds
      // things up, so its failure (a token that may not see it) is not the command's
      await getApplication(options.connection, options.root, options.namespace, { refresh: 'normal' }).catch(
        (error: unknown) => {
          if (!(error instanceof BerthError)) throw error;
        },
      );
    }
    // one Application Argo CD does not show yet (the app of apps has not created it) or a blip of the server is
    // something to wait through; a token it no longer accepts is not
    const answers = await Promise.all(
      options.targets.map((target) =>
        limiter.run(() =>
          getApplication(
            options.connection,
            target.application,
            options.namespace,
            refresh ? { refresh: 'normal' } : {},
          ).catch((error: unknown) => {
            if (!(error instanceof BerthError) || error.field === 'ARGOCD_AUTH_TOKEN') throw error;
            return error;
          }),
        ),
      ),
    );
    const unanswered = new Map<string, string>();
    options.targets.forEach((target, index) => {
      const answer = answers[index];
      if (answer instanceof BerthError) unanswered.set(target.application, answer.problem);
      else lives.set(target.application, answer);
    });
    for (const live of lives.values())
      for (const revision of syncedRevisions(live))
        if (isCommit(revision) && revision !== options.pushed && !newer.has(revision) && (await descends(revision)))
          newer.add(revision);
    const context = { pushed: options.pushed, newer, since: started };
    apps = options.targets.map((target) => {
      const problem = unanswered.get(target.application);
      const live = lives.get(target.application);
      return problem !== undefined || !live
        ? unansweredWait(target, problem ?? 'no answer')
        : decideWait(target, live, context);
    });
    const elapsed = Date.now() - started;
    const state = overallState(apps);
    const line = progressLine(apps, formatDuration(elapsed));
    // the elapsed time alone changing is no news for a log
    if (line.replace(/\(.*?\)/, '') !== lastLine.replace(/\(.*?\)/, '') || state !== 'waiting')
      options.onProgress?.(line);
    lastLine = line;
    if (state !== 'waiting' || elapsed >= options.timeoutMs) {
      const outcome = state === 'done' ? 'synced' : state === 'failed' ? 'failed' : 'timeout';
      return {
        outcome,
        seconds: Math.round(elapsed / 1000),
        applications: apps.map((app) => {
          const live = lives.get(app.application);
          return {
            ...app,
            sync: live?.sync.status ?? null,
            health: live?.health.status ?? null,
            revisions: live ? syncedRevisions(live) : [],
            argocd: live ? argoWords(live) : [],
          };
        }),
      };
    }
    await sleep(Math.min(interval, Math.max(0, options.timeoutMs - elapsed)));
  }
}

/** What a wait that did not end Synced and Healthy says: each Application not done, with Argo CD's own words. */
export function waitFailure(report: WaitReport, target: string, timeout: string): BerthError {
  const lines = report.applications
    .filter((app) => app.state !== 'done')
    .map(
      (app) =>
        `  ${app.application}: ${app.reason} (sync ${app.sync}, health ${app.health}, at ${app.revisions.join(', ') || 'no revision'})${app.argocd.map((words) => `\n    Argo CD: ${words}`).join('')}`,
    );
  const problem =
    report.outcome === 'timeout'
      ? `${target} did not become Synced and Healthy at the pushed commit within ${timeout}:`
      : `${target} failed after the promotion was pushed:`;
  return new BerthError(`${problem}\n${lines.join('\n')}`, {
    field: report.outcome === 'timeout' ? '--timeout' : undefined,
    fix:
      report.outcome === 'timeout'
        ? `the promotion is pushed; look at it in Argo CD (argocd app get <app>, berth status --live) and wait longer (--timeout), or fix what Argo CD reports above.`
        : `the promotion is pushed and Argo CD reports the failure above: fix it and promote again, or roll back (berth rollback <service> --env ${target} --push).`,
  });
}
