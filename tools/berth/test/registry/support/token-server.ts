// A tiny registry token server (Docker token auth): JWTs signed RS256 with a key whose self-signed cert the registry trusts.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createSign, randomUUID, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendJson, startServer, type TestServer } from './http-server';

export interface TokenServerOptions {
  /** Accepted basic credentials; without any, every caller gets a token. */
  users?: Record<string, string>;
  /** Token lifetime in seconds, stated as expires_in; 300 by default. */
  lifetimeSeconds?: number;
  /** Sign tokens for another audience, which the registry must refuse. */
  audience?: string;
}

export interface TokenServer extends TestServer {
  realm: string;
  service: string;
  issuer: string;
  /** The PEM file the registry's auth.token.rootcertbundle points at. */
  certificateFile: string;
  /** Scopes asked for, one entry per token issued. */
  issued: string[];
  /** A token for `scope` without going through HTTP, e.g. to push test images. */
  tokenFor(scope: string): string;
}

const base64url = (input: Buffer | string) => Buffer.from(input).toString('base64url');

export async function startTokenServer(options: TokenServerOptions = {}): Promise<TokenServer> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-token-'));
  const keyFile = join(dir, 'key.pem');
  const certificateFile = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certificateFile,
      '-days',
      '2',
      '-subj',
      '/CN=berth-test-token-issuer',
    ],
    { stdio: 'ignore' },
  );
  const key = createPrivateKey(readFileSync(keyFile));
  const certificateDer = new X509Certificate(readFileSync(certificateFile)).raw;
  const service = 'berth-test-registry';
  const issuer = 'berth-test-issuer';
  const lifetime = options.lifetimeSeconds ?? 300;
  const issued: string[] = [];

  function tokenFor(scope: string): string {
    const now = Math.floor(Date.now() / 1000);
    // scope: repository:<name>:<action>[,<action>]
    const [type, ...rest] = scope.split(':');
    const actions = rest.pop()!.split(',');
    const header = { alg: 'RS256', typ: 'JWT', x5c: [certificateDer.toString('base64')] };
    const claims = {
      iss: issuer,
      sub: 'berth-test',
      aud: options.audience ?? service,
      exp: now + lifetime,
      nbf: now - 10,
      iat: now,
      jti: randomUUID(),
      access: [{ type, name: rest.join(':'), actions }],
    };
    const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const signature = createSign('RSA-SHA256').update(signingInput).sign(key);
    return `${signingInput}.${base64url(signature)}`;
  }

  const server = await startServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://token');
    if (options.users) {
      const [scheme, encoded] = (request.headers.authorization ?? '').split(' ');
      const [user, ...password] =
        scheme === 'Basic'
          ? Buffer.from(encoded ?? '', 'base64')
              .toString()
              .split(':')
          : [];
      if (!user || options.users[user] !== password.join(':')) {
        return sendJson(
          response,
          401,
          { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] },
          { 'www-authenticate': 'Basic realm="berth-test-token"' },
        );
      }
    }
    const scope = url.searchParams.get('scope') ?? '';
    issued.push(scope);
    const token = tokenFor(scope);
    sendJson(response, 200, { token, access_token: token, expires_in: lifetime, issued_at: new Date().toISOString() });
  });
  return { ...server, realm: `${server.url}/token`, service, issuer, certificateFile, issued, tokenFor };
}
