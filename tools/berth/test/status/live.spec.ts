// berth status --live's join of git and Argo CD, on Applications shaped as Argo CD's API returns them (the fixture
// is written from Argo CD's types): sync, health, the revision applied, the images, and drift from git.
import { describe, expect, it } from 'vitest';
import { parseApplication } from '../../src/argocd-api/application';
import { joinLive, liveCell, type GitCell } from '../../src/status/live';
import type { StatusCell, StatusReport } from '../../src/status/model';
import { formatStatusText } from '../../src/status/text';
import { renderStatusHtml } from '../../src/status/html';
import { applicationJson, CHART_COMMIT, VALUES_COMMIT, type FixtureOptions } from '../argocd-api/fixture';

const REPOSITORY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-a';
const DIGEST_A = `sha256:${'a'.repeat(64)}`;
const DIGEST_B = `sha256:${'b'.repeat(64)}`;

function gitCell(overrides: Partial<StatusCell> = {}): StatusCell {
  return {
    version: '1.4.3',
    chartVersion: null,
    digest: null,
    chartRevision: null,
    since: '2026-12-02T09:00:00Z',
    commit: VALUES_COMMIT,
    commitURL: null,
    subject: 'chore(dev): bump service-a to 1.4.3',
    author: 'berth',
    runningDays: 0,
    chartRevisionURL: null,
    pinned: null,
    behind: null,
    diverged: false,
    unrecorded: false,
    behindSince: null,
    behindDays: null,
    live: null,
    ...overrides,
  };
}

const service = (cell: Partial<StatusCell> = {}): GitCell => ({
  application: 'dev-service-a',
  cell: gitCell(cell),
  addon: false,
  repository: REPOSITORY,
});
const app = (options: FixtureOptions = {}) => parseApplication(applicationJson(options), 'Argo CD at test');

describe('liveCell', () => {
  it('reads sync, health, the revisions applied and the images; no drift when the cluster runs what git says', () => {
    const live = liveCell(service(), app());
    expect(live).toEqual({
      application: 'dev-service-a',
      sync: 'Synced',
      health: 'Healthy',
      revisions: [CHART_COMMIT, VALUES_COMMIT],
      deployed: { revisions: [CHART_COMMIT, VALUES_COMMIT], at: '2026-12-02T10:00:00Z' },
      images: [`${REPOSITORY}:1.4.3`],
      running: ['1.4.3'],
      operation: {
        phase: 'Succeeded',
        message: 'successfully synced (all tasks run)',
        finishedAt: '2026-12-02T10:00:00Z',
      },
      conditions: [],
      reconciledAt: '2026-12-02T11:58:00Z',
      drift: 'none',
      driftText: null,
    });
  });

  it.each<[string, Partial<StatusCell>, string[], string, string | null]>([
    ['another tag', { version: '1.4.4' }, [`${REPOSITORY}:1.4.3`], 'version', 'git says 1.4.4, the cluster runs 1.4.3'],
    [
      'a rollout under way, git among them',
      { version: '1.4.4' },
      [`${REPOSITORY}:1.4.3`, `${REPOSITORY}:1.4.4`],
      'none',
      null,
    ],
    [
      'another digest',
      { digest: DIGEST_A },
      [`${REPOSITORY}:1.4.3@${DIGEST_B}`],
      'version',
      `git says ${DIGEST_A}, the cluster runs ${DIGEST_B}`,
    ],
    ['the digest git pins', { digest: DIGEST_A }, [`${REPOSITORY}:1.4.3@${DIGEST_A}`], 'none', null],
    [
      'only a sidecar of another repository',
      {},
      ['docker.io/envoyproxy/envoy:v1.31.0'],
      'unknown',
      `no Pod runs an image of ${REPOSITORY} (it runs docker.io/envoyproxy/envoy:v1.31.0)`,
    ],
    ['no Pod at all', {}, [], 'unknown', `no Pod runs an image of ${REPOSITORY}`],
  ])('%s', (_, cell, images, drift, text) => {
    const live = liveCell(service(cell), app({ images }));
    expect(live.drift).toBe(drift);
    expect(live.driftText).toBe(text);
  });

  it('compares a pinned chart revision with the revision of the chart source Argo CD compared with', () => {
    expect(liveCell(service({ chartRevision: CHART_COMMIT }), app()).drift).toBe('none');
    const other = liveCell(service({ chartRevision: 'fedcba9876543210fedcba9876543210fedcba98' }), app());
    expect(other).toMatchObject({
      drift: 'chart',
      driftText: 'git pins the charts of fedcba9, Argo CD deploys those of 0123456',
    });
  });

  it("an add-on's version is the chart version among the revisions Argo CD compared with", () => {
    const addon = (version: string): GitCell => ({
      application: 'dev-external-dns',
      cell: gitCell({ version, chartVersion: version }),
      addon: true,
    });
    // a Helm repository's chart resolves to its version; the spec compared with names it too
    const live = app({
      revisions: ['1.16.2', VALUES_COMMIT],
      comparedTo: ['1.16.2', 'main'],
      images: ['registry.k8s.io/external-dns:v0.15.1'],
    });
    expect(liveCell(addon('1.16.2'), live)).toMatchObject({ drift: 'none', running: ['1.16.2'] });
    expect(liveCell(addon('1.17.0'), live)).toMatchObject({
      drift: 'version',
      driftText: 'git says chart 1.17.0, Argo CD deploys chart 1.16.2',
    });
    // an OCI chart resolves to a digest: the version is the targetRevision Argo CD compared with
    const oci = app({ revisions: [`sha256:${'c'.repeat(64)}`, VALUES_COMMIT], comparedTo: ['72.0.0', 'main'] });
    expect(liveCell(addon('72.0.0'), oci)).toMatchObject({ drift: 'none', running: ['72.0.0'] });
  });

  it('an Application Argo CD does not have is drift of its own; a failing one carries its conditions', () => {
    expect(liveCell(service(), undefined)).toMatchObject({
      sync: null,
      health: null,
      drift: 'missing',
      driftText: 'Argo CD has no Application dev-service-a',
    });
    const failing = liveCell(
      service(),
      app({
        sync: 'OutOfSync',
        health: 'Degraded',
        phase: 'Failed',
        message: 'one or more objects failed to apply',
        conditions: [{ type: 'SyncError', message: 'Failed sync attempt: one or more objects failed to apply' }],
      }),
    );
    expect(failing).toMatchObject({
      sync: 'OutOfSync',
      health: 'Degraded',
      operation: { phase: 'Failed', message: 'one or more objects failed to apply' },
      conditions: [{ type: 'SyncError', message: 'Failed sync attempt: one or more objects failed to apply' }],
      drift: 'none',
    });
  });
});

