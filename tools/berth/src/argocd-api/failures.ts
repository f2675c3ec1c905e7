// What a failed request to Argo CD's API server means and what to do, from Node's error code or the HTTP status and
// the gRPC-gateway error body ({"error", "code", "message"}): pure. The token never appears.
import { BerthError } from '../errors';
import type { ArgoConnection } from './connection';

const TOKEN_FIX =
  'set ARGOCD_AUTH_TOKEN to a current API token (argocd account generate-token --account <account>; a login session token expires).';

/** What a failure to connect means, by Node's error code. */
export function unreachable(connection: ArgoConnection, error: NodeJS.ErrnoException): BerthError {
  const code = error.code ?? '';
  const tls = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code);
  const wrongProtocol = code === 'EPROTO' || /wrong version number|packet length too long/i.test(error.message);
  const fix = tls
    ? `trust the server's certificate (NODE_EXTRA_CA_CERTS=<ca.pem>), or for a local self-signed server set ARGOCD_INSECURE=true (or ARGOCD_OPTS=--insecure).`
    : wrongProtocol
      ? 'the server does not speak TLS there: set ARGOCD_PLAINTEXT=true (or ARGOCD_OPTS=--plaintext), or point ARGOCD_SERVER at its TLS port.'
      : 'check ARGOCD_SERVER (host:port of argocd-server) and that the server runs and is reachable from here.';
  return new BerthError(
    `could not reach Argo CD at ${connection.baseUrl}: ${error.message.replace(/\s+/g, ' ').trim()}${code ? ` (${code})` : ''}.`,
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

export function refused(connection: ArgoConnection, what: string, status: number, text: string): BerthError {
  const words = serverWords(text);
  const fix =
    status === 401
      ? TOKEN_FIX
      : status === 403
        ? `give the token's account get on applications in Argo CD's RBAC (p, <role>, applications, get, <project>/*, allow), and check that ${what} exists (Argo CD answers "permission denied" for an Application it does not have).`
        : status >= 300 && status < 400
          ? 'the server redirects there (argocd-server sends plain HTTP to HTTPS unless it runs with --insecure): unset ARGOCD_PLAINTEXT and drop --plaintext, or use an https:// ARGOCD_SERVER.'
          : status === 404
            ? `check that ${what} exists (argocd app list) and that ARGOCD_SERVER is the API server, with ARGOCD_OPTS --grpc-web-root-path when it is served under a path.`
            : "read Argo CD's message above; the API server's log says more.";
  return new BerthError(
    `Argo CD at ${connection.baseUrl} refused GET ${what} (HTTP ${status})${words ? `: ${words}` : ''}.`,
    { field: status === 401 ? 'ARGOCD_AUTH_TOKEN' : undefined, fix },
  );
}
