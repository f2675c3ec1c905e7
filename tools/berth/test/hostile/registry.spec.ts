// Hostile registry answers, as a table, through the real `berth image-update` CLI: each ends with an exit code, a
// message naming the registry, what berth was doing and the fix, and nothing written (no commit, a clean tree).
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berthAsync, git } from '../cli/workspace';
import { gitOpsRepository } from '../image-update/support';
import { sendJson, startServer, type TestServer } from '../registry/support/http-server';

const manifest = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'1'.repeat(64)}`, size: 2 },
  layers: [],
});
const manifestDigest = `sha256:${createHash('sha256').update(manifest).digest('hex')}`;

type Answer = (request: IncomingMessage, response: ServerResponse, url: URL) => void;

interface Case {
  name: string;
  /** How the registry answers this case's requests. */
  answer?: Answer;
  /** The registry host the service's image comes from, when not the hostile server. */
  host?: () => string;
  /** service-a follows the tag `latest` by digest. */
  digest?: boolean;
  /** BERTH_REGISTRY_TIMEOUT for this case; 20 s unless said (the slow cases say 1 s). */
  timeout?: string;
  status: number;
  /** What berth was doing, as the message says it. */
  operation: 'listing tags of' | 'resolving';
  problem: RegExp;
  fix: RegExp;
}

let closedHost = '';
const tagList =
  (tags: unknown, headers: Record<string, string> = {}): Answer =>
  (_request, response) =>
    sendJson(response, 200, { name: 'service-a', tags }, headers);

const cases: Case[] = [
  {
    name: 'refused',
    host: () => closedHost,
    status: 3,
    operation: 'listing tags of',
    problem: /cannot reach registry .* \(ECONNREFUSED\)/,
    fix: /check the host, the port and the network/,
  },
  {
    name: 'silent',
    timeout: '1',
    answer: () => undefined,
    status: 3,
    operation: 'listing tags of',
    problem: /did not answer GET .* within 1 s, body included/,
    fix: /check that the registry is up/,
  },
  {
    name: 'drip',
    timeout: '1',
    answer: (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"tags":[');
      const drip = setInterval(() => response.write('"1.0.0",'), 100);
      response.on('close', () => clearInterval(drip));
    },
    status: 3,
    operation: 'listing tags of',
    problem: /did not answer GET .* within 1 s, body included/,
    fix: /one this slow is overloaded or misbehaving/,
  },
  {
    name: 'endless',
    answer: (_request, response, url) => {
      const page = Number(url.searchParams.get('page') ?? 0) + 1;
      sendJson(response, 200, { tags: [`9.0.${page}`] }, { link: `<${url.pathname}?page=${page}>; rel="next"` });
    },
    status: 3,
    operation: 'listing tags of',
    problem: /kept sending tag-list pages past 500/,
    fix: /delete old tags/,
  },
  {
    name: 'loop',
    answer: tagList(['1.0.0'], { link: '</v2/loop/service-a/tags/list?n=1000>; rel="next"' }),
    status: 3,
    operation: 'listing tags of',
    problem: /sent berth back to a tag-list page it had already read/,
    fix: /the registry is misbehaving/,
  },
  {
    name: 'elsewhere',
    answer: tagList(['1.0.0'], { link: '<https://attacker.example/v2/x/tags/list>; rel="next"' }),
    status: 3,
    operation: 'listing tags of',
    problem: /pointed the next tag-list page at another host \(https:\/\/attacker\.example\)/,
    fix: /misbehaving/,
  },
  {
    name: 'garbled',
    answer: (_request, response) => sendJson(response, 200, '<html>gateway</html>'),
    status: 3,
    operation: 'listing tags of',
    problem: /answered GET .* with malformed JSON \("<html>gateway<\/html>"\)/,
    fix: /not an OCI registry/,
  },
  {
    name: 'scalar',
    answer: tagList('1.0.0'),
    status: 3,
    operation: 'listing tags of',
    problem: /"tags" field that is not a list/,
    fix: /misbehaving/,
  },
  {
    name: 'numbers',
    answer: tagList(['1.0.0', { $gt: '' }]),
    status: 3,
    operation: 'listing tags of',
    problem: /listed a tag that is not a string/,
    fix: /misbehaving/,
  },
  {
    name: 'flood',
    answer: (_request, response) => sendJson(response, 200, `{"tags":["${'9'.repeat(9 * 1024 * 1024)}"]}`),
    status: 3,
    operation: 'listing tags of',
    problem: /answered GET .* with more than 8 MiB/,
    fix: /misbehaving, or this is not an OCI registry/,
  },
  {
    name: 'busy',
    answer: (_request, response) => sendJson(response, 503, 'busy'),
    status: 3,
    operation: 'listing tags of',
    problem: /failed: HTTP 503 from .* on all 5 tries/,
    fix: /run again later/,
  },
  {
    name: 'throttled',
    answer: (_request, response) => sendJson(response, 429, {}, { 'retry-after': '3600' }),
    status: 3,
    operation: 'listing tags of',
    problem: /HTTP 429 .*, and the registry asked to wait 3600 s/,
    fix: /run again after that time/,
  },
  {
    name: 'missing',
    answer: (_request, response) => sendJson(response, 404, { errors: [{ code: 'NAME_UNKNOWN' }] }),
    status: 3,
    operation: 'listing tags of',
    problem: /has no such repository \(HTTP 404/,
    fix: /check image.repository/,
  },
  {
    name: 'lying',
    digest: true,
    answer: (request, response, url) => {
      if (url.pathname.endsWith('/tags/list')) return sendJson(response, 200, { tags: ['latest'] });
      response.writeHead(200, {
        'content-type': 'application/vnd.oci.image.manifest.v1+json',
        'docker-content-digest': `sha256:${'e'.repeat(64)}`,
      });
      response.end(request.method === 'HEAD' ? undefined : manifest);
    },
    status: 3,
    operation: 'resolving',
    problem: new RegExp(
      `said Docker-Content-Digest sha256:e{64}, but the manifest it sent hashes to ${manifestDigest}.*berth writes no digest it cannot verify`,
    ),
    fix: /misbehaving/,
  },
  {
    name: 'malformed-digest',
    digest: true,
    answer: (_request, response, url) => {
      if (url.pathname.endsWith('/tags/list')) return sendJson(response, 200, { tags: ['latest'] });
      response.writeHead(200, {
        'content-type': 'application/vnd.oci.image.manifest.v1+json',
        'docker-content-digest': 'sha256:"\nimage: {tag: evil}'.replace('\n', ' '),
      });
      response.end(manifest);
    },
    status: 3,
    operation: 'resolving',
    problem: /answered with a malformed manifest digest/,
    fix: /misbehaving/,
  },
  {
    name: 'empty-manifest',
    digest: true,
    answer: (_request, response, url) =>
      url.pathname.endsWith('/tags/list') ? sendJson(response, 200, { tags: ['latest'] }) : sendJson(response, 200, ''),
    status: 3,
    operation: 'resolving',
    problem: /answered with an empty manifest/,
    fix: /misbehaving/,
  },
  {
    name: 'denied',
    answer: (_request, response) =>
      sendJson(
        response,
        401,
        { errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] },
        { 'www-authenticate': 'Basic realm="registry"' },
      ),
    status: 1,
    operation: 'listing tags of',
    problem: /access to .* was denied \(HTTP 401: UNAUTHORIZED: authentication required\)/,
    fix: /give berth credentials that may pull from/,
  },
];

describe('hostile registry answers', () => {
  let server: TestServer;
  const answers = new Map<string, Answer>();

  beforeAll(async () => {
    server = await startServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://registry');
      if (url.pathname === '/v2/' || url.pathname === '/v2') return sendJson(response, 200, {});
      const name = url.pathname.split('/')[2];
      const answer = answers.get(name);
      if (!answer) return sendJson(response, 500, `no case ${name}`);
      answer(request, response, url);
    });
    for (const entry of cases) if (entry.answer) answers.set(entry.name, entry.answer);
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedHost = `127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  afterAll(async () => server?.close());

  it.each(cases)('$name: exit $status, names the registry, "$operation" and the fix, writes nothing', async (entry) => {
    const host = entry.host?.() ?? `${server.host}/${entry.name}`;
    const registry = host.split('/')[0];
    const gitops = gitOpsRepository(host);
    if (entry.digest) {
      const app = join(gitops.work, 'apps/service-a/app.yaml');
      writeFileSync(
        app,
        readFileSync(app, 'utf8').replace('imageUpdates: {}', 'imageUpdates: {strategy: digest, tag: latest}'),
      );
      git(gitops.work, 'commit', '-qam', 'service-a follows latest');
    }
    const head = git(gitops.work, 'rev-parse', 'HEAD');
    const run = await berthAsync(
      {
        cwd: gitops.work,
        env: { BERTH_REGISTRY_TIMEOUT: entry.timeout ?? '20', HOME: '/nonexistent', DOCKER_CONFIG: '/nonexistent' },
      },
      'image-update',
      '--service',
      'service-a',
      '--push',
    );
    expect(run.status, run.stderr).toBe(entry.status);
    expect(run.stderr).not.toMatch(/\n\s+at /); // a message, never a stack
    expect(run.stderr).toContain(registry);
    expect(run.stderr).toContain(`${entry.operation} ${host}/service-a`);
    expect(run.stderr).toMatch(entry.problem);
    expect(run.stderr).toMatch(new RegExp(`Fix: .*${entry.fix.source}`));
    if (entry.status === 3) expect(run.stderr).toContain(`dev/service-a (${registry}): `);
    // nothing written, here or on the remote
    expect(git(gitops.work, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(gitops.work, 'status', '--porcelain')).toBe('');
    expect(git(gitops.work, 'ls-remote', 'origin', 'main').split('\t')[0]).toBe(
      git(gitops.work, 'rev-parse', 'origin/main'),
    );
  });
});
