// Third-party charts reach berth's cache from a real Helm repository and a real registry, digest verified, and the
// command the "not cached" notice names is the one that fetches them.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cachedChart, cachedChartEntry } from '../../src/charts/cache';
import { fetchChart, fetchChartEntry } from '../../src/charts/fetch';
import { fetchCommand } from '../../src/charts/reference';
import { chartRef } from '../../src/charts/reference';
import { offeredVersions } from '../../src/charts/versions';
import { startChartRepos, type ChartRepos } from './support/chart-repos';

const berth = join(__dirname, '../../bin/berth.js');

describe('the chart cache', () => {
  let repos: ChartRepos;
  let cache: string;
  const previous = process.env.BERTH_CHART_CACHE;

  beforeAll(async () => {
    repos = await startChartRepos([
      { name: 'podinfo', version: '1.0.0' },
      { name: 'podinfo', version: '1.2.0' },
      { name: 'podinfo', version: '2.0.0' },
    ]);
  }, 120_000);
  afterAll(async () => {
    await repos.stop();
  });
  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), 'berth-chart-cache-'));
    process.env.BERTH_CHART_CACHE = cache;
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.BERTH_CHART_CACHE;
    else process.env.BERTH_CHART_CACHE = previous;
    rmSync(cache, { recursive: true, force: true });
  });

  it.each([['helm'], ['oci']])(
    'fetches from the %s repository, unpacked, keyed by digest, and finds it offline',
    async (kind) => {
      const repo = kind === 'helm' ? repos.helmRepo : repos.ociRepo;
      const ref = chartRef(repo, 'podinfo', '1.2.0');
      expect(cachedChart(ref)).toBeUndefined();
      const dir = await fetchChart(ref);
      expect(readFileSync(join(dir, 'Chart.yaml'), 'utf8')).toMatch(/^version: 1\.2\.0$/m);
      const entry = cachedChartEntry(ref)!;
      expect(entry.dir).toBe(dir);
      expect(entry.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(dir).toContain(entry.digest.replace(':', '-'));
      // the archive is the one published: its digest is the sha256 helm's index lists
      const index = readFileSync(join(repos.dir, 'served/index.yaml'), 'utf8');
      expect(index).toContain(entry.digest.slice('sha256:'.length));
      expect(cachedChart(ref)).toBe(dir);
    },
  );

  it('two fetches racing end with one complete copy and no partial folder', async () => {
    const ref = chartRef(repos.helmRepo, 'podinfo', '1.0.0');
    const [a, b, c] = await Promise.all([fetchChart(ref), fetchChart(ref), fetchChart(ref)]);
    expect(new Set([a, b, c]).size).toBe(1);
    const versionDir = join(a, '../..');
    expect(readdirSync(versionDir).filter((entry) => entry.includes('partial'))).toEqual([]);
  });

  it('refuses an archive that does not match the digest of the index, and caches nothing', async () => {
    const ref = chartRef(repos.helmRepo, 'podinfo', '2.0.0');
    const original = readFileSync(join(repos.dir, 'served/podinfo-2.0.0.tgz'));
    repos.serveInstead('podinfo-2.0.0.tgz', readFileSync(join(repos.dir, 'served/podinfo-1.0.0.tgz')));
    try {
      await expect(fetchChartEntry(ref)).rejects.toThrow(/hashes to sha256:[0-9a-f]+, but the index says sha256:/);
      expect(cachedChart(ref)).toBeUndefined();
    } finally {
      repos.serveInstead('podinfo-2.0.0.tgz', original);
    }
  });

  it('lists the versions a repository offers, from the index and from the tags', async () => {
    for (const repo of [repos.helmRepo, repos.ociRepo])
      expect((await offeredVersions({ repo, name: 'podinfo' })).versions.sort()).toEqual(['1.0.0', '1.2.0', '2.0.0']);
  });

  it('refuses hostile references before any of it reaches a path or a command line', () => {
    expect(() => chartRef(repos.helmRepo, '../etc', '1.0.0')).toThrow(/is not a chart name/);
    expect(() => chartRef(repos.helmRepo, 'podinfo', '1.0.0; rm -rf /')).toThrow(/not an exact SemVer/);
    expect(() => chartRef('http://example.com/charts', 'podinfo', '1.0.0')).toThrow(/not https:\/\/ or oci:\/\//);
    expect(() => chartRef('https://user:pw@example.com', 'podinfo', '1.0.0')).toThrow(/not a repository URL/);
    expect(() => chartRef('https://example.com/$(id)', 'podinfo', '1.0.0')).toThrow(/is not a repository URL/);
  });

  it.each([['helm'], ['oci']])(
    'the command the notice names fills the cache from the %s repository',
    async (kind) => {
      const ref = chartRef(kind === 'helm' ? repos.helmRepo : repos.ociRepo, 'podinfo', '2.0.0');
      const command = fetchCommand(ref);
      expect(command).toBe(`npx berth chart-fetch ${ref.repo} podinfo 2.0.0`);
      const args = command.split(' ').slice(2); // npx berth -> bin/berth.js
      // asynchronously: the repositories answer from this process
      const { stdout: output } = await promisify(execFile)(process.execPath, [berth, ...args], {
        encoding: 'utf8',
        env: { ...process.env, BERTH_CHART_CACHE: cache },
      });
      expect(output).toMatch(/^cached podinfo 2\.0\.0 from .* \(sha256:[0-9a-f]{64}\)/);
      expect(existsSync(join(cachedChart(ref)!, 'templates/deployment.yaml'))).toBe(true);
    },
    60_000,
  );
});
