// The OCI client against the real Distribution registry: tag paging, digests by HEAD, creation times, limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registryFor } from '../../src/registry';
import { startPagingProxy } from './support/paging-proxy';
import { pushImage, pushIndex, startRegistry, type PushedImage, type RunningRegistry } from './support/registry';
import type { TestServer } from './support/http-server';

const env = { HOME: '/nonexistent', PATH: process.env.PATH };

describe('OCI registry client (docker-registry)', () => {
  let registry: RunningRegistry;
  let proxy: TestServer;
  const pushed: PushedImage[] = [];

  beforeAll(async () => {
    registry = await startRegistry();
    const base = Date.UTC(2025, 4, 1);
    for (let i = 0; i < 7; i += 1)
      pushed.push(await pushImage(registry.url, 'team/app', `1.${i}.0`, new Date(base + i * 3_600_000)));
    pushed.push(
      await pushIndex(registry.url, 'team/app', 'multi', {
        amd64: new Date(base + 99_000),
        arm64: new Date(base + 11_000),
      }),
    );
    proxy = await startPagingProxy(registry.url);
  });

  afterAll(async () => {
    await proxy?.close();
    await registry?.stop();
  });

  it('lists every tag, following Link pages to the end', async () => {
    const client = registryFor(`${proxy.host}/team/app`, { env, pageSize: 3 });
    const tags = await client.listTags(`${proxy.host}/team/app`);
    const expected = [...pushed.map((image) => image.tag), 'multi-amd64', 'multi-arm64'].sort();
    expect(tags.map((entry) => entry.tag).sort()).toEqual(expected);
    expect(tags.every((entry) => entry.digest === undefined && entry.created === undefined)).toBe(true);
    const pages = proxy.requests.filter((request) => request.url.includes('/tags/list'));
    expect(pages.length).toBe(Math.ceil(expected.length / 3));
    expect(pages[0].url).toBe('/v2/team/app/tags/list?n=3');
  });

  it('asks for 1000 tags a page by default, and reads an unpaged list whole', async () => {
    const client = registryFor(`${registry.host}/team/app`, { env });
    expect((await client.listTags(`${registry.host}/team/app`)).length).toBe(pushed.length + 2);
    const before = proxy.requests.length;
    await registryFor(`${proxy.host}/team/app`, { env }).listTags(`${proxy.host}/team/app`);
    expect(proxy.requests.slice(before).map((request) => request.url)).toEqual(['/v2/team/app/tags/list?n=1000']);
  });

  it('resolves a tag to the digest of the manifest that was pushed, hashing the manifest itself (one GET)', async () => {
    const client = registryFor(`${proxy.host}/team/app`, { env });
    const before = proxy.requests.length;
    for (const image of pushed) expect(await client.digestOf(`${proxy.host}/team/app`, image.tag)).toBe(image.digest);
    const requests = proxy.requests.slice(before);
    expect(requests).toHaveLength(pushed.length);
    expect(requests.every((request) => request.method === 'GET')).toBe(true);
    expect(String(requests[0].headers.accept)).toContain('application/vnd.oci.image.index.v1+json');
    expect(String(requests[0].headers.accept)).toContain('application/vnd.docker.distribution.manifest.v2+json');
  });

  it('reads the creation time from the config blob, only when asked', async () => {
    const client = registryFor(`${registry.host}/team/app`, { env });
    expect(await client.createdAt(`${registry.host}/team/app`, '1.3.0')).toEqual(pushed[3].created);
    // An index stands for its linux/amd64 image.
    expect(await client.createdAt(`${registry.host}/team/app`, 'multi')).toEqual(
      new Date(Date.UTC(2025, 4, 1) + 99_000),
    );
  });

  it('says which repository or tag does not exist', async () => {
    const client = registryFor(`${registry.host}/team/app`, { env });
    await expect(client.digestOf(`${registry.host}/team/app`, '9.9.9')).rejects.toThrow(
      /resolving 127\.0\.0\.1:\d+\/team\/app:9\.9\.9: registry .* has no such tag/,
    );
    await expect(client.listTags(`${registry.host}/team/nothing`)).rejects.toThrow(
      /listing tags of 127\.0\.0\.1:\d+\/team\/nothing: .*has no such repository \(HTTP 404/,
    );
  });

  it('keeps calls to one host within the concurrency limit', async () => {
    const slow = await startPagingProxy(registry.url, { latencyMs: 40 });
    try {
      const client = registryFor(`${slow.host}/team/app`, { env, concurrency: 3 });
      const tags = Array.from({ length: 12 }, (_, i) => pushed[i % pushed.length].tag);
      const digests = await Promise.all(tags.map((tag) => client.digestOf(`${slow.host}/team/app`, tag)));
      expect(digests).toEqual(tags.map((tag) => pushed.find((image) => image.tag === tag)!.digest));
      expect(slow.maxInFlight()).toBe(3);
      // Clients of the same host share the limit.
      const other = registryFor(`${slow.host}/team/app`, { env, concurrency: 3 });
      await Promise.all([
        ...tags.map((tag) => client.digestOf(`${slow.host}/team/app`, tag)),
        ...tags.map((tag) => other.digestOf(`${slow.host}/team/app`, tag)),
      ]);
      expect(slow.maxInFlight()).toBe(3);
    } finally {
      await slow.close();
    }
  });
});
