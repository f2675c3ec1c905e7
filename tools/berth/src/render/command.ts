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
/** One small record per Application beside its output, so concurrent renders (nx run-many) never lose each other's. */
const cacheFile = (out: string, request: HelmRequest) => join(out, request.environment, '.cache', `${request.service}.json`);

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

function readCacheEntry(path: string): CacheEntry | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

export async function render(options: RenderOptions): Promise<RenderedApplication[]> {
  const files = diskFiles(options.root);
  const workspace = loadWorkspace(files);
  const requests = loadHelmRequests(files, workspace, options);
  const out = resolve(options.root, options.out ?? DEFAULT_OUT);
  const hasher = new InputHasher(options.root, toolFingerprint());
  const keys = new Map(requests.map((request) => [request.application, hasher.request(request)]));
  const cache = new Map(requests.map((request) => [request.application, readCacheEntry(cacheFile(out, request))]));
  const stale = requests.filter((request) => cache.get(request.application)?.key !== keys.get(request.application) || !existsSync(outputFile(out, request)));

  const rendered = await renderRequests(options.root, stale, { onProgress: options.onProgress });
  for (const { request, manifest } of rendered) {
    const entry = { key: keys.get(request.application)!, ...summarize(parseObjects(manifest)) };
    writeFileAtomic(outputFile(out, request), manifest);
    writeFileAtomic(cacheFile(out, request), JSON.stringify(entry));
    cache.set(request.application, entry);
  }
  if (!options.environments?.length && !options.services?.length) removeOrphans(out, requests);

  const renderedNow = new Set(stale.map((request) => request.application));
  return requests.map((request) => {
    const { key: _key, ...summary } = cache.get(request.application)!;
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
function removeOrphans(out: string, requests: HelmRequest[]): void {
  const expected = new Set(requests.flatMap((request) => [outputFile(out, request), cacheFile(out, request)]));
  for (const env of existsSync(out) ? readdirSync(out, { withFileTypes: true }) : []) {
    if (!env.isDirectory() || env.name.startsWith('.')) continue;
    for (const dir of [join(out, env.name), join(out, env.name, '.cache')]) {
      for (const file of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
        if (file.isFile() && !expected.has(join(dir, file.name))) rmSync(join(dir, file.name));
      }
    }
  }
}
