// What `berth promote --wait [--timeout D]` needs before anything is written: a push to the branch Argo CD follows,
// an Argo CD to ask, and a timeout that reads as a duration; a clear refusal otherwise.
import { listApplications } from '../argocd-api/client';
import { connectionFromEnv, type ArgoConnection } from '../argocd-api/connection';
import { BerthError } from '../errors';
import { currentBranch } from '../git/push';
import { parseDuration } from '../util/duration';
import type { BerthSettings, Environment } from '../workspace/model';
import type { PromoteOptions } from './options';
import type { PromotionMode } from './report';

export const DEFAULT_TIMEOUT = '10m';

/** What awaitSync takes from the command line once the checks pass. */
export interface PreparedWait {
  connection: ArgoConnection;
  branch: string;
  timeoutMs: number;
  /** The timeout as the user wrote it, for messages. */
  timeout: string;
}

/** Undefined without --wait; throws what to do when the promotion could not be waited for. */
export async function prepareWait(
  options: PromoteOptions,
  mode: PromotionMode,
  target: Environment,
  settings: BerthSettings,
): Promise<PreparedWait | undefined> {
  if (!options.wait) {
    if (options.timeout !== undefined)
      throw new BerthError('--timeout is how long --wait waits, and --wait is not given.', {
        field: '--timeout',
        fix: `add --wait (berth promote ... --push --wait --timeout ${options.timeout}), or drop --timeout.`,
      });
    return undefined;
  }
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  const timeoutMs = parseDuration(timeout);
  if (timeoutMs === undefined)
    throw new BerthError(`--timeout "${timeout}" is not a duration.`, {
      field: '--timeout',
      fix: 'write it as 10m, 90s, 1h or 1h30m.',
    });
  if (mode === 'pr')
    throw new BerthError(
      `--wait waits for Argo CD to sync a pushed commit, and ${target.name} is promoted by pull request: the commit reaches ${settings.revision} only when someone merges it.`,
      {
        field: '--wait',
        fix: `drop --wait, merge the pull request, then watch ${target.name} with berth status --live; or promote with --push --wait where ${target.name} may be pushed to.`,
      },
    );
  if (mode === 'commit')
    throw new BerthError('--wait waits for Argo CD to sync a pushed commit, and --no-push only commits locally.', {
      field: '--wait',
      fix: 'promote with --push --wait, or drop --wait.',
    });
  const branch = await currentBranch(options.root);
  if (branch !== settings.revision)
    throw new BerthError(
      `--wait waits for Argo CD to sync the pushed commit, but Argo CD follows ${settings.revision} and this checkout is on ${branch}.`,
      {
        file: 'berth.yaml',
        field: 'revision',
        fix: `promote from a checkout of ${settings.revision} (git switch ${settings.revision}), or drop --wait.`,
      },
    );
  const connection = options.argocd ?? connectionFromEnv();
  if (!connection)
    throw new BerthError('--wait asks Argo CD how the promotion syncs, and ARGOCD_SERVER is not set.', {
      field: 'ARGOCD_SERVER',
      fix: 'set ARGOCD_SERVER (host:port of argocd-server) and ARGOCD_AUTH_TOKEN, as for the argocd CLI (for the local cluster: set -a; . dist/cluster/argocd.env; set +a), or drop --wait. berth changed nothing.',
    });
  // one question before the push, so an Argo CD that cannot be reached or a token it refuses stops the promotion whole
  await listApplications(connection, `berth.dev/environment=${target.name}`, settings.argocdNamespace);
  return { connection, branch, timeoutMs, timeout };
}
