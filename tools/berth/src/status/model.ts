// The status matrix, services × environments, from the workspace, the overlays and the history: pure.
//
// The overlay is the truth of what runs; the history only explains it (since when, by which commit, how far behind).
import type { HistoryCommit } from '../history/log';
import { timeline, type Release } from '../history/timeline';
import { runsIn } from '../workspace/addons';
import { isAddon, paths, type ServiceKind, type Workspace } from '../workspace/model';
import { elapsedDays } from './ages';
import { behindSince, driftFrom, NO_DRIFT } from './drift';
import { promotionPaths } from './graph';
import { commitUrl, repositoryWeb } from './links';
import { overlayKey, type Overlays } from './overlays';

/** What `berth status --json` prints. Fields are never left out: an unknown value is null. */
export interface StatusReport {
  generatedAt: string;
  /** The branch Argo CD follows: what a cell whose chartRevision is null deploys charts from. */
  revision: string;
  /** In promotion order. */
  environments: { name: string; promotesFrom: string | null }[];
  /** The promotion graph as paths from each first environment to each last one: [["dev", "qa"], ["dev", "stage", "prod"]]. */
  promotionPaths: string[][];
  /** Sorted by name. */
  services: ServiceStatus[];
  /** --live: the Argo CD API server the cells' `live` came from; null without --live. */
  live: { server: string; fetchedAt: string } | null;
}

export interface ServiceStatus {
  name: string;
  /** An add-on's versions are the chart versions of its upstream chart (`chart`: its name and repository). */
  kind: ServiceKind;
  chart: { name: string; repo: string } | null;
  /** One key per environment of the workspace; null where the service does not run. */
  cells: Record<string, StatusCell | null>;
  /** Every release of the service in every environment, newest first. */
  history: HistoryEntry[];
}

export interface StatusCell {
  /** image.tag of the overlay (an add-on's: berth.chartVersion); null when the overlay has none. */
  version: string | null;
  /** An add-on's chart version there (berth.chartVersion); null for a service. */
  chartVersion: string | null;
  digest: string | null;
  /** The commit whose charts/ the environment deploys; null: it follows the branch (`revision`). */
  chartRevision: string | null;
  /** The commit that set this version (see `sinceCommit`), its date (ISO 8601) and author. */
  since: string | null;
  commit: string | null;
  /** The page of `commit` on GitHub or GitLab (from berth.yaml's repoURL); null for other hosts. */
  commitURL: string | null;
  /** The first line of `commit`'s message. */
  subject: string | null;
  author: string | null;
  /** Whole days this version has run here, at `generatedAt`. */
  runningDays: number | null;
  /** The page of `chartRevision`, like commitURL. */
  chartRevisionURL: string | null;
  pinned: { version: string | null; reason: string | null; since: string | null } | null;
  /** Distinct versions the source environment deployed after this one; 0 in step; null without a source or when diverged. */
  behind: number | null;
  /** This version never ran in the source environment. */
  diverged: boolean;
  /** The versions differ and the source has no recorded release to count behind with. */
  unrecorded: boolean;
  /** When the source last moved on from this version: behind since then. Null unless `behind` > 0. */
  behindSince: string | null;
  /** Whole days from `behindSince` to `generatedAt`. */
  behindDays: number | null;
  /** --live: what Argo CD says runs there, and whether it is what git says; null without --live. */
  live: LiveCell | null;
}

export interface HistoryEntry {
  env: string;
  version: string;
  action: Release['action'];
  from: string | null;
  sourceEnv: string | null;
  digest: string | null;
  chartRevision: string | null;
  reason: string | null;
  commit: string;
  commitURL: string | null;
  chartRevisionURL: string | null;
  subject: string | null;
  date: string;
  author: string;
}

/** History cut to what the matrix needs, built in one pass so 100 services × N environments never rescan it. */
interface HistoryIndex {
  /** Commits carrying records of a service, newest first. */
  byService: Map<string, HistoryCommit[]>;
  /** The newest commit that touched each file. */
  lastTouch: Map<string, HistoryCommit>;
  /** Position of each commit, newest first (0 = newest). */
  position: Map<string, number>;
  /** The subject line of each commit. */
  subject: Map<string, string>;
}

function indexHistory(history: HistoryCommit[]): HistoryIndex {
  const byService = new Map<string, HistoryCommit[]>();
  const lastTouch = new Map<string, HistoryCommit>();
  const position = new Map<string, number>();
  const subject = new Map<string, string>();
  history.forEach((commit, index) => {
    position.set(commit.sha, index);
    subject.set(commit.sha, commit.subject);
    for (const file of commit.files) if (!lastTouch.has(file)) lastTouch.set(file, commit);
    for (const service of new Set(commit.records.map((record) => record.service))) {
      const commits = byService.get(service) ?? [];
      commits.push(commit);
      byService.set(service, commits);
    }
  });
  return { byService, lastTouch, position, subject };
}

/**
 * The commit that brought `version`: the newest release that changed the version, when it set this one; otherwise
 * (the overlay was edited by hand since, or never by berth) the newest commit that touched the overlay.
 */
export function sinceCommit(
  releases: Release[],
  version: string | null,
  overlayTouch: HistoryCommit | undefined,
): { sha: string; date: string; author: string } | undefined {
  const changes = releases.filter((release) => release.from !== release.version);
  const newest = changes[changes.length - 1];
  if (newest && newest.version === version) return newest;
  return overlayTouch;
}

