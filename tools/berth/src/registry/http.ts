// One HTTP exchange with a registry or token server through Node's fetch: a time limit, and failures said plainly.
import { BerthError } from '../errors';
import { parseRetryAfter, type Throttled } from './retry';

/** A response or network failure worth another try: throttling, a server error, a dropped connection. */
export class RetryableError extends Error {
  constructor(
    readonly reason: string,
    readonly retryAfterMs?: number,
  ) {
    super(reason);
    this.name = 'RetryableError';
  }
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

export function classifyRetryable(error: unknown): Throttled | undefined {
  return error instanceof RetryableError ? { reason: error.reason, retryAfterMs: error.retryAfterMs } : undefined;
}

/** Throws a RetryableError for 429 and 5xx answers, after releasing the connection. */
export async function throwIfRetryable(response: Response, url: string): Promise<void> {
  if (!RETRYABLE_STATUS.has(response.status)) return;
  await response.body?.cancel();
  throw new RetryableError(`HTTP ${response.status} from ${url}`, parseRetryAfter(response.headers.get('retry-after')));
}

function networkCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  return typeof cause?.code === 'string' ? cause.code : undefined;
}

export interface SendOptions {
  timeoutMs: number;
  /** Who we are talking to, for messages: `registry 127.0.0.1:5000` or `token server https://...`. */
  peer: string;
}

export async function send(url: string, init: RequestInit, options: SendOptions): Promise<Response> {
  try {
    return await fetch(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(options.timeoutMs) });
  } catch (error) {
    const code = networkCode(error);
    if ((error as Error)?.name === 'TimeoutError') {
      throw new BerthError(`${options.peer} did not answer ${init.method ?? 'GET'} ${url} within ${options.timeoutMs / 1000} s.`, {
        fix: 'check that the registry is up and reachable from here.',
        cause: error,
      });
    }
    if (code && RETRYABLE_NETWORK.has(code)) throw new RetryableError(`connection to ${options.peer} lost (${code})`);
    const plainHttpHint = url.startsWith('https:') ? ' A registry without TLS must be listed in BERTH_INSECURE_REGISTRIES.' : '';
    throw new BerthError(`cannot reach ${options.peer} at ${url}${code ? ` (${code})` : ''}: ${(error as Error)?.message ?? error}.`, {
      fix: `check the host, the port and the network.${plainHttpHint}`,
      cause: error,
    });
  }
}

/** The registry's own words from an OCI error body `{"errors":[{"code","message"}]}`, short; empty if none. */
export function registryErrorText(body: string): string {
  try {
    const errors = (JSON.parse(body) as { errors?: Array<{ code?: unknown; message?: unknown }> }).errors;
    if (!Array.isArray(errors)) return '';
    return errors
      .slice(0, 3)
      .map((entry) => [entry?.code, entry?.message].filter((part) => typeof part === 'string').join(': '))
      .filter(Boolean)
      .join('; ')
      .slice(0, 300);
  } catch {
    return '';
  }
}

/** Parses a response body as JSON; a registry that sends anything else gets named. */
export function parseJson(text: string, url: string, peer: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const excerpt = text.slice(0, 80).replace(/\s+/g, ' ');
    throw new BerthError(`${peer} answered GET ${url} with malformed JSON ("${excerpt}${text.length > 80 ? '…' : ''}").`, {
      fix: 'the registry is misbehaving or this is not an OCI registry; check the image repository and the registry.',
      cause: error,
    });
  }
}

export async function readJson(response: Response, url: string, peer: string): Promise<unknown> {
  return parseJson(await response.text(), url, peer);
}
