// Where Argo CD's API server is and how to reach it, read from the variables the argocd CLI reads: pure.
//
// ARGOCD_SERVER (host:port, host, or a URL) and ARGOCD_AUTH_TOKEN, as `argocd` reads them; ARGOCD_OPTS's --insecure,
// --plaintext, --grpc-web-root-path, --server and --auth-token (the CLI's way of setting flags from the environment);
// and ARGOCD_INSECURE / ARGOCD_PLAINTEXT (true or 1) for berth's own runs against a local server.
import { BerthError } from '../errors';

export interface ArgoConnection {
  /** What the user set, for messages. */
  server: string;
  /** https://host:port or http://host:port, with the root path when there is one; no trailing slash. */
  baseUrl: string;
  token: string;
  /** Skip verifying the server's certificate (a self-signed local server). */
  insecure: boolean;
}

type Env = Record<string, string | undefined>;

/** ARGOCD_OPTS as the CLI splits it (go-shellquote, then --key value or --key alone, --key=value too). */
export function argocdOpts(text: string | undefined): Record<string, string> {
  const words = [...(text ?? '').matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map(
    (match) => match[1] ?? match[2] ?? match[3],
  );
  const flags: Record<string, string> = {};
  let key: string | undefined;
  for (const word of words) {
    if (word.startsWith('--')) {
      if (key !== undefined) flags[key] = 'true';
      key = word.slice(2);
      const equals = key.indexOf('=');
      if (equals !== -1) {
        flags[key.slice(0, equals)] = key.slice(equals + 1);
        key = undefined;
      }
    } else if (key !== undefined) {
      flags[key] = word;
      key = undefined;
    } else {
      throw new BerthError(`ARGOCD_OPTS is invalid at "${word}".`, {
        field: 'ARGOCD_OPTS',
        fix: 'write flags as the argocd CLI takes them, e.g. ARGOCD_OPTS="--insecure --grpc-web-root-path /argo-cd".',
      });
    }
  }
  if (key !== undefined) flags[key] = 'true';
  return flags;
}

const truthy = (value: string | undefined) => value !== undefined && ['true', '1', 'yes'].includes(value.toLowerCase());

/** The connection the environment describes; undefined when it names no server. */
export function connectionFromEnv(env: Env = process.env): ArgoConnection | undefined {
  const opts = argocdOpts(env.ARGOCD_OPTS);
  const server = (env.ARGOCD_SERVER || opts.server || '').trim();
  if (!server) return undefined;
  const token = env.ARGOCD_AUTH_TOKEN || opts['auth-token'];
  if (!token)
    throw new BerthError(`ARGOCD_SERVER is set (${server}) but ARGOCD_AUTH_TOKEN is not.`, {
      field: 'ARGOCD_AUTH_TOKEN',
      fix: 'set ARGOCD_AUTH_TOKEN to an API token with get access to the Applications (argocd account generate-token --account <account>).',
    });
  const plaintextFlag = truthy(env.ARGOCD_PLAINTEXT) || opts.plaintext === 'true';
  const insecure = truthy(env.ARGOCD_INSECURE) || opts.insecure === 'true';
  const rootPath = (opts['grpc-web-root-path'] ?? '').replace(/^\/*/, '').replace(/\/+$/, '');
  return { server, baseUrl: baseUrl(server, plaintextFlag, rootPath), token, insecure };
}

/** host:port, host (port 443, or 80 in plaintext), or http(s)://host[:port][/path]; the scheme decides TLS. */
export function baseUrl(server: string, plaintext: boolean, rootPath = ''): string {
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(server);
  let url: URL;
  try {
    url = new URL(hasScheme ? server : `${plaintext ? 'http' : 'https'}://${server}`);
  } catch (error) {
    throw new BerthError(`ARGOCD_SERVER "${server}" is neither host:port nor a URL.`, {
      field: 'ARGOCD_SERVER',
      fix: 'set it as for the argocd CLI, e.g. ARGOCD_SERVER=argocd.example.com or 127.0.0.1:8080 (add ARGOCD_PLAINTEXT=true for a server without TLS).',
      cause: error,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new BerthError(`ARGOCD_SERVER "${server}" names the scheme ${url.protocol.slice(0, -1)}.`, {
      field: 'ARGOCD_SERVER',
      fix: 'use host:port, https://host or http://host.',
    });
  if (url.username || url.password)
    throw new BerthError('ARGOCD_SERVER holds credentials.', {
      field: 'ARGOCD_SERVER',
      fix: 'put the API token in ARGOCD_AUTH_TOKEN and only host:port in ARGOCD_SERVER.',
    });
  if (plaintext && !hasScheme) url.protocol = 'http:';
  const path = [url.pathname.replace(/^\/+|\/+$/g, ''), rootPath].filter(Boolean).join('/');
  return `${url.protocol}//${url.host}${path ? `/${path}` : ''}`;
}
