// Where Argo CD is, read from the variables the argocd CLI reads.
import { describe, expect, it } from 'vitest';
import { argocdOpts, baseUrl, connectionFromEnv } from '../../src/argocd-api/connection';

describe('connectionFromEnv', () => {
  it('is undefined without ARGOCD_SERVER', () => {
    expect(connectionFromEnv({ ARGOCD_AUTH_TOKEN: 't' })).toBeUndefined();
  });

  it.each<[Record<string, string>, string, boolean]>([
    [{ ARGOCD_SERVER: 'argocd.example.com' }, 'https://argocd.example.com', false],
    [{ ARGOCD_SERVER: '127.0.0.1:8080' }, 'https://127.0.0.1:8080', false],
    [{ ARGOCD_SERVER: '127.0.0.1:8080', ARGOCD_PLAINTEXT: 'true' }, 'http://127.0.0.1:8080', false],
    [{ ARGOCD_SERVER: '127.0.0.1:8080', ARGOCD_INSECURE: '1' }, 'https://127.0.0.1:8080', true],
    [{ ARGOCD_SERVER: 'http://127.0.0.1:8080/' }, 'http://127.0.0.1:8080', false],
    [{ ARGOCD_SERVER: 'https://tools.example.com/argo-cd' }, 'https://tools.example.com/argo-cd', false],
    [{ ARGOCD_SERVER: 'localhost:8080', ARGOCD_OPTS: '--plaintext' }, 'http://localhost:8080', false],
    [
      { ARGOCD_SERVER: 'localhost:8443', ARGOCD_OPTS: '--insecure --grpc-web-root-path /argo-cd' },
      'https://localhost:8443/argo-cd',
      true,
    ],
    [{ ARGOCD_OPTS: '--server=argocd.internal:443 --insecure' }, 'https://argocd.internal', true],
  ])('reads %j as %s', (env, url, insecure) => {
    expect(connectionFromEnv({ ARGOCD_AUTH_TOKEN: 'token', ...env })).toMatchObject({
      baseUrl: url,
      insecure,
      token: 'token',
    });
  });

  it('takes the token from ARGOCD_OPTS --auth-token too, and refuses a server without one', () => {
    expect(connectionFromEnv({ ARGOCD_SERVER: 'a:1', ARGOCD_OPTS: '--auth-token "abc def"' })?.token).toBe('abc def');
    expect(() => connectionFromEnv({ ARGOCD_SERVER: '127.0.0.1:8080' })).toThrow(
      /ARGOCD_AUTH_TOKEN: ARGOCD_SERVER is set \(127\.0\.0\.1:8080\) but ARGOCD_AUTH_TOKEN is not\.\nFix: set ARGOCD_AUTH_TOKEN .*argocd account generate-token/,
    );
  });

  it.each([
    ['ftp://argocd.example.com', /names the scheme ftp/],
    ['https://admin:secret@argocd.example.com', /ARGOCD_SERVER holds credentials/],
    ['http://[bad', /neither host:port nor a URL/],
  ])('refuses ARGOCD_SERVER=%s', (server, message) => {
    expect(() => baseUrl(server, false)).toThrow(message);
  });

  it('splits ARGOCD_OPTS as the CLI does and refuses a word that is no flag', () => {
    expect(argocdOpts(`--insecure --grpc-web-root-path '/a b' --plaintext`)).toEqual({
      insecure: 'true',
      'grpc-web-root-path': '/a b',
      plaintext: 'true',
    });
    expect(() => argocdOpts('insecure')).toThrow(/ARGOCD_OPTS is invalid at "insecure"/);
  });
});
