// berth promote --wait on the command line, where it must refuse before anything is pushed: no Argo CD to ask, one
// that cannot be reached or refuses the token, a pull-request promotion, a bad --timeout. The waiting itself runs
// against the real Argo CD (the cluster suite); here only the error paths, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../cli/workspace';
import { sendJson, startServer, type TestServer } from '../registry/support/http-server';
import { closedPort } from '../support/closed-port';
import { berthWith, platform } from './support';
import { awaitSync, waitFailure } from '../../src/promote/await-sync';
import { connectionFromEnv } from '../../src/argocd-api/connection';

const NO_ARGOCD = {
  ARGOCD_SERVER: undefined,
  ARGOCD_AUTH_TOKEN: undefined,
  ARGOCD_OPTS: undefined,
  ARGOCD_PLAINTEXT: undefined,
  ARGOCD_INSECURE: undefined,
};
const TOKEN = 'not-a-real-token';

let unauthorized: TestServer;
beforeAll(async () => {
  // what argocd-server answers a token it does not accept (a gRPC-gateway error body, code 16 Unauthenticated)
  unauthorized = await startServer((_request, response) =>
    sendJson(response, 401, {
      error: 'invalid session: token signature is invalid',
      code: 16,
      message: 'invalid session: token signature is invalid',
      details: [],
    }),
  );
});
afterAll(() => unauthorized.close());

/** The promotion's repository, with the head of its work tree and of its remote, to show nothing moved. */
function repository() {
  const { work, remote } = platform();
  const heads = () => [git(work, 'rev-parse', 'HEAD'), git(remote, 'rev-parse', 'main')];
  return { work, before: heads(), heads };
}

describe('berth promote --wait refuses before pushing', () => {
  it('without ARGOCD_SERVER, naming what to set', async () => {
    const { work, before, heads } = repository();
    const run = await berthWith(work, NO_ARGOCD, 'promote', 'service-a', '--to', 'stage', '--push', '--wait');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^berth: ARGOCD_SERVER: --wait asks Argo CD how the promotion syncs, and ARGOCD_SERVER is not set\.\nFix: set ARGOCD_SERVER .*dist\/cluster\/argocd\.env.*berth changed nothing\./,
    );
    expect(heads()).toEqual(before);
  });

  it('when Argo CD cannot be reached, naming the server and the fix', async () => {
    const { work, before, heads } = repository();
    const port = await closedPort();
    const run = await berthWith(
      work,
      { ...NO_ARGOCD, ARGOCD_SERVER: `127.0.0.1:${port}`, ARGOCD_AUTH_TOKEN: TOKEN, ARGOCD_OPTS: '--plaintext' },
      'promote',
      'service-a',
      '--to',
      'stage',
      '--push',
      '--wait',
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`ARGOCD_SERVER: could not reach Argo CD at http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
    expect(run.stderr).toMatch(/Fix: check ARGOCD_SERVER \(host:port of argocd-server\)/);
    expect(run.stderr).not.toContain(TOKEN);
    expect(heads()).toEqual(before);
  });

  it("when Argo CD refuses the token, with Argo CD's words and the token fix", async () => {
    const { work, before, heads } = repository();
    const run = await berthWith(
      work,
      { ...NO_ARGOCD, ARGOCD_SERVER: unauthorized.host, ARGOCD_AUTH_TOKEN: TOKEN, ARGOCD_PLAINTEXT: 'true' },
      'promote',
      'service-a',
      '--to',
      'stage',
      '--push',
      '--wait',
      '--json',
    );
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      field: 'ARGOCD_AUTH_TOKEN',
      error: `Argo CD at http://${unauthorized.host} refused GET Applications berth.dev/environment=stage in argocd (HTTP 401): invalid session: token signature is invalid.`,
      fix: expect.stringMatching(/^set ARGOCD_AUTH_TOKEN to a current API token/),
    });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    // the one question asked, with the token as Argo CD takes it
    expect(unauthorized.requests.at(-1)).toMatchObject({
      method: 'GET',
      url: '/api/v1/applications?selector=berth.dev%2Fenvironment%3Dstage&appNamespace=argocd',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(heads()).toEqual(before);
  });

  it('in pull-request mode, saying what the commit waits for', async () => {
    const { work, before, heads } = repository();
    const env = { ...NO_ARGOCD, ARGOCD_SERVER: unauthorized.host, ARGOCD_AUTH_TOKEN: TOKEN };
    // prod promotes by pull request (env.yaml promotion.mode: pr); --pr asks the same of stage
    for (const args of [
      ['--to', 'prod'],
      ['--to', 'stage', '--pr'],
    ]) {
      const run = await berthWith(work, env, 'promote', 'service-a', ...args, '--wait');
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(
        /--wait: --wait waits for Argo CD to sync a pushed commit, and (prod|stage) is promoted by pull request: the commit reaches main only when someone merges it\.\nFix: drop --wait, merge the pull request, then watch (prod|stage) with berth status --live/,
      );
    }
    const local = await berthWith(work, env, 'promote', 'service-a', '--to', 'stage', '--no-push', '--wait');
    expect(local.stderr).toMatch(/--no-push only commits locally\.\nFix: promote with --push --wait/);
    expect(heads()).toEqual(before);
  });

  it('with a --timeout that is no duration, or without --wait', async () => {
    const { work, before, heads } = repository();
    const bad = await berthWith(work, NO_ARGOCD, 'promote', 'service-a', '--to', 'stage', '--wait', '--timeout', '10');
    expect(bad.stderr).toMatch(
      /--timeout: --timeout "10" is not a duration\.\nFix: write it as 10m, 90s, 1h or 1h30m\./,
    );
    const alone = await berthWith(work, NO_ARGOCD, 'promote', 'service-a', '--to', 'stage', '--timeout', '5m');
    expect(alone.stderr).toMatch(/--timeout is how long --wait waits, and --wait is not given\./);
    expect([bad.status, alone.status]).toEqual([1, 1]);
    expect(heads()).toEqual(before);
  });
});

