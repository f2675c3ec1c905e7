// The one place berth talks to Argo CD's API server: GET requests with the API token, errors that say what to do.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BerthError } from '../errors';
import { parseApplication, type LiveApplication } from './application';
import type { ArgoConnection } from './connection';

const TIMEOUT_MS = 30_000;
const MAX_BODY = 32 * 1024 * 1024;

const TOKEN_FIX =
  'set ARGOCD_AUTH_TOKEN to a current API token (argocd account generate-token --account <account>; a login session token expires).';

/** What a failure to connect means, by Node's error code. */
function unreachable(connection: ArgoConnection, error: NodeJS.ErrnoException): BerthError {
  const code = error.code ?? '';
  const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code);
  const wrongProtocol = code === 'EPROTO' || /wrong version number|packet length too long/i.test(error.message);
  const fix = tls
    ? `trust the server's certificate (NODE_EXTRA_CA_CERTS=<ca.pem>), or for a local self-signed server set ARGOCD_INSECURE=true (or ARGOCD_OPTS=--insecure).`
    : wrongProtocol
      ? 'the server does not speak TLS there: set ARGOCD_PLAINTEXT=true (or ARGOCD_OPTS=--plaintext), or point ARGOCD_SERVER at its TLS port.'
      : 'check ARGOCD_SERVER (host:port of argocd-server) and that the server runs and is reachable from here.';
  return new BerthError(
    `could not reach Argo CD at ${connection.baseUrl}: ${error.message}${code ? ` (${code})` : ''}.`,
    {
      field: 'ARGOCD_SERVER',
      fix,
      cause: error,
    },
  );
}

/** The words of a gRPC-gateway error body ({"error", "code", "message"}), or the start of whatever came back. */
function serverWords(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const words = body.message ?? body.error;
    if (typeof words === 'string' && words) return words;
  } catch {
    // not JSON: a proxy's page
  }
  return text.replace(/\s+/g, ' ').trim().slice(0, 200);
}

function refused(connection: ArgoConnection, what: string, status: number, text: string): BerthError {
  const words = serverWords(text);
  const fix =
    status === 401
      ? TOKEN_FIX
      : status === 403
        ? `give the token's account get on applications in Argo CD's RBAC (p, <role>, applications, get, <project>/*, allow), and check that ${what} exists (Argo CD answers "permission denied" for an Application it does not have).`
        : status === 404
          ? `check that ${what} exists (argocd app list) and that ARGOCD_SERVER is the API server, with ARGOCD_OPTS --grpc-web-root-path when it is served under a path.`
          : "read Argo CD's message above; the API server's log says more.";
  return new BerthError(
    `Argo CD at ${connection.baseUrl} refused GET ${what} (HTTP ${status})${words ? `: ${words}` : ''}.`,
    { field: status === 401 ? 'ARGOCD_AUTH_TOKEN' : undefined, fix },
  );
}

/** GET a path of the API as JSON. */
export function getJson(connection: ArgoConnection, path: string, what: string): Promise<unknown> {
  const url = new URL(`${connection.baseUrl}${path}`);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const call = request(
      url,
      {
        method: 'GET',
        headers: { accept: 'application/json', authorization: `Bearer ${connection.token}`, 'user-agent': 'berth' },
        timeout: TIMEOUT_MS,
        ...(url.protocol === 'https:' ? { rejectUnauthorized: !connection.insecure } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY) call.destroy(new Error(`the answer is larger than ${MAX_BODY} bytes`));
          else chunks.push(chunk);
        });
        response.on('error', (error) => reject(unreachable(connection, error)));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          if (status !== 200) return reject(refused(connection, what, status, text));
          try {
            resolve(JSON.parse(text));
          } catch (error) {
            reject(
              new BerthError(`Argo CD at ${connection.baseUrl} answered GET ${what} with something other than JSON.`, {
                fix: 'check that ARGOCD_SERVER is the API server (argocd-server) and not a proxy page in front of it.',
                cause: error,
              }),
            );
          }
        });
      },
    );
    call.on('timeout', () =>
      call.destroy(Object.assign(new Error(`no answer in ${TIMEOUT_MS / 1000}s`), { code: 'ETIMEDOUT' })),
    );
    call.on('error', (error) => reject(error instanceof BerthError ? error : unreachable(connection, error)));
    call.end();
  });
}

/** GET /api/v1/applications/{name}?appNamespace=...: one Application with its status. */
export async function getApplication(
  connection: ArgoConnection,
  name: string,
  appNamespace: string,
): Promise<LiveApplication> {
  const what = `Application ${appNamespace}/${name}`;
  const path = `/api/v1/applications/${encodeURIComponent(name)}?appNamespace=${encodeURIComponent(appNamespace)}`;
  return parseApplication(await getJson(connection, path, what), `Argo CD at ${connection.baseUrl} (${what})`);
}
