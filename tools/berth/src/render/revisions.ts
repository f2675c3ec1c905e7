// Charts at the revision an Application names: stage and prod deploy the charts/ of the commit they were promoted
// with, so they render from that commit's files, unpacked once per commit (a commit never changes).
import { lookup } from 'node:dns/promises';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BerthError } from '../errors';
import { extractTree } from '../git/archive';
import { tryGit } from '../git/run';
import { COMMIT_ID } from '../workspace/overlay';
import type { HelmBinary } from '../helm/binary';
import type { HelmRequest } from './argo-rules';
import { cachedChartEntry, type CachedChart } from '../charts/cache';
import { describeChart, fetchCommand, type ChartRef } from '../charts/reference';
import type { Memo } from '../util/memo';
import { readChartInfo, remoteDependenciesOf, type ChartInfo } from './stage';

/**
 * A request with its chart found: `chartDir` is the working tree's chart when it follows the branch, else the chart in
 * its commit's unpacked charts/. Made once per run by resolveRequests, never changed: every part of render reads it.
 */
export interface ResolvedRequest extends HelmRequest {
  readonly chartDir: string;
  /** The helm the environment's Argo CD renders with (helm/versions.ts), resolved once per run. */
  readonly helm: HelmBinary;
  /** The third-party charts it renders (the Application's own chart, or its chart's locked dependencies), cached. */
  readonly thirdParty: readonly { readonly ref: ChartRef; readonly digest: string }[];
  /** A third-party chart that is neither cached nor fetchable now: the Application is reported, not rendered. */
  readonly unavailable?: Unavailable;
}

export interface Unavailable {
  readonly ref: ChartRef;
  /** The command that fetches it into berth's chart cache. */
  readonly command: string;
  /** "not rendered: chart <name> <version> from <repo> is not cached — run: <command>" */
  readonly message: string;
  /** Why fetching failed (the network's words). */
  readonly reason: string;
}

/** The one notice of an Application berth cannot render because a third-party chart is not at hand. */
export const notCachedMessage = (ref: ChartRef): string =>
  `not rendered: chart ${describeChart(ref)} is not cached — run: ${fetchCommand(ref)}`;

/** A failure that only says the repository cannot be reached from here (no DNS, refused, timed out). */
export function isUnreachable(error: unknown): boolean {
  for (let cause = error as any, depth = 0; cause && depth < 10; cause = cause.cause, depth++) {
    if (
      ['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET'].includes(
        cause.code,
      )
    )
      return true;
    if (cause.name === 'TimeoutError') return true;
  }
  return false;
}

type Availability = { ref: ChartRef; chart: CachedChart } | { ref: ChartRef; unavailable: Unavailable };

/** The network side of the chart cache, loaded only when a chart is not cached. */
const fetchChart = async (ref: ChartRef) => (await import('../charts/fetch')).fetchChartEntry(ref);

/**
 * Why the repository's host cannot be reached, when its name does not resolve: asked of the resolver before the
 * fetcher and its HTTP client are loaded, which costs an offline render more than the rest of a warm one.
 */
async function unresolvedHost(ref: ChartRef): Promise<string | undefined> {
  let host: string;
  try {
    host = new URL(ref.repo).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return undefined; // the fetcher words a malformed URL
  }
  try {
    await lookup(host);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? `could not resolve ${host} (${code})` : undefined;
  }
}

/**
 * Each third-party chart once per run: from the cache, else fetched; a repository out of reach makes it unavailable
 * (a broken or lying one is an error). BERTH_OFFLINE=1 never tries the network.
 */
function chartAvailability(): (ref: ChartRef) => Promise<Availability> {
  const seen = new Map<string, Promise<Availability>>();
  return (ref) => {
    const key = JSON.stringify(ref);
    let availability = seen.get(key);
    if (!availability) {
      const cached = cachedChartEntry(ref);
      const unavailable = (reason: string): Availability => ({
        ref,
        unavailable: { ref, command: fetchCommand(ref), message: notCachedMessage(ref), reason },
      });
      availability = cached
        ? Promise.resolve({ ref, chart: cached })
        : process.env.BERTH_OFFLINE === '1'
          ? Promise.resolve(unavailable('BERTH_OFFLINE=1'))
          : unresolvedHost(ref).then((reason) =>
              reason
                ? unavailable(reason)
                : fetchChart(ref).then(
                    (chart): Availability => ({ ref, chart }),
                    (error) => {
                      if (isUnreachable(error))
                        return unavailable(error instanceof BerthError ? error.problem : String(error));
                      throw error;
                    },
                  ),
            );
      seen.set(key, availability);
    }
    return availability;
  };
}

