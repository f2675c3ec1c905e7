// Which version one service moves to, from the registry's tags: a table over statuses and hostile tags.
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/image-update/decide';
import type { Target } from '../../src/image-update/targets';
import { parsePolicy } from '../../src/policy';

const DIGEST = `sha256:${'d'.repeat(64)}`;

function target(overrides: Partial<Target> = {}): Target {
  return {
    env: { name: 'dev' } as Target['env'],
    service: { name: 'api' } as Target['service'],
    repository: '127.0.0.1:5000/api',
    policy: parsePolicy({ strategy: 'semver' }, {}),
    overlay: 'environments/dev/api.yaml',
    overlayText: 'image:\n  tag: "1.0.0"\n',
    current: { tag: '1.0.0' },
    ...overrides,
  };
}
const tags = (...names: string[]) => names.map((tag) => ({ tag }));

describe('decide', () => {
  it.each([
    ['a newer version', target(), tags('1.0.0', '1.1.0'), 'update', { tag: '1.1.0' }],
    ['nothing newer', target(), tags('0.9.0', '1.0.0'), 'current', undefined],
    ['no version at all', target(), tags('latest', 'main'), 'none', undefined],
    ['a pin', target({ pin: { version: '1.0.0', reason: 'INC-1' } }), tags('2.0.0'), 'pinned', undefined],
    [
      'a digest to follow',
      target({ policy: parsePolicy({ strategy: 'digest', tag: 'main' }, {}) }),
      tags('main'),
      'update',
      { tag: 'main', digest: DIGEST },
    ],
    [
      'the same digest again',
      target({
        policy: parsePolicy({ strategy: 'digest', tag: 'main' }, {}),
        current: { tag: 'main', digest: DIGEST },
      }),
      tags('main'),
      'current',
      undefined,
    ],
  ] as const)('%s', (_case, input, registryTags, status, next) => {
    const decision = decide(input, [...registryTags], DIGEST);
    expect(decision.status).toBe(status);
    expect(decision.next).toEqual(next);
    expect(decision.reason).not.toBe('');
  });

  it('says why a pinned service is held and how to release it', () => {
    expect(decide(target({ pin: { version: '1.0.0', reason: 'INC-1' } }), tags('2.0.0')).reason).toBe(
      'pinned at 1.0.0: INC-1 (berth unpin api --env dev releases it)',
    );
  });

  it('never selects a tag that is not an OCI tag, and reports each one', () => {
    const hostile = ['9.9.9"\nreplicas: 0', '9.9.9 beta', 'a'.repeat(129), '.9.9.9', '9.9.9/../x'];
    const decision = decide(target(), [...tags('1.0.1'), ...tags(...hostile)]);
    expect(decision.next).toEqual({ tag: '1.0.1' });
    expect(decision.invalidTags).toEqual(hostile);
  });

  it('refuses a digest from the registry that is not sha256 hex', () => {
    const decision = decide(
      target({ policy: parsePolicy({ strategy: 'digest', tag: 'main' }, {}) }),
      tags('main'),
      'sha256:XYZ',
    );
    expect(decision.status).toBe('none');
    expect(decision.reason).toMatch(/not sha256:<64 hex>/);
  });
});
