// An Application as GET /api/v1/applications/{name} returns it, written field by field from Argo CD v3.5.7's
// pkg/apis/application/v1alpha1/types.go (Application, ApplicationStatus, SyncStatus, ComparedTo, AppHealthStatus,
// RevisionHistory, OperationState, SyncOperationResult, ApplicationCondition, ApplicationSummary, ResourceStatus) and
// the JSON names of their tags; times are metav1.Time (RFC 3339, seconds). It is the shape the parser must read, not
// a stand-in for the server: the client itself is tested against the real Argo CD.

export const CHART_COMMIT = '0123456789abcdef0123456789abcdef01234567';
export const VALUES_COMMIT = '89abcdef0123456789abcdef0123456789abcdef';
const REPO = 'https://github.com/acme/platform-gitops.git';

const sources = [
  {
    repoURL: REPO,
    path: 'charts/service-a',
    targetRevision: 'main',
    helm: {
      releaseName: 'service-a',
      valueFiles: ['$values/environments/dev/values.yaml', '$values/environments/dev/service-a.yaml'],
    },
  },
  { repoURL: REPO, targetRevision: 'main', ref: 'values' },
];

export interface FixtureOptions {
  sync?: string;
  health?: string;
  healthSince?: string;
  deployedAt?: string;
  images?: string[];
  revisions?: string[];
  phase?: string;
  message?: string;
  conditions?: { type: string; message: string }[];
  /** The targetRevision of each source in status.sync.comparedTo (the spec's, `main` for both, by default). */
  comparedTo?: string[];
}

export function applicationJson(options: FixtureOptions = {}): Record<string, unknown> {
  const revisions = options.revisions ?? [CHART_COMMIT, VALUES_COMMIT];
  const deployedAt = options.deployedAt ?? '2026-12-02T10:00:00Z';
  return {
    metadata: {
      name: 'dev-service-a',
      namespace: 'argocd',
      uid: '5f0c1b9e-8a0e-4a53-9c71-1d1f4c2b7a10',
      resourceVersion: '48213',
      generation: 7,
      creationTimestamp: '2026-11-30T08:00:00Z',
      labels: { 'berth.dev/environment': 'dev', 'berth.dev/service': 'service-a' },
      annotations: { 'argocd.argoproj.io/sync-wave': '1' },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: 'dev',
      destination: { server: 'https://dev.eks.eu-west-1.example.internal', namespace: 'dev' },
      sources,
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        retry: { limit: 5, backoff: { duration: '5s', factor: 2, maxDuration: '3m' } },
      },
    },
    status: {
      resources: [
        {
          version: 'v1',
          kind: 'Service',
          namespace: 'dev',
          name: 'service-a',
          status: 'Synced',
          health: { status: 'Healthy' },
        },
        {
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          namespace: 'dev',
          name: 'service-a',
          status: 'Synced',
          health: { status: options.health ?? 'Healthy' },
        },
      ],
      sync: {
        status: options.sync ?? 'Synced',
        comparedTo: {
          destination: { server: 'https://dev.eks.eu-west-1.example.internal', namespace: 'dev' },
          sources: options.comparedTo
            ? sources.map((source, index) => ({ ...source, targetRevision: options.comparedTo![index] }))
            : sources,
        },
        revisions,
      },
      health: {
        status: options.health ?? 'Healthy',
        lastTransitionTime: options.healthSince ?? '2026-12-02T10:01:30Z',
      },
      history: [
        {
          revisions: ['fedcba9876543210fedcba9876543210fedcba98', VALUES_COMMIT],
          deployedAt: '2026-12-01T09:00:00Z',
          id: 3,
          sources,
          deployStartedAt: '2026-12-01T08:59:50Z',
          initiatedBy: { automated: true },
        },
        {
          revisions,
          deployedAt,
          id: 4,
          sources,
          deployStartedAt: '2026-12-02T09:59:52Z',
          initiatedBy: { automated: true },
        },
      ],
      ...(options.conditions
        ? {
            conditions: options.conditions.map((condition) => ({
              ...condition,
              lastTransitionTime: '2026-12-02T10:02:00Z',
            })),
          }
        : {}),
      reconciledAt: '2026-12-02T11:58:00Z',
      operationState: {
        operation: {
          sync: { revisions, syncOptions: ['CreateNamespace=false'] },
          initiatedBy: { automated: true },
          retry: { limit: 5 },
        },
        phase: options.phase ?? 'Succeeded',
        message: options.message ?? 'successfully synced (all tasks run)',
        syncResult: { resources: [], revision: '', sources, revisions },
        startedAt: '2026-12-02T09:59:52Z',
        finishedAt: '2026-12-02T10:00:00Z',
      },
      sourceType: 'Helm',
      sourceTypes: ['Helm', 'Helm'],
      summary: { images: options.images ?? ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-a:1.4.3'] },
      controllerNamespace: 'argocd',
    },
  };
}
