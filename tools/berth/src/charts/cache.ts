// The chart cache: each third-party chart unpacked once per machine, keyed by repository, name, version and the
// sha256 of its archive. Entries are made in a partial folder and renamed into place, so two renders fetching the
// same chart at once both end with one complete copy, and a half-written one is never read.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BerthError } from '../errors';
import { writeFileAtomic } from '../util/fs';
import { readYamlMapping } from '../util/yaml-read';
import { describeChart, type ChartRef } from './reference';
import { unpackChart } from './untar';

export interface CachedChart {
  /** The unpacked chart folder (its Chart.yaml at the top). */
  dir: string;
  /** sha256:<hex> of the chart archive it was unpacked from. */
  digest: string;
  /** The archive itself, as the repository served it. */
  archive: string;
}

/** BERTH_CHART_CACHE, else ~/.cache/berth/charts (XDG_CACHE_HOME respected). */
export function chartCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.BERTH_CHART_CACHE) return env.BERTH_CHART_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'berth', 'charts');
}

/** One folder per repository: readable, and unique by a hash of the URL (two URLs never share a folder). */
function repoFolder(repo: string): string {
  const readable = repo
    .replace(/^[a-z]+:\/\//, '')
    .replace(/[^A-Za-z0-9.-]+/g, '_')
    .slice(0, 80);
  return `${readable}-${createHash('sha256').update(repo).digest('hex').slice(0, 12)}`;
}

const versionDir = (ref: ChartRef, env: NodeJS.ProcessEnv) =>
  join(chartCacheRoot(env), repoFolder(ref.repo), ref.name, ref.version);
const digestFolder = (digest: string) => digest.replace(':', '-');
/** Names the digest last verified for the version (a version republished with other content gets a new folder). */
const CURRENT = 'current';

/** The cached chart of `ref`, or undefined; never touches the network. */
export function cachedChartEntry(ref: ChartRef, env: NodeJS.ProcessEnv = process.env): CachedChart | undefined {
  const dir = versionDir(ref, env);
  let digest: string;
  try {
    digest = readFileSync(join(dir, CURRENT), 'utf8').trim();
  } catch {
    return undefined;
  }
  if (!/^sha256:[0-9a-f]{64}$/.test(digest)) return undefined;
  const entry = join(dir, digestFolder(digest));
  const chart = join(entry, ref.name);
  if (!existsSync(join(chart, 'Chart.yaml'))) return undefined;
  return { dir: chart, digest, archive: join(entry, `${ref.name}-${ref.version}.tgz`) };
}

/** The unpacked chart folder of `ref` when it is cached (no network). */
export function cachedChart(ref: ChartRef): string | undefined {
  return cachedChartEntry(ref)?.dir;
}

/** A chart must be what it was asked for: a repository serving another chart (or version) under this one's name lies. */
function checkChartYaml(ref: ChartRef, chartDir: string): void {
  const file = join(chartDir, 'Chart.yaml');
  const chart = readYamlMapping(readFileSync(file, 'utf8'), `${describeChart(ref)}: Chart.yaml`);
  if (chart.name !== ref.name || String(chart.version) !== ref.version) {
    throw new BerthError(
      `the archive served for ${describeChart(ref)} holds the chart ${String(chart.name).slice(0, 100)} ${String(chart.version).slice(0, 64)}.`,
      { fix: 'the repository is misbehaving; report it to whoever runs it.' },
    );
  }
}

/** Stores a verified archive: unpacked in a partial folder, renamed into place, then named current. */
export function storeChart(
  ref: ChartRef,
  archive: Buffer,
  digest: string,
  env: NodeJS.ProcessEnv = process.env,
): CachedChart {
  const dir = versionDir(ref, env);
  const entry = join(dir, digestFolder(digest));
  if (!existsSync(join(entry, ref.name, 'Chart.yaml'))) {
    mkdirSync(dir, { recursive: true });
    const partial = join(dir, `.${digestFolder(digest)}.${process.pid}.${randomBytes(4).toString('hex')}.partial`);
    try {
      mkdirSync(partial);
      const chart = unpackChart(archive, ref.name, partial, describeChart(ref));
      checkChartYaml(ref, chart);
      writeFileSync(join(partial, `${ref.name}-${ref.version}.tgz`), archive);
      try {
        renameSync(partial, entry);
      } catch (error) {
        // another process put the same verified content there first
        if (!existsSync(join(entry, ref.name, 'Chart.yaml'))) throw error;
      }
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  writeFileAtomic(join(dir, CURRENT), `${digest}\n`);
  return cachedChartEntry(ref, env)!;
}
