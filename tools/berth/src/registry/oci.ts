// RegistryClient for any OCI Distribution registry: tag list with bounded Link paging, a digest berth hashed itself from
// the manifest, creation time from the config blob.
import { createHash } from 'node:crypto';
import { BerthError } from '../errors';
import { parseJson } from './http';
import { nextPageUrl, pageKey } from './link';
import { parseImageRepository } from './reference';
import { RegistryTransport, type TransportOptions } from './transport';
import { MAX_TAG_PAGES, MAX_TAGS, type ImageTag, type RegistryClient } from './types';

export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

// OCI digest grammar: algorithm ":" encoded.
const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;
const PAGING_FIX = `the registry is misbehaving, or the repository holds more than ${MAX_TAGS.toLocaleString('en')} tags: delete old tags (a retention or lifecycle policy) and run again.`;

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
      throw new BerthError(`image repository "${repository}" is on ${parsed.registry}, not on ${registry}.`, {
        fix: 'ask registryFor() for a client of that repository.',
      });
    }
    return parsed.path;
  }

  function lie(problem: string, url: string, what?: string): BerthError {
    return new BerthError(`${peer} ${problem}${what ? ` while ${what}` : ''} (GET ${url}).`, {
      fix: 'the registry is misbehaving; report it to whoever runs it.',
    });
  }

  async function expectOk(response: Response, what: string, url: string): Promise<void> {
    if (response.ok) return;
    await response.body?.cancel();
    if (response.status === 404) {
      throw new BerthError(
        `${what}: ${peer} has no such ${/\/tags\/list/.test(url) ? 'repository' : 'tag or blob'} (HTTP 404 for ${url}).`,
        {
          fix: 'check image.repository and image.tag, and that the image was pushed.',
        },
      );
    }
    throw new BerthError(`${what}: ${peer} answered HTTP ${response.status} for ${url}.`, {
      fix: 'check the registry.',
    });
  }

  async function getJson(
    url: string,
    path: string,
    what: string,
    accept: string,
    digest?: string,
  ): Promise<{ body: unknown; response: Response }> {
    const response = await transport.request({ method: 'GET', url, accept, path, what });
    await expectOk(response, what, url);
    const bytes = Buffer.from(await response.arrayBuffer());
    // Content fetched by digest must hash to it; sha256 is the digest every registry uses.
    if (digest?.startsWith('sha256:') && `sha256:${sha256(bytes)}` !== digest)
      throw lie(`sent content that does not match its digest ${digest}`, url, what);
    return { body: parseJson(bytes.toString('utf8'), url, peer, what), response };
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
      if (seen.size >= MAX_TAG_PAGES)
        throw new BerthError(`${peer} kept sending tag-list pages past ${MAX_TAG_PAGES} while ${what} (GET ${url}).`, {
          fix: PAGING_FIX,
        });
      seen.add(key);
      const { body, response } = await getJson(url, path, what, 'application/json');
      const page = body as { tags?: unknown } | null;
      if (typeof page !== 'object' || page === null || Array.isArray(page))
        throw lie('answered with JSON that is not a tag list', url, what);
      if (page.tags !== undefined && page.tags !== null && !Array.isArray(page.tags))
        throw lie('answered with a "tags" field that is not a list', url, what);
      for (const tag of (page.tags as unknown[] | null | undefined) ?? []) {
        if (typeof tag !== 'string')
          throw lie(`listed a tag that is not a string (${JSON.stringify(tag)?.slice(0, 40)})`, url, what);
        tags.push({ tag });
      }
      if (tags.length > MAX_TAGS)
        throw new BerthError(
          `${peer} listed more than ${MAX_TAGS.toLocaleString('en')} tags while ${what} (GET ${url}).`,
          { fix: PAGING_FIX },
        );
      const next = nextPageUrl(response.headers.get('link'), url);
      if (next && new URL(next).origin !== new URL(transport.baseUrl).origin) {
        throw lie(`pointed the next tag-list page at another host (${new URL(next).origin})`, url, what);
      }
      url = next;
    }
    return tags;
  }

  function manifestUrl(path: string, reference: string): string {
    return `${transport.baseUrl}/v2/${path}/manifests/${encodeURIComponent(reference)}`;
  }

  /**
   * The digest is berth's own sha256 of the manifest bytes, never the registry's word: Docker-Content-Digest is only
   * compared with it, and a registry whose header disagrees is named. One GET, as a HEAD plus a check would need.
   */
  async function digestOf(repository: string, tag: string): Promise<string> {
    const path = pathOf(repository);
    const what = `resolving ${registry}/${path}:${tag}`;
    const url = manifestUrl(path, tag);
    const response = await transport.request({ method: 'GET', url, accept: MANIFEST_ACCEPT, path, what });
    await expectOk(response, what, url);
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length === 0) throw lie(`answered with an empty manifest while ${what}`, url);
    const digest = `sha256:${sha256(bytes)}`;
    const claimed = response.headers.get('docker-content-digest')?.trim();
    if (claimed && claimed !== digest) {
      if (!DIGEST.test(claimed))
        throw lie(`answered with a malformed manifest digest "${claimed.slice(0, 80)}" while ${what}`, url);
      const algorithm = claimed.slice(0, claimed.indexOf(':'));
      const own = algorithm === 'sha512' ? `sha512:${createHash('sha512').update(bytes).digest('hex')}` : digest;
      if (own !== claimed)
        throw lie(
          `said Docker-Content-Digest ${claimed}, but the manifest it sent hashes to ${own}, while ${what}; berth writes no digest it cannot verify`,
          url,
        );
    }
    return digest;
  }

  /** An index or manifest list stands for several images; the linux/amd64 one is the one EKS nodes mostly run. */
  function pickFromIndex(manifests: unknown[], url: string): string {
    const descriptors = manifests.filter(
      (entry): entry is Descriptor => typeof (entry as Descriptor)?.digest === 'string',
    );
    const chosen =
      descriptors.find((entry) => entry.platform?.os === 'linux' && entry.platform?.architecture === 'amd64') ??
      descriptors[0];
    if (!chosen) throw lie('answered with an image index that lists no manifests', url);
    return chosen.digest;
  }

  async function createdAt(repository: string, tag: string): Promise<Date | undefined> {
    const path = pathOf(repository);
    const what = `reading the creation time of ${registry}/${path}:${tag}`;
    let url = manifestUrl(path, tag);
    let manifest = (await getJson(url, path, what, MANIFEST_ACCEPT)).body as {
      manifests?: unknown;
      config?: { digest?: unknown };
    } | null;
    if (Array.isArray(manifest?.manifests)) {
      const digest = pickFromIndex(manifest.manifests, url);
      url = manifestUrl(path, digest);
      manifest = (await getJson(url, path, what, MANIFEST_ACCEPT, digest)).body as typeof manifest;
    }
    const configDigest = manifest?.config?.digest;
    if (typeof configDigest !== 'string' || !DIGEST.test(configDigest))
      throw lie('answered with a manifest without a config digest', url);
    const blobUrl = `${transport.baseUrl}/v2/${path}/blobs/${configDigest}`;
    const { body } = await getJson(blobUrl, path, what, 'application/json, */*', configDigest);
    const created = (body as { created?: unknown } | null)?.created;
    if (typeof created !== 'string') return undefined;
    const date = new Date(created);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }

  return { listTags, digestOf, createdAt };
}
