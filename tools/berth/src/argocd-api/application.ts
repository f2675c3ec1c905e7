// An Argo CD Application as berth reads it from the API: the parts of its status that say what runs and how it is.
//
// Field names and shapes follow Argo CD v3.5's pkg/apis/application/v1alpha1/types.go (ApplicationStatus, SyncStatus,
// AppHealthStatus, RevisionHistory, OperationState, ApplicationCondition, ApplicationSummary). Pure.
import { BerthError } from '../errors';

/** Synced, OutOfSync or Unknown (SyncStatusCode). */
export type SyncStatusCode = string;
/** Healthy, Progressing, Degraded, Suspended, Missing or Unknown (gitops-engine's HealthStatusCode). */
export type HealthStatusCode = string;

export interface LiveHistoryEntry {
  id: number;
  /** Single-source Applications: the revision synced. */
  revision?: string;
  /** Multi-source Applications: one revision per source, in spec.sources order. */
  revisions: string[];
  /** When the sync finished (RFC 3339). */
  deployedAt: string;
  deployStartedAt?: string;
}

export interface LiveApplication {
  name: string;
  namespace: string;
  sync: {
    status: SyncStatusCode;
    /** What the comparison was made to: `revision` for one source, `revisions` per source for several. */
    revision?: string;
    revisions: string[];
    /**
     * The sources the comparison was made with (status.sync.comparedTo), in spec order: what the Application's spec
     * asked for then, e.g. a chart version where `revisions` holds an OCI chart's digest.
     */
    comparedTo: Record<string, unknown>[];
  };
  health: {
    status: HealthStatusCode;
    /** When the Application's health last changed (v3 sets it; older servers may not). */
    lastTransitionTime?: string;
  };
  conditions: { type: string; message: string; lastTransitionTime?: string }[];
  /** The last or current operation (a sync): Running, Succeeded, Failed, Error or Terminating. */
  operation?: { phase: string; message?: string; startedAt?: string; finishedAt?: string };
  /** Oldest first, as Argo CD keeps it (spec.revisionHistoryLimit entries). */
  history: LiveHistoryEntry[];
  /** Every container image of the Application's resources (status.summary.images). */
  images: string[];
  reconciledAt?: string;
}

type Json = Record<string, unknown>;

const object = (value: unknown): Json =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
const string = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
const defined = <T extends object>(entry: T): T =>
  Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined)) as T;

/** ComparedTo's sources (or its one source). */
const comparedSources = (comparedTo: Json): Json[] =>
  (Array.isArray(comparedTo.sources)
    ? comparedTo.sources
    : comparedTo.source !== undefined
      ? [comparedTo.source]
      : []
  ).map(object);

/** Reads GET /api/v1/applications/{name}'s body; `where` names the server and Application for an error. */
export function parseApplication(body: unknown, where: string): LiveApplication {
  const metadata = object(object(body).metadata);
  const name = string(metadata.name);
  if (!name || (object(body).kind !== undefined && object(body).kind !== 'Application'))
    throw new BerthError(`${where} did not answer with an Application.`, {
      fix: 'check that ARGOCD_SERVER is the Argo CD API server (argocd-server), not its UI behind another path.',
    });
  const status = object(object(body).status);
  const sync = object(status.sync);
  const health = object(status.health);
  const operation = status.operationState === undefined ? undefined : object(status.operationState);
  return {
    name,
    namespace: string(metadata.namespace) ?? '',
    sync: defined({
      status: string(sync.status) ?? 'Unknown',
      revision: string(sync.revision),
      revisions: strings(sync.revisions),
      comparedTo: comparedSources(object(sync.comparedTo)),
    }),
    health: defined({
      status: string(health.status) ?? 'Unknown',
      lastTransitionTime: string(health.lastTransitionTime),
    }),
    conditions: (Array.isArray(status.conditions) ? status.conditions : []).map((entry) =>
      defined({
        type: string(object(entry).type) ?? '',
        message: string(object(entry).message) ?? '',
        lastTransitionTime: string(object(entry).lastTransitionTime),
      }),
    ),
    ...(operation
      ? {
          operation: defined({
            phase: string(operation.phase) ?? '',
            message: string(operation.message),
            startedAt: string(operation.startedAt),
            finishedAt: string(operation.finishedAt),
          }),
        }
      : {}),
    history: (Array.isArray(status.history) ? status.history : []).map((entry) => {
      const item = object(entry);
      return defined({
        id: typeof item.id === 'number' ? item.id : Number(item.id ?? 0),
        revision: string(item.revision),
        revisions: strings(item.revisions),
        deployedAt: string(item.deployedAt) ?? '',
        deployStartedAt: string(item.deployStartedAt),
      });
    }),
    images: strings(object(status.summary).images),
    ...(string(status.reconciledAt) ? { reconciledAt: string(status.reconciledAt) } : {}),
  };
}

/** Reads GET /api/v1/applications's body (an ApplicationList: metadata, items), each item as parseApplication does. */
export function parseApplicationList(body: unknown, where: string): LiveApplication[] {
  const items = object(body).items;
  // a nil Go slice: Argo CD writes "items": null when none match (ApplicationList.Items has no omitempty)
  if (items === undefined || items === null) return [];
  if (!Array.isArray(items))
    throw new BerthError(`${where} did not answer with a list of Applications.`, {
      fix: 'check that ARGOCD_SERVER is the Argo CD API server (argocd-server).',
    });
  return items.map((item) => parseApplication(item, where));
}

/** Every revision the Application is compared to: its one `revision`, or one per source. */
export const syncedRevisions = (app: LiveApplication): string[] =>
  [app.sync.revision, ...app.sync.revisions].filter((revision): revision is string => Boolean(revision));

/**
 * Whether Argo CD compared the Application with `revision`: a resolved revision (a commit, a Helm chart's version) or a
 * targetRevision of the spec it compared with (an OCI chart's version, which resolves to a digest).
 */
export const comparedWith = (app: LiveApplication, revision: string): boolean =>
  syncedRevisions(app).includes(revision) || comparedTargets(app).includes(revision);

/** The targetRevision of each source the comparison was made with ('' where one names none). */
export const comparedTargets = (app: LiveApplication): string[] =>
  app.sync.comparedTo.map((source) => string(source.targetRevision) ?? '');

/** The newest sync in the history (Argo CD appends, so the last entry). */
export const lastDeploy = (app: LiveApplication): LiveHistoryEntry | undefined =>
  [...app.history].sort((a, b) => Date.parse(a.deployedAt) - Date.parse(b.deployedAt)).at(-1);
