// Fetches a third-party chart into the cache as `helm pull` would, verifying its digest: an https repository's archive
// against the sha256 its index lists, an OCI chart's layer against the digest its manifest names.
import { createHash } from 'node:crypto';
import { BerthError } from '../errors';
import { artifactsFor } from '../registry';
import { send } from '../registry/http';
import { cachedChartEntry, storeChart, type CachedChart } from './cache';
import { fetchIndex, indexEntry, timeoutMs } from './helm-index';
import { describeChart, ociChartRepository, ociTag, repoKind, type ChartRef } from './reference';

/** The largest chart archive berth downloads (helm's own limit is on the unpacked size, see untar.ts). */
export const MAX_ARCHIVE_BYTES = 32 * 1024 * 1024;
/** The media type `helm push` gives a chart's content layer. */
export const HELM_CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip';


const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

async function pullFromHelmRepository(ref: ChartRef, env: NodeJS.ProcessEnv): Promise<{ archive: Buffer; digest: string }> {
  const entry = indexEntry(await fetchIndex(ref.repo, env), ref);
  const response = await send(
    entry.url,
    { method: 'GET' },
    {
      timeoutMs: timeoutMs(env),
      peer: `Helm repository ${ref.repo}`,
      what: `downloading ${describeChart(ref)}`,
      maxBytes: MAX_ARCHIVE_BYTES,
    },
  );
  if (!response.ok)
    throw new BerthError(`the Helm repository ${ref.repo} answered HTTP ${response.status} for ${entry.url}.`, {
      fix: 'the index lists an archive the repository does not serve; report it to whoever runs it.',
    });
  const archive = Buffer.from(await response.arrayBuffer());
  if (sha256(archive) !== entry.digest)
    throw new BerthError(
      `the archive of ${describeChart(ref)} (${entry.url}) hashes to ${sha256(archive)}, but the index says ${entry.digest}.`,
      { fix: 'the repository or something between it and you altered the chart; berth caches nothing it cannot verify.' },
    );
  return { archive, digest: entry.digest };
}

async function pullFromRegistry(ref: ChartRef, env: NodeJS.ProcessEnv): Promise<{ archive: Buffer; digest: string }> {
  const repository = ociChartRepository(ref);
  const client = artifactsFor(repository, { env });
  const manifest = await client.manifest(repository, ociTag(ref.version));
  const layers = manifest.layers.filter((layer) => layer.mediaType === HELM_CHART_LAYER);
  if (layers.length !== 1)
    throw new BerthError(`${repository}:${ociTag(ref.version)} is not a Helm chart (it has ${layers.length} chart layers).`, {
      fix: 'check the chart repository and name: a chart pushed by `helm push` has one layer of type ' + HELM_CHART_LAYER + '.',
    });
  if (layers[0].size > MAX_ARCHIVE_BYTES)
    throw new BerthError(`${describeChart(ref)} is ${layers[0].size} bytes, more than berth downloads.`, {
      fix: `berth fetches charts of at most ${MAX_ARCHIVE_BYTES / 1024 / 1024} MiB.`,
    });
  const archive = await client.blob(repository, layers[0].digest, MAX_ARCHIVE_BYTES);
  return { archive, digest: layers[0].digest };
}

/** Downloads and caches `ref` (unless it is cached already) and returns the cached chart. */
export async function fetchChartEntry(ref: ChartRef, env: NodeJS.ProcessEnv = process.env): Promise<CachedChart> {
  const cached = cachedChartEntry(ref, env);
  if (cached) return cached;
  try {
    const { archive, digest } =
      repoKind(ref.repo) === 'oci' ? await pullFromRegistry(ref, env) : await pullFromHelmRepository(ref, env);
    return storeChart(ref, archive, digest, env);
  } catch (error) {
    if (!(error instanceof BerthError)) throw error;
    throw new BerthError(`could not fetch the chart ${describeChart(ref)}: ${error.problem}`, {
      fix: error.fix,
      cause: error,
    });
  }
}

/** The unpacked chart folder of `ref`, fetched into the cache first when it is not there. */
export async function fetchChart(ref: ChartRef): Promise<string> {
  return (await fetchChartEntry(ref)).dir;
}
