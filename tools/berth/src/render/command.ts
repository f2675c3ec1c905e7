// `berth render`: writes what Argo CD would apply, one file per Application, re-rendering only what changed.
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { PendingWrites, writeFileAtomic } from '../util/fs';
import { BerthError } from '../errors';
import {
  RENDER_MARKER,
  RENDERED_HEADER,
  assertOutputLocation,
  isBerthRenderFolder,
} from '../workspace/output-location';
import type { HelmRequest } from './argo-rules';
import { InputHasher } from './cache';
import type { ResolvedRequest, Unavailable } from './revisions';
import type { RenderSession } from './session';
import type { Rendered } from './engine';
import { parseObjects, summarize, type RenderSummary } from './summary';

export const DEFAULT_OUT = 'dist/rendered';
/**
 * Each output file's first line records what it was rendered from (a hash of every input) and its summary,
 * so a render with nothing changed reads one line per Application and runs no helm; being in the file itself,
 * the record can't go stale or be lost when renders run side by side (nx run-many).
 */
const HEADER = /^# Rendered by berth from (\S+): key (\w+) summary (\{.*\})$/;
const header = (request: HelmRequest, entry: CacheEntry) =>
  `${RENDERED_HEADER}${request.manifest}: key ${entry.key} summary ${JSON.stringify({ ...entry, key: undefined })}\n`;

export interface RenderOptions {
  /** The folder rendered into, from the workspace root; default dist/rendered. */
  out?: string;
  onProgress?: (done: number, total: number) => void;
  /** The requests are every Application of the workspace, so a file of an Application no longer there is removed. */
  complete?: boolean;
}

export interface RenderedApplication extends RenderSummary {
  environment: string;
  service: string;
  application: string;
  file: string;
  cached: boolean;
  /** A hash of every input: the same key renders the same objects (validate keys its lint results by it). */
  key: string;
  /** The version of the helm that renders it: its environment's Argo CD's (helm/versions.ts). */
  helm: string;
  /** The objects as helm printed them (an unchanged Application's are read from its file once, when first asked). */
  manifest: () => string;
  /** The objects parsed, once, when first asked. */
  documents: () => Record<string, any>[];
  /** Not rendered: a third-party chart is not cached (no objects; the message names the command that fetches it). */
  unavailable?: Unavailable;
}

interface CacheEntry extends RenderSummary {
  key: string;
}

export const outputFile = (out: string, request: HelmRequest) =>
  join(out, request.environment, `${request.service}.yaml`);

/** berth's own render code, which shapes the output (each request's key adds its helm's version). */
function toolFingerprint(): string {
  const hash = createHash('sha256');
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

/** What a manifest's lazy reading needs: the text now, or the file to read it from (after its header line). */
function lazyObjects(
  source: { manifest: string } | { file: string },
): Pick<RenderedApplication, 'manifest' | 'documents'> {
  let manifest = 'manifest' in source ? source.manifest : undefined;
  let documents: Record<string, any>[] | undefined;
  const text = () => {
    if (manifest === undefined) {
      const written = readFileSync((source as { file: string }).file, 'utf8');
      manifest = written.slice(written.indexOf('\n') + 1);
    }
    return manifest;
  };
  return { manifest: text, documents: () => (documents ??= parseObjects(text())) };
}

/**
 * Renders `requests` (resolved by the caller's session, which may have loaded the workspace for its own checks) into
 * `out`, re-rendering only those whose inputs changed, and returns each Application's summary and objects.
 */
export async function render(
  session: RenderSession,
  requests: readonly ResolvedRequest[],
  options: RenderOptions = {},
): Promise<RenderedApplication[]> {
  const root = session.root;
  const out = resolve(root, options.out ?? DEFAULT_OUT);
  assertOutputLocation(root, out, '--out');
  if (!isBerthRenderFolder(out)) {
    throw new BerthError(
      `${relative(root, out) || out} holds files berth did not render, and berth replaces only folders it rendered itself.`,
      {
        field: '--out',
        fix: 'name a new or empty folder, or remove that one first; berth changed nothing.',
      },
    );
  }
  const hasher = new InputHasher(root, toolFingerprint(), session.charts);
  // an Application whose third-party chart is not at hand is reported, not rendered; an older file of it is removed
  const unavailable = requests.filter((request) => request.unavailable);
  for (const request of unavailable) if (readCacheEntry(outputFile(out, request))) rmSync(outputFile(out, request));
  const renderable = requests.filter((request) => !request.unavailable);
  const keys = new Map<string, string>();
  const keyOf = (request: ResolvedRequest) => {
    let key = keys.get(request.application);
    if (key === undefined) keys.set(request.application, (key = hasher.request(request, request.helm.version)));
    return key;
  };
  const cache = new Map(renderable.map((request) => [request.application, readCacheEntry(outputFile(out, request))]));
  // an Application without a file renders whatever its key: the key is made as its batch is laid out, before helm
  // reads the inputs it hashes, while the helm processes before it run
  const stale = renderable.filter((request) => {
    const entry = cache.get(request.application);
    return !entry || entry.key !== keyOf(request);
  });

  // a stale file must not look current when this render fails: remove it first, a success writes it anew
  for (const request of stale) if (cache.get(request.application)) rmSync(outputFile(out, request), { force: true });
  const manifests = new Map<string, string>();
  const entries = new Map<string, CacheEntry>();
  // each helm process's Applications are summarized and written aside as it ends, while node would otherwise wait for
  // the next; they are put in place only once every one rendered, so a failed render leaves the folder as it was
  const writes = new PendingWrites();
  const writeEach = (rendered: Rendered[]) => {
    for (const { request, manifest } of rendered) {
      const entry = { key: keyOf(request), ...summarize(manifest) };
      entries.set(request.application, entry);
      writes.write(outputFile(out, request), header(request, entry) + manifest);
    }
  };
  let rendered: Rendered[] = [];
  try {
    // the engine, and the schema checks it brings, load only when there is something to render
    if (stale.length > 0)
      rendered = await (
        await import('./engine')
      ).renderRequests(session, stale, {
        onProgress: options.onProgress,
        onRendered: writeEach,
        onStaging: (requests) => requests.forEach(keyOf),
      });
  } catch (error) {
    writes.discard();
    throw error;
  }
  if (rendered.length)
    writeFileAtomic(
      join(out, RENDER_MARKER),
      'Written by berth render: berth replaces the files of this folder, nothing else.\n',
    );
  writes.commit();
  for (const { request, manifest } of rendered) {
    cache.set(request.application, entries.get(request.application)!);
    manifests.set(request.application, manifest);
  }
  if (options.complete) removeOrphans(out, requests);

  return requests.map((request): RenderedApplication => {
    const manifest = manifests.get(request.application);
    const file = outputFile(out, request);
    if (request.unavailable)
      return {
        environment: request.environment,
        service: request.service,
        application: request.application,
        file: relative(root, file),
        cached: false,
        helm: request.helm.version,
        key: '',
        workload: '-',
        replicas: '-',
        image: '-',
        objects: 0,
        manifest: () => '',
        documents: () => [],
        unavailable: request.unavailable,
      };
    return {
      environment: request.environment,
      service: request.service,
      application: request.application,
      file: relative(root, file),
      cached: manifest === undefined,
      helm: request.helm.version,
      ...cache.get(request.application)!,
      ...lazyObjects(manifest === undefined ? { file } : { manifest }),
    };
  });
}

/** A service removed from the workspace must not leave its old rendering behind. */
function removeOrphans(out: string, requests: readonly HelmRequest[]): void {
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
