// Sends requests to one OCI registry: plain HTTP or HTTPS, basic or bearer auth on challenge, bounded and retried.
import { BerthError } from '../errors';
import { basicAuthorization, credentialFix, describeCredential, lookupCredential, type CredentialLookup } from './auth';
import { BearerTokens, tokenKey, type BearerChallenge } from './bearer';
import { parseChallenges } from './challenge';
import { classifyRetryable, registryErrorText, send, throwIfRetryable } from './http';
import { limiterForHost, type Limiter } from './limiter';
import { AccessRefused } from './refused';
import { registryBaseUrl } from './reference';
import { withRetry } from './retry';
import type { RetryPolicy } from './types';

export interface TransportOptions {
  env: NodeJS.ProcessEnv;
  concurrency: number;
  retry: RetryPolicy;
  timeoutMs: number;
}

export interface RegistryRequest {
  method: 'GET' | 'HEAD';
  /** Absolute URL on this registry. */
  url: string;
  accept?: string;
  /** The repository path the request is about; the bearer scope asked for when the registry names none. */
  path: string;
  /** For messages: `listing tags of 127.0.0.1:5000/app`. */
  what: string;
  /** The most bytes of body read (see http.ts send); a chart archive may be larger than a manifest. */
  maxBytes?: number;
}

type Authorization =
  | { kind: 'basic'; header: string }
  | { kind: 'bearer'; header: string; challenge: BearerChallenge; refreshed?: boolean };

export class RegistryTransport {
  readonly baseUrl: string;
  readonly peer: string;
  private readonly limiter: Limiter;
  private readonly tokens: BearerTokens;
  private lookup?: CredentialLookup;
  /** What the registry asked for last; later requests offer it up front instead of waiting for a 401. */
  private scheme?: { kind: 'basic' } | { kind: 'bearer'; realm: string; service?: string };

  constructor(
    readonly registry: string,
    private readonly options: TransportOptions,
  ) {
    this.baseUrl = registryBaseUrl(registry, options.env);
    this.peer = `registry ${registry}`;
    this.limiter = limiterForHost(registry, options.concurrency);
    this.tokens = new BearerTokens({ timeoutMs: options.timeoutMs, credentials: () => this.credentials() });
  }

  /** Read lazily, so a client is cheap to make and a broken Docker config only matters when it is needed. */
  credentials(): CredentialLookup {
    this.lookup ??= lookupCredential(this.registry, this.options.env);
    return this.lookup;
  }

  async request(request: RegistryRequest): Promise<Response> {
    return withRetry(() => this.limiter.run(() => this.attempt(request)), {
      what: request.what,
      policy: this.options.retry,
      classify: classifyRetryable,
    });
  }

  private defaultScope(path: string): string {
    return `repository:${path}:pull`;
  }

  /** What to send before being challenged: whatever worked for this registry so far. */
  private upfront(path: string): Authorization | undefined {
    if (this.scheme?.kind === 'basic') {
      const credential = this.credentials().credential;
      return credential ? { kind: 'basic', header: basicAuthorization(credential) } : undefined;
    }
    if (this.scheme?.kind === 'bearer') {
      const challenge = { realm: this.scheme.realm, service: this.scheme.service, scope: this.defaultScope(path) };
      const token = this.tokens.cached(challenge);
      return token ? { kind: 'bearer', header: `Bearer ${token}`, challenge } : undefined;
    }
    return undefined;
  }

  /** The answer to a 401's challenge, or undefined when there is nothing (more) to offer. */
  private async answer(
    response: Response,
    path: string,
    sent: Authorization | undefined,
  ): Promise<Authorization | undefined> {
    const challenges = parseChallenges(response.headers.get('www-authenticate'));
    const bearer = challenges.find((challenge) => challenge.scheme === 'bearer' && challenge.params.realm);
    if (bearer) {
      const { realm, service, scope } = bearer.params;
      this.scheme = { kind: 'bearer', realm, service };
      const challenge = { realm, service, scope: scope || this.defaultScope(path) };
      // A token we sent was refused (expired, or too narrow): fetch a fresh one once, then give up.
      const refused = sent?.kind === 'bearer' && tokenKey(sent.challenge) === tokenKey(challenge);
      if (refused && sent.refreshed) return undefined;
      const token = await this.tokens.get(challenge, refused);
      return { kind: 'bearer', header: `Bearer ${token}`, challenge, refreshed: refused };
    }
    if (challenges.some((challenge) => challenge.scheme === 'basic')) {
      this.scheme = { kind: 'basic' };
      const credential = this.credentials().credential;
      if (credential && sent?.kind !== 'basic') return { kind: 'basic', header: basicAuthorization(credential) };
    }
    return undefined;
  }

  private async fetchWith(request: RegistryRequest, authorization: Authorization | undefined): Promise<Response> {
    const headers: Record<string, string> = {};
    if (request.accept) headers.accept = request.accept;
    if (authorization) headers.authorization = authorization.header;
    return send(
      request.url,
      { method: request.method, headers },
      { timeoutMs: this.options.timeoutMs, peer: this.peer, what: request.what, maxBytes: request.maxBytes },
    );
  }

  private async attempt(request: RegistryRequest): Promise<Response> {
    let authorization = this.upfront(request.path);
    let response = await this.fetchWith(request, authorization);
    // At most three rounds: anonymous, answered challenge, refreshed token.
    for (let round = 0; response.status === 401 && round < 2; round += 1) {
      const next = await this.answer(response, request.path, authorization);
      if (!next) break;
      await response.body?.cancel();
      authorization = next;
      response = await this.fetchWith(request, authorization);
    }
    if (response.status === 401 || response.status === 403) throw await this.denied(response, request, authorization);
    await throwIfRetryable(response, request.url);
    return response;
  }

  private async denied(
    response: Response,
    request: RegistryRequest,
    authorization: Authorization | undefined,
  ): Promise<BerthError> {
    const said = registryErrorText(await response.text());
    const credential = describeCredential(this.credentials());
    const tried =
      authorization?.kind === 'bearer'
        ? `a bearer token from ${authorization.challenge.realm} obtained with ${credential}`
        : credential;
    const repository = `${this.registry}/${request.path}`;
    return new AccessRefused(
      `access to ${repository} was denied (HTTP ${response.status}${said ? `: ${said}` : ''}) while ${request.what}, using ${tried}.`,
      {
        fix: credentialFix(this.registry),
      },
    );
  }
}
