// The pure protocol pieces: WWW-Authenticate challenges, Link pagination, backoff and Retry-After.
import { describe, expect, it } from 'vitest';
import { parseChallenges } from '../../src/registry/challenge';
import { nextPageUrl, pageKey } from '../../src/registry/link';
import { backoffDelay, parseRetryAfter } from '../../src/registry/retry';

describe('parseChallenges', () => {
  it.each([
    [
      'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
      [
        {
          scheme: 'bearer',
          params: {
            realm: 'https://auth.docker.io/token',
            service: 'registry.docker.io',
            scope: 'repository:library/nginx:pull',
          },
        },
      ],
    ],
    ['Basic realm="Registry Realm"', [{ scheme: 'basic', params: { realm: 'Registry Realm' } }]],
    [
      'Bearer realm="https://r/t", error="invalid_token", Basic realm=x',
      [
        { scheme: 'bearer', params: { realm: 'https://r/t', error: 'invalid_token' } },
        { scheme: 'basic', params: { realm: 'x' } },
      ],
    ],
    [
      'bearer REALM = "a \\"quoted\\" realm" , scope="a,b"',
      [{ scheme: 'bearer', params: { realm: 'a "quoted" realm', scope: 'a,b' } }],
    ],
    ['', []],
  ])('%s', (header, expected) => {
    expect(parseChallenges(header)).toEqual(expected);
  });
});

describe('nextPageUrl', () => {
  const page = 'http://127.0.0.1:5000/v2/app/tags/list?n=2';
  it.each([
    ['</v2/app/tags/list?last=b&n=2>; rel="next"', 'http://127.0.0.1:5000/v2/app/tags/list?last=b&n=2'],
    [
      '<http://127.0.0.1:5000/v2/app/tags/list?last=b&n=2>; rel=next',
      'http://127.0.0.1:5000/v2/app/tags/list?last=b&n=2',
    ],
    [
      '</v2/app/tags/list?n=2>; rel="prev", </v2/app/tags/list?last=d&n=2>; rel="next"',
      'http://127.0.0.1:5000/v2/app/tags/list?last=d&n=2',
    ],
    ['<?last=z>; type="x"; rel="next last"', 'http://127.0.0.1:5000/v2/app/tags/list?last=z'],
    ['</v2/app/tags/list?n=2>; rel="prev"', undefined],
    [null, undefined],
  ])('%s', (header, expected) => {
    expect(nextPageUrl(header, page)).toBe(expected);
  });

  it('spells a page one way whatever the parameter order', () => {
    expect(pageKey('http://h/v2/a/tags/list?n=2&last=b')).toBe(pageKey('http://h/v2/a/tags/list?last=b&n=2'));
    expect(pageKey('http://h/v2/a/tags/list?last=b')).not.toBe(pageKey('http://h/v2/a/tags/list?last=c'));
  });
});

describe('backoff', () => {
  const policy = { tries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };
  it('doubles the ceiling per attempt up to the maximum, with full jitter', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay(3, policy, () => 0)).toBe(0);
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
