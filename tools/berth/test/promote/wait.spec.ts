// berth promote --wait's decision, on Applications shaped as Argo CD's API returns them (the fixture is written from
// Argo CD's types): done at the pushed revision Synced and Healthy, failed on Degraded or a failed sync, else waiting.
import { describe, expect, it } from 'vitest';
import { parseApplication } from '../../src/argocd-api/application';
import { waitFailure, type WaitReport } from '../../src/promote/await-sync';
import { decideWait, overallState, progressLine, type WaitContext, type WaitTarget } from '../../src/promote/wait';
import { applicationJson, CHART_COMMIT, VALUES_COMMIT, type FixtureOptions } from '../argocd-api/fixture';

/** The promotion commit pushed: Argo CD's values source (`ref: values`, the branch) resolves to it. */
const PUSHED = VALUES_COMMIT;
const OLDER = '1111111111111111111111111111111111111111';
const LATER = '2222222222222222222222222222222222222222';
/** The fixture's operation started at 09:59:52Z; the push was just before. */
const context: WaitContext = { pushed: PUSHED, newer: new Set(), since: Date.parse('2026-12-02T09:59:00Z') };
const target: WaitTarget = { service: 'service-a', application: 'stage-service-a', chart: CHART_COMMIT };
const app = (options: FixtureOptions = {}) => parseApplication(applicationJson(options), 'Argo CD at test');

describe('decideWait', () => {
  it.each<[string, FixtureOptions, WaitContext, 'done' | 'waiting' | 'failed', string]>([
    [
      'Synced and Healthy at the pushed commit and chart',
      {},
      context,
      'done',
      'Synced and Healthy at the pushed revision',
    ],
    [
      'still at the commit before',
      { revisions: [CHART_COMMIT, OLDER], sync: 'Synced', phase: 'Succeeded' },
      { ...context, since: Date.parse('2026-12-02T10:30:00Z') },
      'waiting',
      'at 0123456789ab, 111111111111, not yet 89abcdef0123, 0123456789ab; Synced Healthy',
    ],
    [
      'at the pushed commit but the old charts (the app of apps has not synced the new spec yet)',
      { revisions: ['fedcba9876543210fedcba9876543210fedcba98', PUSHED] },
      context,
      'waiting',
      'at fedcba987654, 89abcdef0123, not yet 89abcdef0123, 0123456789ab; Synced Healthy',
    ],
    [
      'OutOfSync at the pushed commit: auto-sync is to come',
      { sync: 'OutOfSync' },
      context,
      'waiting',
      'OutOfSync at the pushed revision',
    ],
    [
      'a sync running',
      { phase: 'Running', message: 'one or more tasks are running' },
      context,
      'waiting',
      'syncing (one or more tasks are running)',
    ],
    ['Progressing after the sync', { health: 'Progressing' }, context, 'waiting', 'Synced, Progressing'],
    ['Degraded at the pushed commit', { health: 'Degraded' }, context, 'failed', 'Degraded at the pushed revision'],
    [
      'Degraded at the commit before: the promotion may fix it',
      { health: 'Degraded', revisions: [CHART_COMMIT, OLDER] },
      { ...context, since: Date.parse('2026-12-02T10:30:00Z') },
      'waiting',
      'at 0123456789ab, 111111111111, not yet 89abcdef0123, 0123456789ab; Synced Degraded',
    ],
    [
      'a sync of this promotion that failed',
      { sync: 'OutOfSync', phase: 'Failed', message: 'one or more objects failed to apply' },
      context,
      'failed',
      'its sync failed: one or more objects failed to apply',
    ],
    [
      'a sync that errored',
      { sync: 'OutOfSync', phase: 'Error', message: 'rpc error: code = Unknown' },
      context,
      'failed',
      'its sync errored: rpc error: code = Unknown',
    ],
    [
      'an old failed sync, from before the push, at an older commit',
      { sync: 'OutOfSync', phase: 'Failed', message: 'old failure', revisions: [CHART_COMMIT, OLDER] },
      { ...context, since: Date.parse('2026-12-02T10:30:00Z') },
      'waiting',
      'at 0123456789ab, 111111111111, not yet 89abcdef0123, 0123456789ab; OutOfSync Healthy',
    ],
    [
      'a later commit holding the pushed one',
      { revisions: [CHART_COMMIT, LATER] },
      { ...context, newer: new Set([LATER]) },
      'done',
      'Synced and Healthy at the pushed revision',
    ],
  ])('%s', (_, options, given, state, reason) => {
    expect(decideWait(target, app(options), given)).toEqual({
      service: 'service-a',
      application: 'stage-service-a',
      state,
      reason,
    });
  });

  it('an add-on waits for its chart version among the revisions, and a service without a chart for the commit', () => {
    const addon: WaitTarget = { service: 'external-dns', application: 'stage-external-dns', chart: '1.16.2' };
    expect(decideWait(addon, app({ revisions: ['1.16.2', PUSHED] }), context).state).toBe('done');
    // an OCI chart's revision is its digest: the version is the targetRevision of the spec compared with
    const oci = app({ revisions: [`sha256:${'c'.repeat(64)}`, PUSHED], comparedTo: ['1.16.2', 'main'] });
    expect(decideWait(addon, oci, context).state).toBe('done');
    expect(decideWait(addon, app({ revisions: ['1.16.1', PUSHED] }), context)).toMatchObject({
      state: 'waiting',
      reason: 'at 1.16.1, 89abcdef0123, not yet 89abcdef0123, 1.16.2; Synced Healthy',
    });
    expect(decideWait({ service: 'a', application: 'stage-a' }, app(), context).state).toBe('done');
  });
});

