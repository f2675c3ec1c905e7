// What Argo CD says runs in each cell of the status matrix, joined to what git says, and where they differ: pure.
//
// Drift here is git naming one version while the cluster runs another: the image tag (or digest) an overlay names
// against status.summary.images (the images of the Application's Pods), an add-on's chart version and a pinned chart
// revision against the revisions Argo CD compared with (status.sync.revisions, in spec.sources order: chart first).
import { comparedTargets, lastDeploy, syncedRevisions, type LiveApplication } from '../argocd-api/application';
import { normalName, runsImage, splitImage } from '../argocd-api/images';
import { applicationName } from '../workspace/names';
import type { LiveCell, LiveDrift, StatusCell, StatusReport } from './model';
import { overlayKey } from './overlays';

/** One cell as the join needs it: what git says, and which image repository the service deploys (none for an add-on). */
export interface GitCell {
  application: string;
  cell: StatusCell;
  addon: boolean;
  repository?: string;
}

const isCommit = (revision: string) => /^[0-9a-f]{40}$/.test(revision);

/** The versions the cluster runs: the tags (or digests, when the overlay pins one) of the repository's images. */
function runningVersions(git: GitCell, live: LiveApplication): string[] {
  // an add-on's chart version is the chart source's targetRevision it was compared with (an OCI chart resolves to a
  // digest, a Helm repository's to the version itself)
  if (git.addon)
    return comparedTargets(live)[0]
      ? [comparedTargets(live)[0]]
      : syncedRevisions(live).filter((revision) => !isCommit(revision));
  const wanted = git.repository === undefined ? undefined : normalName(git.repository);
  const versions = live.images
    .map(splitImage)
    .filter((image) => wanted === undefined || image.name === wanted)
    .map((image) => (git.cell.digest ? (image.digest ?? image.tag) : (image.tag ?? image.digest)))
    .filter((version): version is string => Boolean(version));
  return [...new Set(versions)];
}

function drift(git: GitCell, live: LiveApplication, running: string[]): { drift: LiveDrift; driftText: string | null } {
  const { cell } = git;
  const wanted = cell.digest ?? cell.version;
  if (!wanted) return { drift: 'unknown', driftText: null };
  if (git.addon) {
    if (running.includes(wanted)) return { drift: 'none', driftText: null };
    return {
      drift: running.length ? 'version' : 'unknown',
      driftText: running.length
        ? `git says chart ${wanted}, Argo CD deploys chart ${running.join(', ')}`
        : `Argo CD compared with no chart version (${syncedRevisions(live).join(', ') || 'no revision'})`,
    };
  }
  if (!running.length)
    return {
      drift: 'unknown',
      driftText: `no Pod runs an image of ${git.repository ?? 'the service'}${live.images.length ? ` (it runs ${live.images.join(', ')})` : ''}`,
    };
  if (
    !runsImage(
      live.images,
      { tag: cell.version ?? '', ...(cell.digest ? { digest: cell.digest } : {}) },
      git.repository,
    )
  )
    return { drift: 'version', driftText: `git says ${wanted}, the cluster runs ${running.join(', ')}` };
  // the chart source is the first one; an environment following the branch has no revision of its own to compare
  const chart = syncedRevisions(live)[0];
  if (cell.chartRevision && chart && chart !== cell.chartRevision)
    return {
      drift: 'chart',
      driftText: `git pins the charts of ${cell.chartRevision.slice(0, 7)}, Argo CD deploys those of ${chart.slice(0, 7)}`,
    };
  // a rollout still under way runs the old version beside the new one: git's is among them, so no drift
  return { drift: 'none', driftText: null };
}

/** One cell's live view: what Argo CD says of its Application (undefined: Argo CD has none), joined to git's. */
export function liveCell(git: GitCell, live: LiveApplication | undefined): LiveCell {
  if (!live)
    return {
      application: git.application,
      sync: null,
      health: null,
      revisions: [],
      deployed: null,
      images: [],
      running: [],
      operation: null,
      conditions: [],
      reconciledAt: null,
      drift: 'missing',
      driftText: `Argo CD has no Application ${git.application}`,
    };
  const running = runningVersions(git, live);
  const deploy = lastDeploy(live);
  return {
    application: git.application,
    sync: live.sync.status,
    health: live.health.status,
    revisions: syncedRevisions(live),
    deployed: deploy
      ? {
          revisions: [deploy.revision, ...deploy.revisions].filter((r): r is string => Boolean(r)),
          at: deploy.deployedAt || null,
        }
      : null,
    images: live.images,
    running,
    operation: live.operation
      ? {
          phase: live.operation.phase,
          message: live.operation.message ?? null,
          finishedAt: live.operation.finishedAt ?? null,
        }
      : null,
    conditions: live.conditions.map((condition) => ({ type: condition.type, message: condition.message })),
    reconciledAt: live.reconciledAt ?? null,
    ...drift(git, live, running),
  };
}

/** "Synced Healthy", "OutOfSync Degraded", "no Application": the state of a live cell in two words. */
export const liveStateText = (live: LiveCell) =>
  live.sync === null ? 'no Application' : `${live.sync} ${live.health ?? 'Unknown'}`;

/**
 * The report with each cell's live view: `apps` are the Applications Argo CD listed, `repositories` the image
 * repository of each service's cell (overlayKey), `addons` the add-ons' names; `server` is where they came from.
 */
export function joinLive(
  report: StatusReport,
  apps: LiveApplication[],
  repositories: Map<string, string>,
  server: string,
): StatusReport {
  const byName = new Map(apps.map((app) => [app.name, app]));
  return {
    ...report,
    live: { server, fetchedAt: report.generatedAt },
    services: report.services.map((service) => ({
      ...service,
      cells: Object.fromEntries(
        Object.entries(service.cells).map(([env, cell]) => {
          if (!cell) return [env, cell];
          const application = applicationName(env, service.name);
          const git: GitCell = {
            application,
            cell,
            addon: service.kind === 'addon',
            repository: repositories.get(overlayKey(env, service.name)),
          };
          return [env, { ...cell, live: liveCell(git, byName.get(application)) }];
        }),
      ),
    })),
  };
}