const revisionsDir = (repoRoot: string) => join(repoRoot, 'dist', '.revisions');

async function unpack(repoRoot: string, revision: string, request: HelmRequest): Promise<string> {
  const target = join(revisionsDir(repoRoot), revision);
  if (existsSync(target)) return target;
  const exists = await tryGit(repoRoot, ['cat-file', '-e', `${revision}^{commit}`]);
  if (exists.exitCode !== 0) {
    throw new BerthError(`deploys charts from commit ${revision}, which this clone does not have.`, {
      file: request.manifest,
      field: 'spec.sources[].targetRevision',
      fix: 'run `git fetch` (a shallow clone lacks older commits: fetch with --unshallow).',
      cause: exists.failure,
    });
  }
  const partial = `${target}.${process.pid}.partial`;
  mkdirSync(partial, { recursive: true });
  try {
    await extractTree(repoRoot, revision, 'charts', partial);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    const detail = error instanceof BerthError ? error.problem : String(error);
    throw new BerthError(`could not unpack charts/ of ${revision}: ${detail}`, {
      file: request.manifest,
      cause: error,
    });
  }
  try {
    renameSync(partial, target);
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another render unpacked it first
  }
  return target;
}

/**
 * Finds each request's chart: requests on `branch` use the working tree, those pinned to a commit its charts/, those
 * of a third-party chart the chart cache (fetched when it can be), as do the third-party dependencies of a chart; and
 * its helm, by environment.
 */
export async function resolveRequests(
  repoRoot: string,
  requests: readonly HelmRequest[],
  branch: string,
  charts: Memo<string, ChartInfo>,
  helmFor: (environment: string) => HelmBinary,
): Promise<ResolvedRequest[]> {
  const unpacked = new Map<string, Promise<string>>();
  const available = chartAvailability();
  // every third-party chart of the run is fetched at once, not one after another
  const thirdPartyOf = async (request: HelmRequest, chartDir: string) => {
    const refs = request.chart
      ? [request.chart]
      : remoteDependenciesOf(readChartInfo(charts, chartDir), chartDir).map((dependency) => dependency.ref);
    return Promise.all(refs.map(available));
  };
  const resolved: Promise<ResolvedRequest>[] = [];
  for (const request of requests) {
    if (request.chart) {
      resolved.push(
        thirdPartyOf(request, '').then((charts) =>
          withCharts({ ...request, chartDir: '', helm: helmFor(request.environment) }, charts, true),
        ),
      );
      continue;
    }
    let chartRoot = repoRoot;
    if (request.revision !== branch && request.revision !== 'HEAD') {
      if (!COMMIT_ID.test(request.revision)) {
        throw new BerthError(`targets "${request.revision}", which is neither the branch ${branch} nor a commit id.`, {
          file: request.manifest,
          field: 'spec.sources[].targetRevision',
          fix: 'let berth promote set chartRevision in the overlay, then run `npx nx sync`.',
        });
      }
      if (!unpacked.has(request.revision)) unpacked.set(request.revision, unpack(repoRoot, request.revision, request));
      chartRoot = await unpacked.get(request.revision)!;
    }
    const chartDir = join(chartRoot, request.chartPath);
    resolved.push(
      thirdPartyOf(request, chartDir).then((charts) =>
        withCharts({ ...request, chartDir, helm: helmFor(request.environment) }, charts, false),
      ),
    );
  }
  return Promise.all(resolved);
}

function withCharts(
  request: HelmRequest & { chartDir: string; helm: HelmBinary },
  charts: Availability[],
  isChart: boolean,
): ResolvedRequest {
  const missing = charts.find((entry) => 'unavailable' in entry);
  const cached = charts.flatMap((entry) => ('chart' in entry ? [{ ref: entry.ref, chart: entry.chart }] : []));
  return Object.freeze({
    ...request,
    chartDir: isChart ? (cached[0]?.chart.dir ?? '') : request.chartDir,
    thirdParty: Object.freeze(cached.map((entry) => Object.freeze({ ref: entry.ref, digest: entry.chart.digest }))),
    ...(missing && 'unavailable' in missing ? { unavailable: missing.unavailable } : {}),
  });
}
