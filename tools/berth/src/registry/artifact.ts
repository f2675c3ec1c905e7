// Pulls OCI artifacts other than images (a Helm chart pushed by `helm push`): the manifest of a tag and one blob, each
// hashed by berth and compared with the digest that names it, through the same authenticated, bounded transport.
import { createHash } from 'node:crypto';
import { BerthError } from '../errors';
import { parseJson } from './http';
import { parseImageRepository } from './reference';
import { RegistryTransport, type TransportOptions } from './transport';

export interface ArtifactManifest {
  /** sha256:<hex> of the manifest bytes, hashed by berth. */
  digest: string;
  layers: { mediaType: string; digest: string; size: number }[];
}

export interface ArtifactClient {
  manifest(repository: string, tag: string): Promise<ArtifactManifest>;
  /** The blob's bytes; refused unless they hash to `digest` (sha256) and are at most `maxBytes`. */
  blob(repository: string, digest: string, maxBytes: number): Promise<Buffer>;
}

const SHA256 = /^sha256:[0-9a-f]{64}$/;
const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export function createArtifactClient(registry: string, options: TransportOptions): ArtifactClient {
  const transport = new RegistryTransport(registry, options);
  const lie = (problem: string, url: string) =>
    new BerthError(`${transport.peer} ${problem} (GET ${url}).`, {
      fix: 'the registry is misbehaving; report it to whoever runs it.',
    });

  async function get(url: string, path: string, what: string, accept: string, maxBytes?: number): Promise<Buffer> {
    const response = await transport.request({ method: 'GET', url, accept, path, what, maxBytes });
    if (!response.ok) {
      await response.body?.cancel();
      throw new BerthError(
        `${what}: ${transport.peer} answered HTTP ${response.status}${response.status === 404 ? ' (no such chart version)' : ''} for ${url}.`,
        { fix: 'check the chart repository, name and version, and that the chart was pushed there.' },
      );
    }
    return Buffer.from(await response.arrayBuffer());
  }

  return {
    async manifest(repository, tag) {
      const path = parseImageRepository(repository).path;
      const url = `${transport.baseUrl}/v2/${path}/manifests/${encodeURIComponent(tag)}`;
      const bytes = await get(
        url,
        path,
        `reading ${registry}/${path}:${tag}`,
        'application/vnd.oci.image.manifest.v1+json',
      );
      const body = parseJson(bytes.toString('utf8'), url, transport.peer) as { layers?: unknown } | null;
      if (!Array.isArray(body?.layers)) throw lie('answered with a manifest that lists no layers', url);
      const layers = body.layers.map((layer: any) => ({
        mediaType: String(layer?.mediaType ?? ''),
        digest: String(layer?.digest ?? ''),
        size: Number(layer?.size),
      }));
      if (layers.some((layer) => !SHA256.test(layer.digest) || !Number.isSafeInteger(layer.size) || layer.size < 0))
        throw lie('answered with a manifest whose layers carry no sha256 digest or size', url);
      return { digest: sha256(bytes), layers };
    },
    async blob(repository, digest, maxBytes) {
      const path = parseImageRepository(repository).path;
      if (!SHA256.test(digest)) throw new BerthError(`blob digest "${digest}" is not sha256:<64 hex>.`);
      const url = `${transport.baseUrl}/v2/${path}/blobs/${digest}`;
      const bytes = await get(url, path, `pulling ${registry}/${path}@${digest}`, '*/*', maxBytes);
      if (sha256(bytes) !== digest) throw lie(`sent a blob that does not hash to its digest ${digest}`, url);
      return bytes;
    },
  };
}
