// `berth render`: writes what Argo CD would apply, one file per Application, re-rendering only what changed.
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { diskFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import { resolveHelm } from '../helm/binary';
import { writeFileAtomic } from '../util/fs';
import type { HelmRequest } from './argo-rules';
import { loadHelmRequests, type Selection } from './applications';
import { InputHasher } from './cache';
import { renderRequests } from './engine';
import { parseObjects, summarize, type RenderSummary } from './summary';

export const DEFAULT_OUT = 'dist/rendered';
const CACHE_FILE = '.berth-render-cache.json';

export interface RenderOptions extends Selection {
  root: string;
  out?: string;
  onProgress?: (done: number, total: number) => void;
}

export interface RenderedApplication extends RenderSummary {
  environment: string;
  service: string;
  application: string;
  file: string;
  cached: boolean;
}

interface CacheEntry extends RenderSummary {
  key: string;
}

export const outputFile = (out: string, request: HelmRequest) => join(out, request.environment, `${request.service}.yaml`);

/** Versions of everything outside the repository that shapes the output: helm and berth's own render code. */
function toolFingerprint(): string {
  const hash = createHash('sha256').update(resolveHelm().version);
  for (const file of readdirSync(__dirname).sort()) hash.update(readFileSync(join(__dirname, file)));
  return hash.digest('hex');
}

function readCache(path: string): Record<string, CacheEntry> {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}

export async function render(options: RenderOptions): Promise<RenderedApplication[]> {
  const files = diskFiles(options.root);
  const workspace = loadWorkspace(files);
  const requests = loadHelmRequests(files, workspace, options);
  const out = resolve(options.root, options.out ?? DEFAULT_OUT);
  const cachePath = join(out, CACHE_FILE);
  const cache = readCache(cachePath);
  const hasher = new InputHasher(options.root, toolFingerprint());
  const keys = new Map(requests.map((request) => [request.application, hasher.request(request)]));
  const stale = requests.filter((request) => cache[request.application]?.key !== keys.get(request.application) || !existsSync(outputFile(out, request)));

  const rendered = await renderRequests(options.root, stale, { onProgress: options.onProgress });
  for (const { request, manifest } of rendered) {
    writeFileAtomic(outputFile(out, request), manifest);
    cache[request.application] = { key: keys.get(request.application)!, ...summarize(parseObjects(manifest)) };
  }
  if (!options.environments?.length && !options.services?.length) removeOrphans(out, requests, cache);
  writeFileAtomic(cachePath, JSON.stringify(cache, null, 1));

  const renderedNow = new Set(stale.map((request) => request.application));
  return requests.map((request) => {
    const { key: _key, ...summary } = cache[request.application];
    return {
      environment: request.environment,
      service: request.service,
      application: request.application,
      file: relative(options.root, outputFile(out, request)),
      cached: !renderedNow.has(request.application),
      ...summary,
    };
  });
}

/** A service removed from the workspace must not leave its old rendering behind. */
function removeOrphans(out: string, requests: HelmRequest[], cache: Record<string, CacheEntry>): void {
  const expected = new Set(requests.map((request) => outputFile(out, request)));
  for (const env of existsSync(out) ? readdirSync(out, { withFileTypes: true }) : []) {
    if (!env.isDirectory()) continue;
    for (const file of readdirSync(join(out, env.name))) {
      if (!expected.has(join(out, env.name, file))) rmSync(join(out, env.name, file));
    }
  }
  const applications = new Set(requests.map((request) => request.application));
  for (const application of Object.keys(cache)) if (!applications.has(application)) delete cache[application];
}
