// Gets bearer tokens from a registry's token server (the `realm` of its challenge) and caches them per scope.
import { BerthError } from '../errors';
import { basicAuthorization, credentialFix, describeCredential, type CredentialLookup } from './auth';
import { readJson, send, throwIfRetryable } from './http';
import { AccessRefused } from './refused';

export interface BearerChallenge {
  realm: string;
  service?: string;
  scope: string;
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

// Tokens are dropped this long before they expire, so one is never sent as it runs out.
const EXPIRY_MARGIN_MS = 5_000;
const DEFAULT_LIFETIME_S = 60;

export function tokenKey(challenge: BearerChallenge): string {
  return `${challenge.realm}|${challenge.service ?? ''}|${challenge.scope}`;
}

export class BearerTokens {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly options: { timeoutMs: number; credentials: () => CredentialLookup; now?: () => number },
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** A cached, unexpired token for the challenge, without asking the server. */
  cached(challenge: BearerChallenge): string | undefined {
    const entry = this.tokens.get(tokenKey(challenge));
    return entry && entry.expiresAt > this.now() ? entry.token : undefined;
  }

  /** A token for the challenge; `refresh` drops a cached one the registry just refused. Concurrent asks share one fetch. */
  async get(challenge: BearerChallenge, refresh = false): Promise<string> {
    const key = tokenKey(challenge);
    if (refresh) this.tokens.delete(key);
    const cached = this.cached(challenge);
    if (cached) return cached;
    let pending = this.pending.get(key);
    if (!pending) {
      pending = this.fetchToken(challenge).finally(() => this.pending.delete(key));
      this.pending.set(key, pending);
    }
    return pending;
  }

  private async fetchToken(challenge: BearerChallenge): Promise<string> {
    const url = new URL(challenge.realm);
    if (challenge.service) url.searchParams.set('service', challenge.service);
    url.searchParams.set('scope', challenge.scope);
    const peer = `token server ${url.origin}`;
    const lookup = this.options.credentials();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (lookup.credential) headers.authorization = basicAuthorization(lookup.credential);
    const response = await send(
      url.toString(),
      { method: 'GET', headers },
      { timeoutMs: this.options.timeoutMs, peer, what: `getting a token for "${challenge.scope}"` },
    );
    await throwIfRetryable(response, url.toString());
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new AccessRefused(
        `${peer} refused a token for "${challenge.scope}" (HTTP ${response.status}) to ${describeCredential(lookup)}.`,
        {
          fix: credentialFix(lookup.registry),
        },
      );
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new BerthError(
        `${peer} answered HTTP ${response.status} when asked for a token for "${challenge.scope}".`,
        {
          fix: "check the registry's token service.",
        },
      );
    }
    const body = (await readJson(response, url.toString(), peer)) as Record<string, unknown> | null;
    const token = body?.token ?? body?.access_token;
    if (typeof token !== 'string' || token === '') {
      throw new BerthError(`${peer} answered without a token for "${challenge.scope}".`, {
        fix: "check the registry's token service.",
      });
    }
    const lifetime = typeof body?.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_LIFETIME_S;
    this.tokens.set(tokenKey(challenge), { token, expiresAt: this.now() + lifetime * 1000 - EXPIRY_MARGIN_MS });
    return token;
  }
}