describe('joinLive', () => {
  const report: StatusReport = {
    generatedAt: '2026-12-02T12:00:00.000Z',
    revision: 'main',
    environments: [
      { name: 'dev', promotesFrom: null },
      { name: 'stage', promotesFrom: 'dev' },
    ],
    promotionPaths: [['dev', 'stage']],
    services: [
      {
        name: 'service-a',
        kind: 'stateless',
        chart: null,
        cells: { dev: gitCell({ version: '1.4.4' }), stage: gitCell() },
        history: [],
      },
      { name: 'service-b', kind: 'stateless', chart: null, cells: { dev: gitCell(), stage: null }, history: [] },
    ],
    live: null,
  };

  it('gives each cell its Application by name, leaves cells that do not run alone, and says where it asked', () => {
    const dev = applicationJson({ images: [`${REPOSITORY}:1.4.3`] });
    const stage = applicationJson();
    (stage.metadata as { name: string }).name = 'stage-service-a';
    const joined = joinLive(
      report,
      [parseApplication(dev, 'x'), parseApplication(stage, 'x')],
      new Map([
        ['dev/service-a', REPOSITORY],
        ['stage/service-a', REPOSITORY],
        ['dev/service-b', '123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-b'],
      ]),
      'http://127.0.0.1:8080',
    );
    expect(joined.live).toEqual({ server: 'http://127.0.0.1:8080', fetchedAt: report.generatedAt });
    const [a, b] = joined.services;
    expect(a.cells.dev?.live).toMatchObject({ application: 'dev-service-a', drift: 'version', running: ['1.4.3'] });
    expect(a.cells.stage?.live).toMatchObject({ application: 'stage-service-a', drift: 'none' });
    expect(b.cells.dev?.live).toMatchObject({ application: 'dev-service-b', drift: 'missing' });
    expect(b.cells.stage).toBeNull();
    expect(report.services[0].cells.dev?.live).toBeNull();

    // the text and the board show it
    const text = formatStatusText(joined);
    expect(text).toContain('live from Argo CD at http://127.0.0.1:8080');
    expect(text).toMatch(/1\.4\.4 \(cluster runs 1\.4\.3\)/);
    expect(text).toMatch(/service-b +dev .*no Application *\n/);
    expect(text).toMatch(/ARGO CD +APPLIED +CLUSTER RUNS +LIVE DRIFT/);
    expect(text).toMatch(/Synced Healthy +0123456, 89abcde +1\.4\.3 +git says 1\.4\.4, the cluster runs 1\.4\.3/);
    const page = renderStatusHtml(joined);
    expect(page).toMatch(
      /<div\s+class="live"\s+data-application="dev-service-a"\s+data-sync="Synced"\s+data-health="Healthy"\s+data-live-drift="version"/,
    );
    expect(page).toContain('<div class="live-drift">git says 1.4.4, the cluster runs 1.4.3</div>');
    // the image by its last path part, the whole reference in its title
    expect(page).toContain(`<div class="images"><span title="${REPOSITORY}:1.4.3">service-a:1.4.3</span></div>`);
    expect(page).not.toContain('Argo CD has no Application dev-service-b');
    // what cannot be told (no Pod: a CronJob between runs, a Deployment scaled to zero) is a note, not an alarm
    const idle = joinLive(
      report,
      [parseApplication(applicationJson({ images: [] }), 'x')],
      new Map([['dev/service-a', REPOSITORY]]),
      'x',
    );
    expect(renderStatusHtml(idle)).toContain(`<div class="live-note">no Pod runs an image of ${REPOSITORY}</div>`);
    expect(page).toContain('live from Argo CD at <b class="argocd">http://127.0.0.1:8080</b>');
  });
});
