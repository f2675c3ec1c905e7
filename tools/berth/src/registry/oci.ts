// RegistryClient for any OCI Distribution registry: tag list with Link paging, digest by HEAD, created from the config blob.
import { createHash } from 'node:crypto';
import { BerthError } from '../errors';
import { parseJson } from './http';
import { nextPageUrl, pageKey } from './link';
import { parseImageRepository } from './reference';
import { RegistryTransport, type TransportOptions } from './transport';
import type { ImageTag, RegistryClient } from './types';

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

// OCI digest grammar: algorithm ":" encoded.
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
// Ten million tags at 1,000 a page; a registry inventing fresh pages forever stops here.
const MAX_PAGES = 10_000;

export interface OciClientOptions extends TransportOptions {
  pageSize: number;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

interface Descriptor {
  mediaType?: string;
  digest: string;
  platform?: { os?: string; architecture?: string };
}

export function createOciClient(registry: string, options: OciClientOptions): RegistryClient {
  const transport = new RegistryTransport(registry, options);
  const peer = transport.peer;

  function pathOf(repository: string): string {
    const parsed = parseImageRepository(repository);
    if (parsed.registry !== registry) {
      throw new BerthError(`image repository "${repository}" is on ${parsed.registry}, not on ${registry}.`, { fix: 'ask registryFor() for a client of that repository.' });
    }
    return parsed.path;
  }

  function lie(problem: string, url: string): BerthError {
    return new BerthError(`${peer} ${problem} (GET ${url}).`, { fix: 'the registry is misbehaving; report it to whoever runs it.' });
  }

  async function expectOk(response: Response, what: string, url: string): Promise<void> {
    if (response.ok) return;
    await response.body?.cancel();
    if (response.status === 404) {
      throw new BerthError(`${what}: ${peer} has no such ${/\/tags\/list/.test(url) ? 'repository' : 'tag or blob'} (HTTP 404 for ${url}).`, {
        fix: 'check image.repository and image.tag, and that the image was pushed.',
      });
    }
    throw new BerthError(`${what}: ${peer} answered HTTP ${response.status} for ${url}.`, { fix: 'check the registry.' });
  }

  async function getJson(url: string, path: string, what: string, accept: string, digest?: string): Promise<{ body: unknown; response: Response }> {
    const response = await transport.request({ method: 'GET', url, accept, path, what });
    await expectOk(response, what, url);
    const bytes = Buffer.from(await response.arrayBuffer());
    // Content fetched by digest must hash to it; sha256 is the digest every registry uses.
    if (digest?.startsWith('sha256:') && `sha256:${sha256(bytes)}` !== digest) throw lie(`sent content that does not match its digest ${digest}`, url);
    return { body: parseJson(bytes.toString('utf8'), url, peer), response };
  }

  async function listTags(repository: string): Promise<ImageTag[]> {
    const path = pathOf(repository);
    const what = `listing tags of ${registry}/${path}`;
    const tags: ImageTag[] = [];
    const seen = new Set<string>();
    let url: string | undefined = `${transport.baseUrl}/v2/${path}/tags/list?n=${options.pageSize}`;
    while (url) {
      const key = pageKey(url);
      if (seen.has(key)) throw lie(`sent berth back to a tag-list page it had already read while ${what}`, url);
      if (seen.size >= MAX_PAGES) throw lie(`kept sending more tag-list pages past ${MAX_PAGES} while ${what}`, url);
      seen.add(key);
      const { body, response } = await getJson(url, path, what, 'application/json');
      const page = body as { tags?: unknown } | null;
      if (typeof page !== 'object' || page === null || Array.isArray(page)) throw lie('answered with JSON that is not a tag list', url);
      if (page.tags !== undefined && page.tags !== null && !Array.isArray(page.tags)) throw lie('answered with a "tags" field that is not a list', url);
      for (const tag of (page.tags as unknown[] | null | undefined) ?? []) {
        if (typeof tag !== 'string') throw lie(`listed a tag that is not a string (${JSON.stringify(tag)?.slice(0, 40)})`, url);
        tags.push({ tag });
      }
      const next = nextPageUrl(response.headers.get('link'), url);
      if (next && new URL(next).origin !== new URL(transport.baseUrl).origin) {
        throw lie(`pointed the next tag-list page at another host (${new URL(next).origin})`, url);
      }
      url = next;
    }
    return tags;
  }

  function manifestUrl(path: string, reference: string): string {
    return `${transport.baseUrl}/v2/${path}/manifests/${encodeURIComponent(reference)}`;
  }

  async function digestOf(repository: string, tag: string): Promise<string> {
    const path = pathOf(repository);
    const what = `resolving ${registry}/${path}:${tag}`;
    const url = manifestUrl(path, tag);
    const head = await transport.request({ method: 'HEAD', url, accept: MANIFEST_ACCEPT, path, what });
    await expectOk(head, what, url);
    let digest = head.headers.get('docker-content-digest') ?? undefined;
    if (!digest) {
      // Some registries leave the header off HEAD; the digest of the manifest bytes is the same thing.
      const response = await transport.request({ method: 'GET', url, accept: MANIFEST_ACCEPT, path, what });
      await expectOk(response, what, url);
      digest = response.headers.get('docker-content-digest') ?? `sha256:${sha256(Buffer.from(await response.arrayBuffer()))}`;
    }
    if (!DIGEST.test(digest)) throw lie(`answered with a malformed manifest digest "${digest.slice(0, 80)}"`, url);
    return digest;
  }

  /** An index or manifest list stands for several images; the linux/amd64 one is the one EKS nodes mostly run. */
  function pickFromIndex(manifests: unknown[], url: string): string {
    const descriptors = manifests.filter((entry): entry is Descriptor => typeof (entry as Descriptor)?.digest === 'string');
    const chosen = descriptors.find((entry) => entry.platform?.os === 'linux' && entry.platform?.architecture === 'amd64') ?? descriptors[0];
    if (!chosen) throw lie('answered with an image index that lists no manifests', url);
    return chosen.digest;
  }

  async function createdAt(repository: string, tag: string): Promise<Date | undefined> {
    const path = pathOf(repository);
    const what = `reading the creation time of ${registry}/${path}:${tag}`;
    let url = manifestUrl(path, tag);
    let manifest = (await getJson(url, path, what, MANIFEST_ACCEPT)).body as { manifests?: unknown; config?: { digest?: unknown } } | null;
    if (Array.isArray(manifest?.manifests)) {
      const digest = pickFromIndex(manifest.manifests, url);
      url = manifestUrl(path, digest);
      manifest = (await getJson(url, path, what, MANIFEST_ACCEPT, digest)).body as typeof manifest;
    }
    const configDigest = manifest?.config?.digest;
    if (typeof configDigest !== 'string' || !DIGEST.test(configDigest)) throw lie('answered with a manifest without a config digest', url);
    const blobUrl = `${transport.baseUrl}/v2/${path}/blobs/${configDigest}`;
    const { body } = await getJson(blobUrl, path, what, 'application/json, */*', configDigest);
    const created = (body as { created?: unknown } | null)?.created;
    if (typeof created !== 'string') return undefined;
    const date = new Date(created);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }

  return { listTags, digestOf, createdAt };
}
