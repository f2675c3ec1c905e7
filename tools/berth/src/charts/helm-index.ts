// An https Helm repository's index.yaml: fetched bounded, read strictly, and trusted for nothing it cannot prove:
// names and versions are checked by their grammar, archive URLs resolve against the repository and stay on https
// (or the loopback http the repository itself uses), and every entry must carry the sha256 digest berth verifies.
import { BerthError } from '../errors';
import { send } from '../registry/http';
import { readDocuments } from '../util/yaml-read';
import { CHART_NAME, isChartVersion, type ChartRef } from './reference';

/** The largest index.yaml berth reads: big public repositories serve indexes of a few tens of MiB. */
export const MAX_INDEX_BYTES = 64 * 1024 * 1024;
export const CHART_TIMEOUT_MS = 60_000;

export interface IndexEntry {
  version: string;
  /** The archive's absolute URL. */
  url: string;
  /** sha256:<64 hex> of the archive, from the index. */
  digest: string;
}

export interface ChartIndex {
  repo: string;
  /** Each chart's entries with a valid version, URL and digest. */
  entries: Map<string, IndexEntry[]>;
  /** Versions listed that berth refused (bad grammar, no digest, an URL leaving the repository's scheme): reported, never used. */
  refused: Map<string, string[]>;
}

const lie = (repo: string, problem: string) =>
  new BerthError(`the Helm repository ${repo} ${problem}`, {
    fix: 'the repository is misbehaving or is not a Helm repository; check the URL, or report it to whoever runs it.',
  });

/** Where an archive URL of the index points: relative URLs against the repository, as helm resolves them. */
export function archiveUrl(repo: string, url: string): string | undefined {
  let resolved: URL;
  try {
    resolved = new URL(url, `${repo}/`);
  } catch {
    return undefined;
  }
  const allowed = new URL(repo).protocol === 'http:' ? ['http:', 'https:'] : ['https:'];
  if (!allowed.includes(resolved.protocol) || resolved.username || resolved.password) return undefined;
  if (resolved.protocol === 'http:' && resolved.host !== new URL(repo).host) return undefined;
  return resolved.href;
}

/** Reads index.yaml's text: each chart's usable entries, and what it refused. */
export function parseIndex(repo: string, text: string): ChartIndex {
  const documents = readDocuments(text, `${repo}/index.yaml`, {
    fix: 'the repository serves a broken index.yaml; check the URL or report it.',
  });
  const index = documents[0];
  if (documents.length !== 1 || typeof index?.entries !== 'object' || index.entries === null || Array.isArray(index.entries))
    throw lie(repo, 'serves an index.yaml without an `entries` mapping.');
  const entries = new Map<string, IndexEntry[]>();
  const refused = new Map<string, string[]>();
  for (const [name, list] of Object.entries(index.entries as Record<string, unknown>)) {
    if (!CHART_NAME.test(name) || !Array.isArray(list)) continue;
    const usable: IndexEntry[] = [];
    const bad: string[] = [];
    for (const entry of list as Record<string, unknown>[]) {
      const version = typeof entry?.version === 'string' ? entry.version : String(entry?.version ?? '');
      const urls = Array.isArray(entry?.urls) ? entry.urls : [];
      const digest = typeof entry?.digest === 'string' ? entry.digest.replace(/^sha256:/, '') : '';
      const url = typeof urls[0] === 'string' ? archiveUrl(repo, urls[0]) : undefined;
      if (entry?.name !== name || !isChartVersion(version) || !/^[0-9a-f]{64}$/.test(digest) || !url) {
        bad.push(version.slice(0, 80));
        continue;
      }
      usable.push({ version, url, digest: `sha256:${digest}` });
    }
    entries.set(name, usable);
    if (bad.length) refused.set(name, bad);
  }
  return { repo, entries, refused };
}

/** GETs the repository's index.yaml, bounded in size and time. */
export async function fetchIndex(repo: string, env: NodeJS.ProcessEnv = process.env): Promise<ChartIndex> {
  const url = `${repo}/index.yaml`;
  const response = await send(
    url,
    { method: 'GET', headers: { accept: 'application/x-yaml, text/yaml, */*' } },
    {
      timeoutMs: timeoutMs(env),
      peer: `Helm repository ${repo}`,
      what: 'reading its index.yaml',
      maxBytes: MAX_INDEX_BYTES,
    },
  );
  if (!response.ok) {
    throw new BerthError(`the Helm repository ${repo} answered HTTP ${response.status} for ${url}.`, {
      fix: 'check the repository URL (it must serve index.yaml at its root).',
    });
  }
  return parseIndex(repo, Buffer.from(await response.arrayBuffer()).toString('utf8'));
}

/** The index entry of one chart version, or an error saying which part the index lacks. */
export function indexEntry(index: ChartIndex, ref: ChartRef): IndexEntry {
  const entries = index.entries.get(ref.name);
  if (!entries) {
    throw new BerthError(`the Helm repository ${ref.repo} lists no chart named ${ref.name}.`, {
      fix: 'check the chart name and the repository URL.',
    });
  }
  const entry = entries.find((candidate) => candidate.version === ref.version);
  if (!entry) {
    const refused = index.refused.get(ref.name)?.includes(ref.version);
    throw new BerthError(
      refused
        ? `the Helm repository ${ref.repo} lists ${ref.name} ${ref.version} without a sha256 digest or with an archive URL berth will not follow.`
        : `the Helm repository ${ref.repo} has no version ${ref.version} of ${ref.name}.`,
      { fix: `choose a version it lists (${entries.slice(0, 5).map((candidate) => candidate.version).join(', ') || 'none'}).` },
    );
  }
  return entry;
}

export function timeoutMs(env: NodeJS.ProcessEnv): number {
  const seconds = Number(env.BERTH_CHART_TIMEOUT);
  return Number.isFinite(seconds) && seconds > 0 && seconds <= 3600 ? seconds * 1000 : CHART_TIMEOUT_MS;
}