export function buildStatus(
  workspace: Workspace,
  overlays: Overlays,
  history: HistoryCommit[],
  now: Date,
): StatusReport {
  const index = indexHistory(history);
  const environments = workspace.environments.map((env) => ({ name: env.name, promotesFrom: env.promotesFrom }));
  const web = repositoryWeb(workspace.settings.repoURL);
  const link = (sha: string | null | undefined) => commitUrl(web, sha) ?? null;
  const services = workspace.services.map((service): ServiceStatus => {
    const commits = index.byService.get(service.name) ?? [];
    const releases = new Map(environments.map((env) => [env.name, timeline(commits, service.name, env.name)]));
    // an add-on EKS Auto Mode provides has no Application where env.yaml turns Auto Mode on
    const runs = (env: string) =>
      runsIn(
        service,
        workspace.environments.find((candidate) => candidate.name === env)!,
      );
    const versionIn = (env: string) =>
      runs(env) ? overlays.get(overlayKey(env, service.name))?.tag || undefined : undefined;
    const cells: Record<string, StatusCell | null> = {};
    // promotion order: a source's cell is there before the cells that promote from it
    for (const env of environments) {
      if (!runs(env.name)) {
        cells[env.name] = null;
        continue;
      }
      const deployed = overlays.get(overlayKey(env.name, service.name));
      const version = deployed?.tag || null;
      const since = sinceCommit(
        releases.get(env.name)!,
        version,
        index.lastTouch.get(paths.overlay(env.name, service.name)),
      );
      const pin = service.pins[env.name];
      const source = env.promotesFrom;
      const drift = source ? driftFrom(releases.get(source) ?? [], versionIn(source), version ?? undefined) : NO_DRIFT;
      // only a cell that is behind has a date it fell behind on
      const lagSince =
        source && drift.behind
          ? behindSince(
              releases.get(source) ?? [],
              versionIn(source),
              cells[source]?.since ?? null,
              version ?? undefined,
            )
          : null;
      const chartRevision = deployed?.chartRevision ?? null;
      cells[env.name] = {
        version,
        chartVersion: deployed?.chartVersion ?? null,
        digest: deployed?.digest ?? null,
        chartRevision,
        since: since?.date ?? null,
        commit: since?.sha ?? null,
        commitURL: link(since?.sha),
        subject: since ? (index.subject.get(since.sha) ?? null) : null,
        author: since?.author ?? null,
        runningDays: elapsedDays(since?.date ?? null, now),
        chartRevisionURL: link(chartRevision),
        pinned: pin ? { version: pin.version ?? null, reason: pin.reason ?? null, since: pin.since ?? null } : null,
        behind: drift.behind,
        diverged: drift.diverged,
        unrecorded: drift.unrecorded,
        behindSince: lagSince,
        behindDays: elapsedDays(lagSince, now),
        live: null,
      };
    }
    const entries = environments.flatMap((env) =>
      releases.get(env.name)!.map((release) => historyEntry(env.name, release, link, index.subject)),
    );
    // newest commit first across environments; the records of one commit in promotion order
    const order = entries.map((entry, at) => ({ entry, at, position: index.position.get(entry.commit) ?? 0 }));
    order.sort((a, b) => a.position - b.position || a.at - b.at);
    const chart = isAddon(service) ? { ...service.addon.chart } : null;
    return { name: service.name, kind: service.kind, chart, cells, history: order.map(({ entry }) => entry) };
  });
  return {
    generatedAt: now.toISOString(),
    revision: workspace.settings.revision,
    environments,
    promotionPaths: promotionPaths(environments),
    services,
    live: null,
  };
}

function historyEntry(
  env: string,
  release: Release,
  link: (sha: string | undefined) => string | null,
  subjects: Map<string, string>,
): HistoryEntry {
  return {
    env,
    version: release.version,
    action: release.action,
    from: release.from ?? null,
    sourceEnv: release.sourceEnv ?? null,
    digest: release.digest ?? null,
    chartRevision: release.chartRevision ?? null,
    reason: release.reason ?? null,
    commit: release.sha,
    commitURL: link(release.sha),
    chartRevisionURL: link(release.chartRevision),
    subject: subjects.get(release.sha) ?? null,
    date: release.date,
    author: release.author,
  };
}

/**
 * none: the cluster runs what git names; version: it runs another image tag, digest or chart version; chart: it
 * deploys other charts than the revision the overlay pins; missing: Argo CD has no such Application; unknown: no Pod
 * runs an image of the service's repository (not synced yet, scaled to zero), so it cannot be told.
 */
export type LiveDrift = 'none' | 'version' | 'chart' | 'missing' | 'unknown';

/** What `berth status --live --json` adds to each cell. Fields are never left out: an unknown value is null. */
export interface LiveCell {
  /** The Argo CD Application of the cell (<env>-<service>). */
  application: string;
  /** Synced, OutOfSync or Unknown; null when Argo CD has no such Application. */
  sync: string | null;
  /** Healthy, Progressing, Degraded, Suspended, Missing or Unknown; null without an Application. */
  health: string | null;
  /** The revisions Argo CD compared with, one per source (chart, then the values repository). */
  revisions: string[];
  /** The newest sync in Argo CD's history: what it applied and when. */
  deployed: { revisions: string[]; at: string | null } | null;
  /** The images the Application's Pods run (status.summary.images). */
  images: string[];
  /** The versions the cluster runs of what git versions: image tags (or digests) of the service's repository, or the add-on's chart version. */
  running: string[];
  /** The last or current sync operation. */
  operation: { phase: string; message: string | null; finishedAt: string | null } | null;
  conditions: { type: string; message: string }[];
  reconciledAt: string | null;
  drift: LiveDrift;
  /** The drift in words ("git says 1.4.3, the cluster runs 1.4.2"); null when there is none. */
  driftText: string | null;
}
