// What a failed request to Argo CD's API says: the server, the HTTP status, Argo CD's words and the fix; never the token.
import { describe, expect, it } from 'vitest';
import type { ArgoConnection } from '../../src/argocd-api/connection';
import { refused, unreachable } from '../../src/argocd-api/failures';

const connection: ArgoConnection = {
  server: '127.0.0.1:8080',
  baseUrl: 'https://127.0.0.1:8080',
  token: 'secret-token',
  insecure: false,
};
const WHAT = 'Application argocd/dev-service-a';
/** A gRPC-gateway error body, as argocd-server writes one (runtime.HTTPError: error, code, message, details). */
const grpcError = (code: number, message: string) => JSON.stringify({ error: message, code, message, details: [] });

describe('Argo CD API failures', () => {
  it.each<[number, string, RegExp, RegExp]>([
    [
      401,
      grpcError(16, 'invalid session: token has invalid claims: token is expired'),
      /\(HTTP 401\): invalid session: token has invalid claims: token is expired\./,
      /set ARGOCD_AUTH_TOKEN to a current API token/,
    ],
    [
      403,
      grpcError(7, 'permission denied'),
      /\(HTTP 403\): permission denied\./,
      /get on applications in Argo CD's RBAC.*check that Application argocd\/dev-service-a exists/,
    ],
    [
      404,
      grpcError(5, 'applications.argoproj.io "dev-service-a" not found'),
      /\(HTTP 404\): applications\.argoproj\.io "dev-service-a" not found\./,
      /argocd app list/,
    ],
    [
      307,
      '<a href="https://127.0.0.1:8080/api/v1/applications/dev-service-a">Temporary Redirect</a>.',
      /\(HTTP 307\): <a href=/,
      /unset ARGOCD_PLAINTEXT/,
    ],
    [
      502,
      '<html><body>502 Bad Gateway</body></html>',
      /\(HTTP 502\): <html><body>502 Bad Gateway<\/body><\/html>\./,
      /the API server's log says more/,
    ],
  ])('HTTP %i names the server, the status, the words and the fix', (status, body, problem, fix) => {
    const error = refused(connection, WHAT, status, body);
    expect(error.problem).toMatch(
      /^Argo CD at https:\/\/127\.0\.0\.1:8080 refused GET Application argocd\/dev-service-a /,
    );
    expect(error.problem).toMatch(problem);
    expect(error.fix).toMatch(fix);
    expect(error.field).toBe(status === 401 ? 'ARGOCD_AUTH_TOKEN' : undefined);
    expect(error.message).not.toContain('secret-token');
  });

  it.each<[string, string, RegExp]>([
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:8080', /check ARGOCD_SERVER \(host:port of argocd-server\)/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', /ARGOCD_INSECURE=true/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'SSL routines:ssl3_get_record:wrong version number', /set ARGOCD_PLAINTEXT=true/],
  ])('a connection failing with %s says what to set', (code, message, fix) => {
    const error = unreachable(connection, Object.assign(new Error(message), { code }));
    expect(error.message).toMatch(
      new RegExp(`^ARGOCD_SERVER: could not reach Argo CD at https://127\\.0\\.0\\.1:8080: .*\\(${code}\\)\\.`),
    );
    expect(error.fix).toMatch(fix);
  });
});
