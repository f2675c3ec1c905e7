// One HTTP exchange with a registry or token server through Node's fetch: one deadline for the headers and the whole
// body, a bound on the body's size, and failures that name the peer and what berth was doing.
import { BerthError } from '../errors';
import { parseRetryAfter, type Throttled } from './retry';

/** A response or network failure worth another try: throttling, a server error, a dropped connection. */
export class RetryableError extends Error {
  constructor(
    readonly reason: string,
    readonly retryAfterMs?: number,
    cause?: unknown,
  ) {
    super(reason, cause === undefined ? undefined : { cause });
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
  /** What berth was doing, for messages: `listing tags of 127.0.0.1:5000/app`. */
  what: string;
  /** The most bytes of body read; MAX_RESPONSE_BYTES by default (a chart repository's index or archive may need more). */
  maxBytes?: number;
}

/** The most bytes berth reads of one answer: a tag-list page or an image manifest is far smaller (OCI caps manifests at 4 MiB). */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** No answer may carry a body this status forbids; `new Response` refuses one. */
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

class TooLarge extends Error {}

async function readBounded(response: Response, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.length;
    if (size > maxBytes) throw new TooLarge();
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/**
 * Sends a request and reads the whole answer under one deadline, so a registry that sends its headers and then
 * drips the body is stopped as surely as one that never answers. The Response handed back holds the body in memory.
 */
export async function send(url: string, init: RequestInit, options: SendOptions): Promise<Response> {
  const method = init.method ?? 'GET';
  const maxBytes = options.maxBytes ?? MAX_RESPONSE_BYTES;
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const response = await fetch(url, { ...init, redirect: 'follow', signal });
    const body =
      method === 'HEAD' || NULL_BODY_STATUS.has(response.status) ? null : await readBounded(response, maxBytes);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  } catch (error) {
    const code = networkCode(error);
    if (error instanceof TooLarge) {
      throw new BerthError(
        `${options.peer} answered ${method} ${url} with more than ${maxBytes / 1024 / 1024} MiB while ${options.what}.`,
        {
          fix: 'the registry is misbehaving, or this is not an OCI registry; check image.repository and the registry.',
          cause: error,
        },
      );
    }
    if (signal.aborted || (error as Error)?.name === 'TimeoutError') {
      throw new BerthError(
        `${options.peer} did not answer ${method} ${url} within ${options.timeoutMs / 1000} s, body included, while ${options.what}.`,
        {
          fix: 'check that the registry is up and reachable from here; one this slow is overloaded or misbehaving. Run again later.',
          cause: error,
        },
      );
    }
    if (code && RETRYABLE_NETWORK.has(code))
      throw new RetryableError(`connection to ${options.peer} lost (${code})`, undefined, error);
    const plainHttpHint = url.startsWith('https:')
      ? ' A registry without TLS must be listed in BERTH_INSECURE_REGISTRIES.'
      : '';
    throw new BerthError(
      `cannot reach ${options.peer} at ${url}${code ? ` (${code})` : ''} while ${options.what}: ${(error as Error)?.message ?? error}.`,
      {
        fix: `check the host, the port and the network.${plainHttpHint}`,
        cause: error,
      },
    );
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
export function parseJson(text: string, url: string, peer: string, what?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const excerpt = text.slice(0, 80).replace(/\s+/g, ' ');
    throw new BerthError(
      `${peer} answered GET ${url} with malformed JSON ("${excerpt}${text.length > 80 ? '…' : ''}")${what ? ` while ${what}` : ''}.`,
      {
        fix: 'the registry is misbehaving or this is not an OCI registry; check the image repository and the registry.',
        cause: error,
      },
    );
  }
}

export async function readJson(response: Response, url: string, peer: string): Promise<unknown> {
  return parseJson(await response.text(), url, peer);
}