describe('awaitSync on the error paths', () => {
  const base = (server: string) => ({
    connection: connectionFromEnv({ ARGOCD_SERVER: server, ARGOCD_AUTH_TOKEN: TOKEN, ARGOCD_PLAINTEXT: 'true' })!,
    namespace: 'argocd',
    root: 'stage-root',
    targets: [{ service: 'service-a', application: 'stage-service-a', chart: 'a'.repeat(40) }],
    pushed: 'b'.repeat(40),
    dir: '.',
    remote: 'origin',
    branch: 'main',
    intervalMs: 100,
  });

  it('waits through an Argo CD that does not answer, then reports the timeout with what it said', async () => {
    const port = await closedPort();
    const lines: string[] = [];
    const started = Date.now();
    const report = await awaitSync({
      ...base(`127.0.0.1:${port}`),
      timeoutMs: 600,
      onProgress: (line) => lines.push(line),
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(report).toMatchObject({
      outcome: 'timeout',
      applications: [
        {
          application: 'stage-service-a',
          state: 'waiting',
          reason: expect.stringMatching(
            /^Argo CD did not answer: could not reach Argo CD at http:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED/,
          ),
          sync: null,
          health: null,
          revisions: [],
        },
      ],
    });
    // a line when something changes, not one per poll
    expect(lines[0]).toMatch(
      /^waiting for Argo CD \(\d+s\): 0\/1 Synced and Healthy; stage-service-a: Argo CD did not answer/,
    );
    expect(lines.length).toBeLessThan(3);
    expect(waitFailure(report, 'stage', '600ms').message).toMatch(
      /^--timeout: stage did not become Synced and Healthy at the pushed commit within 600ms:\n {2}stage-service-a: Argo CD did not answer: could not reach/,
    );
  });

  it('stops at once when Argo CD no longer accepts the token', async () => {
    const before = unauthorized.requests.length;
    await expect(awaitSync({ ...base(unauthorized.host), timeoutMs: 60_000 })).rejects.toThrow(
      /ARGOCD_AUTH_TOKEN: Argo CD at http:\/\/127\.0\.0\.1:\d+ refused GET Application argocd\/stage-service-a \(HTTP 401\)/,
    );
    // the root Application and the target, each asked to refresh
    expect(unauthorized.requests.slice(before).map((request) => request.url)).toEqual([
      '/api/v1/applications/stage-root?appNamespace=argocd&refresh=normal',
      '/api/v1/applications/stage-service-a?appNamespace=argocd&refresh=normal',
    ]);
  });
});
