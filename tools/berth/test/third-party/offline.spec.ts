// Offline: an Application whose third-party chart is not cached is a notice naming the fetch command in render and
// validate, never a failure of its own; every other Application renders and validates.
import { readFileSync, rmSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify, parse } from 'yaml';
import { validate } from '../../src/validate/command';
import { berthWith, copyExample } from '../cli/workspace';
import { closedPort } from '../support/closed-port';

let UNREACHABLE: string;

describe('an uncached third-party chart, offline', () => {
  let work: string;
  let cache: string;
  const previous = process.env.BERTH_CHART_CACHE;

  let notice: string;
  beforeAll(async () => {
    UNREACHABLE = `http://127.0.0.1:${await closedPort()}`;
    notice = `not rendered: chart metrics-server 3.12.2 from ${UNREACHABLE} is not cached — run: npx berth chart-fetch ${UNREACHABLE} metrics-server 3.12.2`;
    work = copyExample();
    cache = mkdtempSync(join(tmpdir(), 'berth-offline-cache-'));
    process.env.BERTH_CHART_CACHE = cache;
    const template = parse(readFileSync(join(work, 'argocd/apps/dev/service-a.yaml'), 'utf8'));
    const ours = template.spec.sources[0];
    const application = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: 'dev-metrics-server',
        namespace: 'argocd',
        labels: { 'berth.dev/environment': 'dev', 'berth.dev/service': 'metrics-server' },
      },
      spec: {
        project: 'dev-addons',
        destination: { server: template.spec.destination.server, namespace: 'kube-system' },
        sources: [
          {
            repoURL: UNREACHABLE,
            chart: 'metrics-server',
            targetRevision: '3.12.2',
            helm: {
              releaseName: 'metrics-server',
              valueFiles: ['$values/environments/dev/metrics-server.yaml'],
              kubeVersion: ours.helm.kubeVersion,
            },
          },
          { repoURL: ours.repoURL, targetRevision: ours.targetRevision, ref: 'values' },
        ],
      },
    };
    writeFileSync(join(work, 'argocd/apps/dev/metrics-server.yaml'), stringify(application));
    writeFileSync(join(work, 'environments/dev/metrics-server.yaml'), 'berth:\n  chartVersion: "3.12.2"\n');
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.BERTH_CHART_CACHE;
    else process.env.BERTH_CHART_CACHE = previous;
    rmSync(work, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it('render says so with the command, renders the rest and exits 0', () => {
    const run = berthWith({ cwd: work, env: { BERTH_CHART_CACHE: cache } }, 'render');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`dev/metrics-server: ${notice}`);
    // the example's own add-ons (their charts are on the internet) are the other 14
    expect(run.stdout).toMatch(/rendered 16 Applications .*, 15 not rendered \(chart not cached\)/);
  });

  it('validate lists it as a notice, not a finding: only the sync check sees the hand-made Application', async () => {
    const report = await validate({ root: work });
    expect(report.notRendered).toContainEqual({
      environment: 'dev',
      application: 'dev-metrics-server',
      service: 'metrics-server',
      message: notice,
    });
    expect(report.notRendered).toHaveLength(15);
    for (const { message } of report.notRendered)
      expect(message).toMatch(/is not cached — run: npx berth chart-fetch /);
    // the fixture replaced the example's derived metrics-server Application: that, and nothing else, is a finding
    expect(report.findings.map((finding) => `${finding.rule} ${finding.object}`)).toEqual([
      'sync argocd/apps/dev/metrics-server.yaml',
    ]);
  }, 300_000);

  it('a broken chart reference is an error, not a notice', () => {
    const file = join(work, 'argocd/apps/dev/metrics-server.yaml');
    const before = readFileSync(file, 'utf8');
    writeFileSync(file, before.replace('targetRevision: 3.12.2', 'targetRevision: latest'));
    try {
      const run = berthWith({ cwd: work, env: { BERTH_CHART_CACHE: cache } }, 'render');
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(
        /argocd\/apps\/dev\/metrics-server\.yaml: spec\.sources\[\]: chart version "latest" of metrics-server is not an exact SemVer version/,
      );
    } finally {
      writeFileSync(file, before);
    }
  });
});
