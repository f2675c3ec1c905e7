// Reading an Argo CD Application's status from the API's JSON (the fixture is written from Argo CD's own types).
import { describe, expect, it } from 'vitest';
import {
  comparedTargets,
  lastDeploy,
  parseApplication,
  parseApplicationList,
  syncedRevisions,
} from '../../src/argocd-api/application';
import { applicationJson, CHART_COMMIT, VALUES_COMMIT } from './fixture';

describe('parseApplication', () => {
  it('reads sync, health, history, the operation and the images', () => {
    const live = parseApplication(applicationJson(), 'Argo CD at https://127.0.0.1:8080');
    expect(live).toEqual({
      name: 'dev-service-a',
      namespace: 'argocd',
      sync: {
        status: 'Synced',
        revisions: [CHART_COMMIT, VALUES_COMMIT],
        comparedTo: [
          expect.objectContaining({ targetRevision: 'main', path: 'charts/service-a' }),
          expect.objectContaining({ targetRevision: 'main', ref: 'values' }),
        ],
      },
      health: { status: 'Healthy', lastTransitionTime: '2026-12-02T10:01:30Z' },
      conditions: [],
      operation: {
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        startedAt: '2026-12-02T09:59:52Z',
        finishedAt: '2026-12-02T10:00:00Z',
      },
      history: [
        {
          id: 3,
          revisions: ['fedcba9876543210fedcba9876543210fedcba98', VALUES_COMMIT],
          deployedAt: '2026-12-01T09:00:00Z',
          deployStartedAt: '2026-12-01T08:59:50Z',
        },
        {
          id: 4,
          revisions: [CHART_COMMIT, VALUES_COMMIT],
          deployedAt: '2026-12-02T10:00:00Z',
          deployStartedAt: '2026-12-02T09:59:52Z',
        },
      ],
      images: ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-a:1.4.3'],
      reconciledAt: '2026-12-02T11:58:00Z',
    });
    expect(syncedRevisions(live)).toEqual([CHART_COMMIT, VALUES_COMMIT]);
    expect(lastDeploy(live)?.id).toBe(4);
  });

  it('reads a single-source Application by its revision, and conditions with their type', () => {
    const json = applicationJson({
      sync: 'OutOfSync',
      conditions: [{ type: 'ComparisonError', message: 'rpc error: repository not found' }],
    });
    const status = json.status as { sync: Record<string, unknown> };
    status.sync = {
      status: 'OutOfSync',
      revision: CHART_COMMIT,
      comparedTo: { source: { repoURL: 'https://github.com/acme/platform-gitops.git', targetRevision: CHART_COMMIT } },
    };
    const live = parseApplication(json, 'here');
    expect(live.sync).toEqual({
      status: 'OutOfSync',
      revision: CHART_COMMIT,
      revisions: [],
      comparedTo: [{ repoURL: 'https://github.com/acme/platform-gitops.git', targetRevision: CHART_COMMIT }],
    });
    expect(comparedTargets(live)).toEqual([CHART_COMMIT]);
    expect(syncedRevisions(live)).toEqual([CHART_COMMIT]);
    expect(live.conditions).toEqual([
      {
        type: 'ComparisonError',
        message: 'rpc error: repository not found',
        lastTransitionTime: '2026-12-02T10:02:00Z',
      },
    ]);
  });

  it('reads an Application Argo CD has not reconciled yet as Unknown, with no history', () => {
    const live = parseApplication({ metadata: { name: 'stage-service-a', namespace: 'argocd' }, spec: {} }, 'here');
    expect(live).toMatchObject({
      sync: { status: 'Unknown', revisions: [] },
      health: { status: 'Unknown' },
      history: [],
      images: [],
    });
    expect(live.operation).toBeUndefined();
    expect(lastDeploy(live)).toBeUndefined();
  });

  it('refuses what is not an Application, naming where it came from', () => {
    expect(() => parseApplication('<html>login</html>', 'Argo CD at https://argocd.example.com')).toThrow(
      /Argo CD at https:\/\/argocd\.example\.com did not answer with an Application\.\nFix: check that ARGOCD_SERVER is the Argo CD API server/,
    );
    expect(() => parseApplication({ kind: 'AppProject', metadata: { name: 'dev' } }, 'here')).toThrow(
      /did not answer with an Application/,
    );
  });

  it('reads an ApplicationList, and none when its items are null (a nil list)', () => {
    const list = {
      metadata: { resourceVersion: '48213' },
      items: [applicationJson(), applicationJson({ health: 'Degraded' })],
    };
    expect(parseApplicationList(list, 'here').map((app) => app.health.status)).toEqual(['Healthy', 'Degraded']);
    expect(parseApplicationList({ metadata: {}, items: null }, 'here')).toEqual([]);
    expect(() => parseApplicationList({ items: {} }, 'Argo CD at x')).toThrow(
      /Argo CD at x did not answer with a list of Applications/,
    );
  });
});
