// A real npm registry for tests: Verdaccio on 127.0.0.1, a free port, its own storage and config, one user to publish.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const VERDACCIO = join(__dirname, '../../../../../node_modules/verdaccio/bin/verdaccio');

export interface Registry {
  /** http://127.0.0.1:<port>/ */
  url: string;
  /** A publish token for the test user. */
  token: string;
  /** A folder whose .npmrc logs npm in to the registry: run `npm publish` there (the user's own config stays as it is). */
  publishFrom: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}):\n${log()}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`verdaccio did not answer on ${url} within 30 s:\n${log()}`);
}

/** Starts Verdaccio in `dir` (storage, htpasswd and config live there); packages of no scope it holds are not proxied. */
export async function startRegistry(dir: string): Promise<Registry> {
  mkdirSync(join(dir, 'storage'), { recursive: true });
  writeFileSync(
    join(dir, 'config.yaml'),
    [
      'storage: ./storage',
      'auth:',
      '  htpasswd:',
      '    file: ./htpasswd',
      '    max_users: 10',
      'uplinks: {}',
      'packages:',
      "  '**':",
      '    access: $all',
      '    publish: $authenticated',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child = spawn(
    process.execPath,
    [VERDACCIO, '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout!.on('data', (chunk) => (log += chunk));
  child.stderr!.on('data', (chunk) => (log += chunk));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  try {
    await waitUntilUp(url, child, () => log);
    // npm adduser's own request: the user is created and a token comes back
    const response = await fetch(`${url}-/user/org.couchdb.user:publisher`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'publisher',
        password: 'publisher-password',
        type: 'user',
        roles: [],
        date: new Date().toISOString(),
      }),
    });
    const { token } = (await response.json()) as { token?: string };
    if (!response.ok || !token) throw new Error(`verdaccio refused the test user (HTTP ${response.status}):\n${log}`);
    const publishFrom = join(dir, 'publish');
    mkdirSync(publishFrom);
    writeFileSync(join(publishFrom, '.npmrc'), `//127.0.0.1:${port}/:_authToken=${token}\n`);
    return { url, token, publishFrom, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
