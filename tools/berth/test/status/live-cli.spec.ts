// berth status --live on the command line, where it must fail clearly: no Argo CD named, one that cannot be reached,
// one that refuses the token (over real HTTP). What it shows of a real Argo CD is the cluster suite's to test.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berthAsync, type Run } from '../cli/workspace';
import { gitOpsRepository } from '../image-update/support';
import { sendJson, startServer, type TestServer } from '../registry/support/http-server';
import { closedPort } from '../support/closed-port';

const NO_ARGOCD = {
  ARGOCD_SERVER: undefined,
  ARGOCD_AUTH_TOKEN: undefined,
  ARGOCD_OPTS: undefined,
  ARGOCD_PLAINTEXT: undefined,
  ARGOCD_INSECURE: undefined,
};
const TOKEN = 'not-a-real-token';

let dir: string;
let unauthorized: TestServer;
beforeAll(async () => {
  dir = gitOpsRepository('registry.invalid').work;
  unauthorized = await startServer((_request, response) =>
    sendJson(response, 401, {
      error: 'invalid session: token has invalid claims: token is expired',
      code: 16,
      message: 'invalid session: token has invalid claims: token is expired',
      details: [],
    }),
  );
});
afterAll(() => unauthorized.close());

const status = (env: Record<string, string | undefined>, ...args: string[]): Promise<Run> =>
  berthAsync({ cwd: dir, env: { ...NO_ARGOCD, ...env } as NodeJS.ProcessEnv }, 'status', '--live', ...args);

describe('berth status --live', () => {
  it('without ARGOCD_SERVER says what to set', async () => {
    const run = await status({});
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /^berth: ARGOCD_SERVER: --live asks Argo CD what runs, and ARGOCD_SERVER is not set\.\nFix: set ARGOCD_SERVER \(host:port of argocd-server\) and ARGOCD_AUTH_TOKEN/,
    );
    expect(run.stdout).toBe('');
  });

  it('names the server and the fix when Argo CD cannot be reached, and writes no board', async () => {
    const port = await closedPort();
    const run = await status(
      { ARGOCD_SERVER: `127.0.0.1:${port}`, ARGOCD_AUTH_TOKEN: TOKEN },
      '--html',
      'dist/status.html',
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        `^berth: ARGOCD_SERVER: could not reach Argo CD at https://127\\.0\\.0\\.1:${port}: .*\\(ECONNREFUSED\\)\\.\\nFix: check ARGOCD_SERVER`,
      ),
    );
    expect(run.stderr).not.toContain(TOKEN);
    expect(existsSync(join(dir, 'dist/status.html'))).toBe(false);
  });

  it("reports a refused token with Argo CD's words, as JSON with --json", async () => {
    const run = await status({ ARGOCD_SERVER: `http://${unauthorized.host}`, ARGOCD_AUTH_TOKEN: TOKEN }, '--json');
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      field: 'ARGOCD_AUTH_TOKEN',
      error: expect.stringMatching(
        /^Argo CD at http:\/\/127\.0\.0\.1:\d+ refused GET Applications berth\.dev\/environment=(dev|stage|prod) in argocd \(HTTP 401\): invalid session: token has invalid claims: token is expired\.$/,
      ),
      fix: expect.stringMatching(/^set ARGOCD_AUTH_TOKEN to a current API token/),
    });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    // one list per environment, by the label berth puts on its Applications
    expect(unauthorized.requests.map((request) => request.url).sort()).toEqual(
      ['dev', 'prod', 'stage'].map(
        (env) => `/api/v1/applications?selector=berth.dev%2Fenvironment%3D${env}&appNamespace=argocd`,
      ),
    );
  });
});
