// Git's smart HTTP protocol on 127.0.0.1, so Argo CD's repo-server clones from this machine as it clones from a
// forge: each request runs git http-backend (git's own CGI program) over the repositories under one folder, read-only.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { HOST } from './components';
import { runProgram } from './process';

export interface GitServer {
  /** http://127.0.0.1:PORT: a repository at ROOT/NAME is cloned from URL/NAME */
  url: string;
  close: () => Promise<void>;
}

/** Splits a CGI answer into its status, headers and body (RFC 3875: headers end at the first empty line). */
export function parseCgiResponse(output: Buffer): { status: number; headers: [string, string][]; body: Buffer } {
  const crlf = output.indexOf('\r\n\r\n');
  const lf = output.indexOf('\n\n');
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : output.length;
  const headers: [string, string][] = [];
  let status = 200;
  for (const line of output.subarray(0, end).toString('latin1').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers.push([name, value]);
  }
  return { status, headers, body: output.subarray(end) };
}

function handle(
  backend: string,
  root: string,
  only: string | undefined,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const url = new URL(request.url ?? '/', 'http://git');
  if (only !== undefined && !decodeURIComponent(url.pathname).startsWith(`/${only}/`)) {
    response.writeHead(404).end('not served\n');
    return;
  }
  // read-only: a push (git-receive-pack) is refused, whatever the repository's config says
  if (url.pathname.endsWith('/git-receive-pack') || url.searchParams.get('service') === 'git-receive-pack') {
    response.writeHead(403).end('read-only\n');
    return;
  }
  const child = spawn(backend, [], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: root,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      REQUEST_METHOD: request.method ?? 'GET',
      CONTENT_TYPE: request.headers['content-type'] ?? '',
      HTTP_CONTENT_ENCODING: request.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: String(request.headers['git-protocol'] ?? ''),
      REMOTE_ADDR: request.socket.remoteAddress ?? '',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const chunks: Buffer[] = [];
  const errors: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => errors.push(chunk));
  child.on('error', (error) => response.writeHead(500).end(`${error.message}\n`));
  child.on('close', () => {
    if (response.headersSent) return;
    const { status, headers, body } = parseCgiResponse(Buffer.concat(chunks));
    response.writeHead(status, headers.flat());
    response.end(body.length > 0 ? body : Buffer.concat(errors));
  });
  request.pipe(child.stdin);
}

/**
 * Serves the repositories under `root` (only the one named `only`, when given) until close(); `port` 0 asks the
 * kernel for a free one.
 */
export async function startGitServer(root: string, port = 0, only?: string): Promise<GitServer> {
  const backend = `${runProgram('git', ['--exec-path']).trim()}/git-http-backend`;
  const server: Server = createServer((request, response) => handle(backend, root, only, request, response));
  await new Promise<void>((done, fail) => server.once('error', fail).listen(port, HOST, done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the git server has no TCP address');
  return {
    url: `http://${HOST}:${address.port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

// node -r ./tools/berth/bin/register.js tools/cluster/src/git-server.ts ROOT NAME PORT: what up --argocd runs in the
// background to serve this repository (ROOT/NAME) to the repo-server
if (require.main === module) {
  const [root, name, port] = process.argv.slice(2);
  startGitServer(root, Number(port), name).then(
    (server) => console.log(`serving ${root}/${name} read-only at ${server.url}/${name}`),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
