// A render session: requests resolved once into immutable values, render returning the objects it wrote, and no state
// that outlives a run (a chart edited between two runs of one process renders anew).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { render, type RenderedApplication } from '../../src/render/command';
import { batchSize, MAX_BATCH, plannedJobs } from '../../src/render/engine';
import { RenderSession } from '../../src/render/session';
import { resolveHelm } from '../../src/helm/binary';
import { parseObjects } from '../../src/render/summary';
import { copyExample } from '../cli/workspace';

describe('render session', () => {
  const dir = copyExample();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resolves each request once into a frozen value with its chart folder', async () => {
    const session = RenderSession.open(dir);
    const requests = await session.requests({ environments: ['dev'] });
    expect(requests.length).toBeGreaterThan(3);
    for (const request of requests) {
      expect(Object.isFrozen(request)).toBe(true);
      // an add-on's upstream chart is not cached here: it has no folder, and says why
      if (request.chart) expect(request.unavailable?.message).toMatch(/is not cached/);
      else expect(request.chartDir).toBe(join(dir, request.chartPath));
      expect(() => Object.assign(request, { chartDir: '/elsewhere' })).toThrow(TypeError);
    }
  });

  it('reports a chart whose repository host does not resolve as not cached, naming the host', async () => {
    const session = RenderSession.open(dir);
    const addon = (await session.requests({ environments: ['dev'] })).find((request) => request.chart)!;
    // .invalid never resolves (RFC 2606): the resolver answers before any fetcher is loaded
    const [resolved] = await session.resolve([
      { ...addon, chart: { ...addon.chart!, repo: 'https://charts.invalid/stable' } },
    ]);
    expect(resolved.unavailable?.message).toBe(
      `not rendered: chart ${addon.chart!.name} ${addon.chart!.version} from https://charts.invalid/stable is not cached — run: npx berth chart-fetch https://charts.invalid/stable ${addon.chart!.name} ${addon.chart!.version}`,
    );
    expect(resolved.unavailable?.reason).toMatch(/^could not resolve charts\.invalid \((ENOTFOUND|EAI_AGAIN)\)$/);
  });

  it('returns the objects it wrote, rendered now or read once from an unchanged file', async () => {
    const session = RenderSession.open(dir);
    const requests = await session.requests({ environments: ['dev'] });
    const ours = (results: Awaited<ReturnType<typeof render>>) => results.filter((result) => !result.unavailable);
    const cold = ours(await render(session, requests, {}));
    expect(cold.every((result) => !result.cached)).toBe(true);
    const warm = ours(
      await render(RenderSession.open(dir), await RenderSession.open(dir).requests({ environments: ['dev'] })),
    );
    expect(warm.every((result) => result.cached)).toBe(true);
    for (const [index, result] of cold.entries()) {
      const written = readFileSync(join(dir, result.file), 'utf8');
      // the file is the header line, then exactly what helm printed
      expect(written.slice(written.indexOf('\n') + 1)).toBe(result.manifest());
      expect(warm[index].manifest()).toBe(result.manifest());
      expect(warm[index].documents()).toEqual(parseObjects(result.manifest()));
      expect(result.documents()).toHaveLength(result.objects);
      expect(result.documents()).toBe(result.documents()); // parsed once
    }
    // functions are no part of the summary --json prints
    expect(Object.keys(JSON.parse(JSON.stringify(cold[0])))).not.toContain('documents');
  });

  it('sees a chart edited between two runs of one process', async () => {
    const once = RenderSession.open(dir);
    const names = (result: RenderedApplication) => result.documents().map((object) => object.metadata?.name);
    const before = (await render(once, await once.requests({ services: ['service-a'] }))).map(names);
    writeFileSync(
      join(dir, 'charts/service-a/templates/edited.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: edited-between-runs\n',
    );
    const again = RenderSession.open(dir);
    const after = await render(again, await again.requests({ services: ['service-a'] }));
    expect(after.every((result) => !result.cached)).toBe(true);
    expect(before.length).toBeGreaterThan(0);
    for (const [index, result] of after.entries()) {
      expect(before[index]).not.toContain('edited-between-runs');
      expect(names(result)).toContain('edited-between-runs');
    }
  });

  it.each([
    [10, 8],
    [100, 17],
    [300, 50],
    [384, MAX_BATCH],
    [2700, MAX_BATCH],
  ])('%i Applications on 2 cores: batches of %i', (count, size) => {
    expect(batchSize(count, 2)).toBe(size);
  });

  it('plans every request into exactly one helm process', async () => {
    const session = RenderSession.open(dir);
    const requests = await session.requests();
    const jobs = plannedJobs(session, requests, 2);
    expect(
      jobs
        .flatMap((job) => job.requests)
        .map((request) => request.application)
        .sort(),
    ).toEqual(requests.map((request) => request.application).sort());
  });

  it('never puts requests of two helms in one helm process', async () => {
    const session = RenderSession.open(dir);
    const dev = await session.requests({ environments: ['dev'] });
    // the same Applications as if half of them were on an Argo CD 3.4 cluster: only the helm tells them apart
    const helm3 = resolveHelm('3.4');
    const mixed = dev.map((request, index) => (index % 2 ? { ...request, helm: helm3 } : request));
    const jobs = plannedJobs(session, mixed, 2);
    expect(jobs.some((job) => job.requests.length > 1)).toBe(true);
    for (const job of jobs) expect(new Set(job.requests.map((request) => request.helm.path)).size).toBe(1);
    expect(new Set(jobs.map((job) => job.requests[0].helm.version))).toEqual(
      new Set([resolveHelm('3.5').version, helm3.version]),
    );
  });
});
