// Registries that throttle, fail or lie: retried within bounds, or a clear error naming the registry; never a hang.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import { registryFor } from '../../src/registry';
import { MAX_RESPONSE_BYTES } from '../../src/registry/http';
import { MAX_TAG_PAGES, MAX_TAGS } from '../../src/registry/types';
import { sendJson, startServer, type Handler } from './support/http-server';

const env = { HOME: '/nonexistent' };
const fast = { tries: 5, baseDelayMs: 5, maxDelayMs: 2_000 };

async function withRegistry<T>(
  handler: Handler,
  run: (host: string, requests: Array<{ url: string }>) => Promise<T>,
): Promise<T> {
  const server = await startServer(handler);
  try {
    return await run(server.host, server.requests);
  } finally {
    await server.close();
  }
}

describe('throttling and server errors', () => {
  it('retries 429 and 503 with backoff, honouring Retry-After', async () => {
    let calls = 0;
    const started = Date.now();
    await withRegistry(
      (_request, response) => {
        calls += 1;
        if (calls === 1)
          return sendJson(response, 429, { errors: [{ code: 'TOOMANYREQUESTS' }] }, { 'retry-after': '1' });
        if (calls === 2) return sendJson(response, 503, 'busy');
        sendJson(response, 200, { name: 'app', tags: ['1.0.0'] });
      },
      async (host) => {
        expect(await registryFor(`${host}/app`, { env, retry: fast }).listTags(`${host}/app`)).toEqual([
          { tag: '1.0.0' },
        ]);
      },
    );
    expect(calls).toBe(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('gives up after the last try with an error saying so', async () => {
    await withRegistry(
      (_request, response) => sendJson(response, 503, 'busy'),
      async (host, requests) => {
        await expect(
          registryFor(`${host}/app`, { env, retry: { ...fast, tries: 3 } }).listTags(`${host}/app`),
        ).rejects.toThrow(/listing tags of 127\.0\.0\.1:\d+\/app failed: HTTP 503 from .* on all 3 tries\.\nFix: /);
        expect(requests).toHaveLength(3);
      },
    );
  });

  it('does not sit out a Retry-After longer than the longest backoff', async () => {
    await withRegistry(
      (_request, response) => sendJson(response, 429, {}, { 'retry-after': '3600' }),
      async (host, requests) => {
        await expect(registryFor(`${host}/app`, { env, retry: fast }).listTags(`${host}/app`)).rejects.toThrow(
          /HTTP 429 .*, and the registry asked to wait 3600 s\./,
        );
        expect(requests).toHaveLength(1);
      },
    );
  });

  it('does not retry an error that is not throttling', async () => {
    await withRegistry(
      (_request, response) => sendJson(response, 400, { errors: [{ code: 'NAME_INVALID' }] }),
      async (host, requests) => {
        await expect(registryFor(`${host}/app`, { env, retry: fast }).listTags(`${host}/app`)).rejects.toThrow(
          /answered HTTP 400/,
        );
        expect(requests).toHaveLength(1);
      },
    );
  });
});

describe('a registry that lies', () => {
  it('returns tag names exactly as given, odd ones included', async () => {
    const odd = ['v1.0.0', 'latest', '-bad', 'x'.repeat(200), '../../etc', 'ünïcode', ''];
    await withRegistry(
      (_request, response) => sendJson(response, 200, { name: 'app', tags: odd }),
      async (host) =>
        expect((await registryFor(`${host}/app`, { env }).listTags(`${host}/app`)).map((entry) => entry.tag)).toEqual(
          odd,
        ),
    );
  });

  it('treats an empty repository (tags: null) as no tags', async () => {
    await withRegistry(
      (_request, response) => sendJson(response, 200, { name: 'app', tags: null }),
      async (host) => expect(await registryFor(`${host}/app`, { env }).listTags(`${host}/app`)).toEqual([]),
    );
  });

  it('names the registry that sent malformed JSON', async () => {
    await withRegistry(
      (_request, response) => sendJson(response, 200, '{"name":"app","tags":["1.0.0"'),
      async (host) => {
        await expect(registryFor(`${host}/app`, { env }).listTags(`${host}/app`)).rejects.toThrow(
          new RegExp(`registry ${host} answered GET http://${host}/v2/app/tags/list\\?n=1000 with malformed JSON`),
        );
      },
    );
  });

  it('refuses tags that are not strings, and a tag list that is not a list', async () => {
    await withRegistry(
      (request, response) =>
        sendJson(response, 200, request.url!.startsWith('/v2/numbers/') ? { tags: ['1.0.0', 42] } : { tags: 'latest' }),
      async (host) => {
        await expect(registryFor(`${host}/numbers`, { env }).listTags(`${host}/numbers`)).rejects.toThrow(
          /registry 127\.0\.0\.1:\d+ listed a tag that is not a string \(42\)/,
        );
        await expect(registryFor(`${host}/scalar`, { env }).listTags(`${host}/scalar`)).rejects.toThrow(
          /"tags" field that is not a list/,
        );
      },
    );
  });

  it('stops at a Link that points back to a page already read', async () => {
    await withRegistry(
      (request, response) => {
        const last = new URL(request.url!, 'http://x').searchParams.get('last');
        // Page 2 links back to page 1, with its query parameters reordered.
        const link =
          last === null ? '</v2/app/tags/list?last=b&n=2>; rel="next"' : '</v2/app/tags/list?n=1000>; rel="next"';
        sendJson(response, 200, { name: 'app', tags: last === null ? ['a', 'b'] : ['c'] }, { link });
      },
      async (host, requests) => {
        await expect(registryFor(`${host}/app`, { env }).listTags(`${host}/app`)).rejects.toThrow(
          /registry 127\.0\.0\.1:\d+ sent berth back to a tag-list page it had already read/,
        );
        expect(requests).toHaveLength(2);
      },
    );
  });

  it('refuses a Link to another host', async () => {
    await withRegistry(
      (_request, response) =>
        sendJson(
          response,
          200,
          { tags: ['a'] },
          { link: '<https://elsewhere.example/v2/app/tags/list?last=a>; rel="next"' },
        ),
      async (host) => {
        await expect(registryFor(`${host}/app`, { env }).listTags(`${host}/app`)).rejects.toThrow(
          /pointed the next tag-list page at another host \(https:\/\/elsewhere\.example\)/,
        );
      },
    );
  });

  it('refuses a malformed digest, and config content that does not match its digest', async () => {
    const config = Buffer.from('{"created":"2025-01-01T00:00:00Z"}');
    const claimed = `sha256:${'0'.repeat(64)}`;
    await withRegistry(
      (request, response) => {
        if (request.url!.includes('/manifests/'))
          return sendJson(
            response,
            200,
            { schemaVersion: 2, config: { digest: claimed } },
            { 'docker-content-digest': 'sha256:not a digest' },
          );
        response.writeHead(200);
        response.end(config);
      },
      async (host) => {
        const client = registryFor(`${host}/app`, { env });
        await expect(client.digestOf(`${host}/app`, '1.0.0')).rejects.toThrow(
          /answered with a malformed manifest digest "sha256:not a digest"/,
        );
        await expect(client.createdAt(`${host}/app`, '1.0.0')).rejects.toThrow(
          new RegExp(`sent content that does not match its digest ${claimed}`),
        );
      },
    );
  });

  it('times out a registry that never answers', async () => {
    await withRegistry(
      () => undefined,
      async (host) => {
        await expect(registryFor(`${host}/app`, { env, timeoutMs: 300 }).listTags(`${host}/app`)).rejects.toThrow(
          /registry 127\.0\.0\.1:\d+ did not answer GET .* within 0\.3 s/,
        );
      },
    );
  });
});

describe('a registry whose answers are checked and bounded', () => {
  it('writes no digest a lying Docker-Content-Digest header claims: berth hashes the manifest itself', async () => {
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { digest: `sha256:${'1'.repeat(64)}` },
      layers: [],
    });
    const own = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;
    const lie = `sha256:${'a'.repeat(64)}`;
    await withRegistry(
      (request, response) => {
        const honest = request.url!.startsWith('/v2/honest/');
        response.writeHead(200, {
          'content-type': 'application/vnd.oci.image.manifest.v1+json',
          'docker-content-digest': honest ? own : lie,
        });
        response.end(request.method === 'HEAD' ? undefined : manifest);
      },
      async (host) => {
        expect(await registryFor(`${host}/honest`, { env }).digestOf(`${host}/honest`, 'latest')).toBe(own);
        await expect(registryFor(`${host}/app`, { env }).digestOf(`${host}/app`, 'latest')).rejects.toThrow(
          new RegExp(
            `registry ${host} said Docker-Content-Digest ${lie}, but the manifest it sent hashes to ${own}, while resolving ${host}/app:latest`,
          ),
        );
      },
    );
  });

  it('stops a registry that drips its body, naming the registry and the operation', async () => {
    await withRegistry(
      (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"name":"app","tags":[');
        const drip = setInterval(() => response.write('"1.0.0",'), 50);
        response.on('close', () => clearInterval(drip));
      },
      async (host) => {
        const started = Date.now();
        const error = await registryFor(`${host}/app`, { env, timeoutMs: 400 })
          .listTags(`${host}/app`)
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(BerthError);
        expect((error as Error).message).toMatch(
          new RegExp(
            `registry ${host} did not answer GET http://${host}/v2/app/tags/list\\?n=1000 within 0\\.4 s, body included, while listing tags of ${host}/app`,
          ),
        );
        expect((error as BerthError).fix).toMatch(/check that the registry is up/);
        expect(Date.now() - started).toBeLessThan(5_000);
      },
    );
  });

  it('stops endless Link pages at the page cap, quickly', async () => {
    let page = 0;
    await withRegistry(
      (_request, response) => {
        page += 1;
        sendJson(
          response,
          200,
          { name: 'app', tags: [`t${page}`] },
          { link: `</v2/app/tags/list?last=t${page}&n=1>; rel="next"` },
        );
      },
      async (host, requests) => {
        await expect(registryFor(`${host}/app`, { env, pageSize: 1 }).listTags(`${host}/app`)).rejects.toThrow(
          new RegExp(
            `registry ${host} kept sending tag-list pages past ${MAX_TAG_PAGES} while listing tags of ${host}/app[\\s\\S]*Fix: .*delete old tags`,
          ),
        );
        expect(requests).toHaveLength(MAX_TAG_PAGES);
      },
    );
  });

  it('stops a tag list longer than the tag cap, and an answer larger than berth reads', async () => {
    const many = JSON.stringify({ name: 'app', tags: Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`) });
    await withRegistry(
      (request, response) => {
        if (request.url!.startsWith('/v2/huge/'))
          return sendJson(response, 200, `{"name":"huge","tags":["${'x'.repeat(MAX_RESPONSE_BYTES)}"]}`);
        sendJson(response, 200, many);
      },
      async (host) => {
        await expect(registryFor(`${host}/app`, { env }).listTags(`${host}/app`)).rejects.toThrow(
          new RegExp(`registry ${host} listed more than 100,000 tags while listing tags of ${host}/app`),
        );
        await expect(registryFor(`${host}/huge`, { env }).listTags(`${host}/huge`)).rejects.toThrow(
          new RegExp(`registry ${host} answered GET .* with more than 8 MiB while listing tags of ${host}/huge`),
        );
      },
    );
  });
});

describe('reaching a registry', () => {
  it('uses HTTPS for hosts that are not loopback nor listed in BERTH_INSECURE_REGISTRIES, and says how to allow plain HTTP', async () => {
    const server = await startServer((_request, response) => sendJson(response, 200, { tags: ['1.0.0'] }));
    const port = server.host.split(':')[1];
    try {
      // .invalid never resolves, so the error shows the scheme that was tried.
      await expect(
        registryFor(`berth-test.invalid:${port}/app`, { env }).listTags(`berth-test.invalid:${port}/app`),
      ).rejects.toThrow(/cannot reach registry berth-test\.invalid:\d+ at https:\/\/.*BERTH_INSECURE_REGISTRIES/s);
      await expect(
        registryFor(`berth-test.invalid:${port}/app`, {
          env: { ...env, BERTH_INSECURE_REGISTRIES: `other:1, berth-test.invalid:${port}` },
        }).listTags(`berth-test.invalid:${port}/app`),
      ).rejects.toThrow(/at http:\/\/berth-test\.invalid/);
      expect(await registryFor(`localhost:${port}/app`, { env }).listTags(`localhost:${port}/app`)).toEqual([
        { tag: '1.0.0' },
      ]);
    } finally {
      await server.close();
    }
  });
});
