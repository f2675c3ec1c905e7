// Gathers what `berth status` shows: the workspace and its overlays from disk, the history from one git call, and with
// --live what Argo CD's API says of each environment's Applications (one list call per environment).
import type { LiveApplication } from '../argocd-api/application';
import { listApplications } from '../argocd-api/client';
import { connectionFromEnv, type ArgoConnection } from '../argocd-api/connection';
import { BerthError } from '../errors';
import { readHistory } from '../history/log';
import { createLimiter } from '../registry/limiter';
import { diskFiles, type WorkspaceFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import { isAddon, type Workspace } from '../workspace/model';
import { imageRepository } from '../workspace/values';
import { joinLive } from './live';
import { buildStatus, type StatusReport } from './model';
import { overlayKey, readOverlays } from './overlays';

export interface StatusOptions {
  /** Ask Argo CD: the connection, or undefined to read it from ARGOCD_SERVER and ARGOCD_AUTH_TOKEN. */
  live?: boolean;
  argocd?: ArgoConnection;
}

/** The connection --live uses: a clear error when the environment names no Argo CD. */
export function liveConnection(given?: ArgoConnection): ArgoConnection {
  const connection = given ?? connectionFromEnv();
  if (!connection)
    throw new BerthError('--live asks Argo CD what runs, and ARGOCD_SERVER is not set.', {
      field: 'ARGOCD_SERVER',
      fix: 'set ARGOCD_SERVER (host:port of argocd-server) and ARGOCD_AUTH_TOKEN, as for the argocd CLI (for the local cluster: set -a; . dist/cluster/argocd.env; set +a), or drop --live.',
    });
  return connection;
}

/** Every Application berth generated, by its berth.dev/environment label, one environment at a time (4 at once). */
async function fetchLive(connection: ArgoConnection, workspace: Workspace): Promise<LiveApplication[]> {
  const limiter = createLimiter(4);
  const lists = await Promise.all(
    workspace.environments.map((env) =>
      limiter.run(() =>
        listApplications(connection, `berth.dev/environment=${env.name}`, workspace.settings.argocdNamespace),
      ),
    ),
  );
  return lists.flat();
}

/** The image repository each service's cell deploys (values image.repository); none for add-ons or when unset. */
function repositories(files: WorkspaceFiles, workspace: Workspace): Map<string, string> {
  const found = new Map<string, string>();
  for (const service of workspace.services) {
    if (isAddon(service)) continue;
    for (const env of service.environments) {
      try {
        found.set(overlayKey(env, service.name), imageRepository(files, env, service.name));
      } catch (error) {
        // a service without image.repository is validate's to report; live status compares any image then
        if (!(error instanceof BerthError)) throw error;
      }
    }
  }
  return found;
}

export async function status(root: string, now: Date = new Date(), options: StatusOptions = {}): Promise<StatusReport> {
  const connection = options.live ? liveConnection(options.argocd) : undefined;
  // the one git call: every commit under environments/ and apps/ with its records and files
  const history = readHistory(root);
  history.catch(() => undefined); // awaited below; a workspace error must not leave it unhandled
  const files = diskFiles(root);
  const workspace = loadWorkspace(files);
  const overlays = readOverlays(files, workspace);
  const live = connection ? fetchLive(connection, workspace) : undefined;
  live?.catch(() => undefined); // awaited below, after the history
  const report = buildStatus(workspace, overlays, await history, now);
  if (!connection || !live) return report;
  return joinLive(report, await live, repositories(files, workspace), connection.baseUrl);
}
