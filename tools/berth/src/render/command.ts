// `berth render`: writes what Argo CD would apply, one file per Application, re-rendering only what changed.
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { diskFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import { resolveHelm } from '../helm/binary';
import { writeFileAtomic } from '../util/fs';
import { BerthError } from '../errors';
import {
  RENDER_MARKER,
  RENDERED_HEADER,
  assertOutputLocation,
  isBerthRenderFolder,
} from '../workspace/output-location';
import type { HelmRequest } from './argo-rules';
import { loadHelmRequests, type Selection } from './applications';
import { InputHasher } from './cache';
import { forgetCharts } from './stage';
import { resolveChartRevisions } from './revisions';
import { renderRequests } from './engine';
import { summarize, type RenderSummary } from './summary';

export const DEFAULT_OUT = 'dist/rendered';
/**
 * Each output file's first line records what it was rendered from (a hash of every input) and its summary,
 * so a render with nothing changed reads one line per Application and runs no helm; being in the file itself,
 * the record can't go stale or be lost when renders run side by side (nx run-many).
 */
const HEADER = /^# Rendered by berth from (\S+): key (\w+) summary (\{.*\})$/;
const header = (request: HelmRequest, entry: CacheEntry) =>
  `${RENDERED_HEADER}${request.manifest}: key ${entry.key} summary ${JSON.stringify({ ...entry, key: undefined })}\n`;

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
  /** A hash of every input: the same key renders the same objects (validate keys its lint results by it). */
  key: string;
}

interface CacheEntry extends RenderSummary {
  key: string;
}

export const outputFile = (out: string, request: HelmRequest) =>
  join(out, request.environment, `${request.service}.yaml`);

/** Versions of everything outside the repository that shapes the output: helm and berth's own render code. */
function toolFingerprint(): string {
  const hash = createHash('sha256').update(resolveHelm().version);
  for (const file of readdirSync(__dirname).sort()) hash.update(readFileSync(join(__dirname, file)));
  return hash.digest('hex');
}

function readCacheEntry(path: string): CacheEntry | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const buffer = Buffer.alloc(1024);
    const line = buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0)).split('\n')[0];
    const match = HEADER.exec(line);
    return match ? { ...JSON.parse(match[3]), key: match[2] } : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export async function render(options: RenderOptions): Promise<RenderedApplication[]> {
  forgetCharts();
  const files = diskFiles(options.root);
  const workspace = loadWorkspace(files);
  const requests = loadHelmRequests(files, workspace, options);
  await resolveChartRevisions(options.root, requests, workspace.settings.revision);
  const out = resolve(options.root, options.out ?? DEFAULT_OUT);
  assertOutputLocation(options.root, out, '--out');
  if (!isBerthRenderFolder(out)) {
    throw new BerthError(
      `${relative(options.root, out) || out} holds files berth did not render, and berth replaces only folders it rendered itself.`,
      {
        field: '--out',
        fix: 'name a new or empty folder, or remove that one first; berth changed nothing.',
      },
    );
  }
  const hasher = new InputHasher(options.root, toolFingerprint());
  const keys = new Map(requests.map((request) => [request.application, hasher.request(request)]));
  const cache = new Map(requests.map((request) => [request.application, readCacheEntry(outputFile(out, request))]));
  const stale = requests.filter((request) => cache.get(request.application)?.key !== keys.get(request.application));

  // a stale file must not look current when this render fails: remove it first, a success writes it anew
  for (const request of stale) if (cache.get(request.application)) rmSync(outputFile(out, request), { force: true });
  const rendered = await renderRequests(options.root, stale, { onProgress: options.onProgress });
  if (rendered.length)
    writeFileAtomic(
      join(out, RENDER_MARKER),
      'Written by berth render: berth replaces the files of this folder, nothing else.\n',
    );
  for (const { request, manifest } of rendered) {
    const entry = { key: keys.get(request.application)!, ...summarize(manifest) };
    writeFileAtomic(outputFile(out, request), header(request, entry) + manifest);
    cache.set(request.application, entry);
  }
  if (!options.environments?.length && !options.services?.length) removeOrphans(out, requests);

  const renderedNow = new Set(stale.map((request) => request.application));
  return requests.map((request) => ({
    environment: request.environment,
    service: request.service,
    application: request.application,
    file: relative(options.root, outputFile(out, request)),
    cached: !renderedNow.has(request.application),
    ...cache.get(request.application)!,
  }));
}

/** A service removed from the workspace must not leave its old rendering behind. */
function removeOrphans(out: string, requests: HelmRequest[]): void {
  const expected = new Set(requests.map((request) => outputFile(out, request)));
  for (const env of existsSync(out) ? readdirSync(out, { withFileTypes: true }) : []) {
    if (!env.isDirectory() || env.name.startsWith('.')) continue;
    for (const file of readdirSync(join(out, env.name), { withFileTypes: true })) {
      const path = join(out, env.name, file.name);
      // only files berth rendered (its header on the first line) are its to delete
      if (file.isFile() && file.name.endsWith('.yaml') && !expected.has(path) && readCacheEntry(path)) rmSync(path);
    }
  }
}