describe('decideWait on a chart pinned at a commit', () => {
  // its Application is one source at the chart commit carrying the values (argocd/manifests): no revision of it is
  // the pushed commit, so the promotion has arrived when Argo CD compares with exactly the source the push holds
  const source = (values: Record<string, unknown>) => ({
    repoURL: 'https://github.com/acme/platform-gitops.git',
    path: 'charts/service-a',
    targetRevision: CHART_COMMIT,
    helm: { releaseName: 'service-a', valuesObject: values, kubeVersion: '1.36.0' },
  });
  const pushed = source({ image: { tag: '1.4.3' }, chartRevision: CHART_COMMIT });
  const pinned: WaitTarget = { ...target, pinnedSource: pushed };
  const compared = (comparedSource: Record<string, unknown>, options: FixtureOptions = {}) => {
    const json = applicationJson(options);
    (json.status as { sync: Record<string, unknown> }).sync = {
      status: options.sync ?? 'Synced',
      revision: CHART_COMMIT,
      comparedTo: { source: comparedSource },
    };
    return parseApplication(json, 'Argo CD at test');
  };

  it('is done when Argo CD compares with the pushed source, Synced and Healthy', () => {
    expect(decideWait(pinned, compared(structuredClone(pushed)), context)).toMatchObject({ state: 'done' });
    expect(decideWait(pinned, compared(pushed, { health: 'Degraded' }), context).state).toBe('failed');
  });

  it('waits while Argo CD compares with the source before the promotion, even one that only had a key more', () => {
    const before = source({ image: { tag: '1.4.2' }, chartRevision: CHART_COMMIT });
    expect(decideWait(pinned, compared(before), context)).toMatchObject({
      state: 'waiting',
      reason: `at 0123456789ab, not yet the promotion's source (chart at 0123456789ab with the pushed values); Synced Healthy`,
    });
    const digestDropped = source({
      image: { tag: '1.4.3', digest: `sha256:${'d'.repeat(64)}` },
      chartRevision: CHART_COMMIT,
    });
    expect(decideWait(pinned, compared(digestDropped), context).state).toBe('waiting');
    // the multi-source form of the branch is not the pinned one either
    expect(decideWait(pinned, app(), context).state).toBe('waiting');
  });
});

describe('overallState and progress', () => {
  const done = decideWait(target, app(), context);
  const waiting = decideWait(target, app({ health: 'Progressing' }), context);
  const failed = decideWait(target, app({ health: 'Degraded' }), context);

  it('is done when every Application is, failed when one is, waiting otherwise', () => {
    expect(overallState([done, done])).toBe('done');
    expect(overallState([done, waiting])).toBe('waiting');
    expect(overallState([waiting, failed])).toBe('failed');
  });

  it('says in one line how many arrived and what the others wait for', () => {
    expect(progressLine([done, { ...waiting, application: 'stage-service-b' }], '14s')).toBe(
      'waiting for Argo CD (14s): 1/2 Synced and Healthy; stage-service-b: Synced, Progressing',
    );
  });

  it("a failure names each Application not done with Argo CD's conditions and operation message", () => {
    const report: WaitReport = {
      outcome: 'failed',
      seconds: 42,
      applications: [
        { ...done, sync: 'Synced', health: 'Healthy', revisions: [CHART_COMMIT, PUSHED], argocd: [] },
        {
          ...failed,
          application: 'stage-service-b',
          sync: 'Synced',
          health: 'Degraded',
          revisions: [CHART_COMMIT, PUSHED],
          argocd: ['SyncError: Failed sync attempt', 'operation Succeeded: successfully synced (all tasks run)'],
        },
      ],
    };
    const error = waitFailure(report, 'stage', '10m');
    expect(error.problem).toBe(
      `stage failed after the promotion was pushed:\n  stage-service-b: Degraded at the pushed revision (sync Synced, health Degraded, at ${CHART_COMMIT}, ${PUSHED})\n    Argo CD: SyncError: Failed sync attempt\n    Argo CD: operation Succeeded: successfully synced (all tasks run)`,
    );
    expect(error.fix).toMatch(/berth rollback <service> --env stage --push/);
    const timeout = waitFailure({ ...report, outcome: 'timeout' }, 'stage', '90s');
    expect(timeout.problem).toMatch(/^stage did not become Synced and Healthy at the pushed commit within 90s:/);
    expect(timeout.field).toBe('--timeout');
  });
});
