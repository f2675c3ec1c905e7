// Promotion decisions, version order, branch names and GitHub remotes as tables.
import { describe, expect, it } from 'vitest';
import { promotionBranch, refSafe } from '../../src/promote/branch';
import { decidePromotion, type PromotionInput, type PromotionStatus } from '../../src/promote/decide';
import { compareUrl, parseGitHubRemote } from '../../src/promote/github';
import { isDowngrade, sameDeployment } from '../../src/promote/versions';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

describe('isDowngrade', () => {
  it.each([
    ['1.4.3', '1.4.2', true],
    ['1.4.2', '1.4.3', false],
    ['1.4.3', '1.4.3', false],
    ['v1.10.0', '1.9.0', true], // lenient: a leading v, numeric order not string order
    ['1.4', '1.3.9', true], // lenient: missing parts are 0
    ['1.0.0', '1.0.0-rc.1', true], // a release outranks its pre-release
    ['1.0.0+build.2', '1.0.0+build.1', false], // build metadata does not order versions
    ['latest', '1.0.0', false], // not a version: no order, only equality matters
    ['1.0.0', 'a1b2c3d', false],
    ['', '1.0.0', false], // the target has no tag yet
  ])('%s -> %s: %s', (current, next, expected) => {
    expect(isDowngrade(current, next)).toBe(expected);
  });
});

describe('sameDeployment', () => {
  it.each([
    [{ tag: '1.0' }, { tag: '1.0' }, true],
    [{ tag: '1.0', digest: D1 }, { tag: '1.0', digest: D1 }, true],
    [{ tag: '1.0', digest: D1 }, { tag: '1.0', digest: D2 }, false], // a mutable tag that moved
    [{ tag: '1.0', digest: D1 }, { tag: '1.0' }, false],
    [{ tag: '1.0', chartRevision: A }, { tag: '1.0', chartRevision: B }, false], // charts changed
    [{ tag: '1.0', chartRevision: A }, { tag: '1.0' }, false], // the target still follows the branch
  ])('%j vs %j: %s', (a, b, expected) => {
    expect(sameDeployment(a, b)).toBe(expected);
  });
});

describe('decidePromotion', () => {
  const base: PromotionInput = {
    service: 'service-a',
    sourceEnv: 'dev',
    targetEnv: 'stage',
    source: { tag: '1.4.3', chartRevision: A },
    target: { tag: '1.4.2', chartRevision: A },
  };
  const cases: Array<[string, Partial<PromotionInput>, PromotionStatus, RegExp]> = [
    ['a newer version', {}, 'promote', /1\.4\.2 -> 1\.4\.3/],
    ['the same version and charts', { target: { tag: '1.4.3', chartRevision: A } }, 'current', /already runs 1\.4\.3/],
    [
      'the same image, newer charts',
      { target: { tag: '1.4.3', chartRevision: B } },
      'promote',
      /charts of aaaaaaaaaaaa/,
    ],
    [
      'a digest that moved',
      {
        source: { tag: 'latest', digest: D2, chartRevision: A },
        target: { tag: 'latest', digest: D1, chartRevision: A },
      },
      'promote',
      /latest@sha256:111.* -> latest@sha256:222/,
    ],
    [
      'an older version',
      { target: { tag: '1.5.0', chartRevision: A } },
      'downgrade',
      /1\.5\.0 is newer than dev's 1\.4\.3/,
    ],
    [
      'an older version, allowed',
      { target: { tag: '1.5.0', chartRevision: A }, allowDowngrade: true },
      'promote',
      /1\.5\.0 -> 1\.4\.3/,
    ],
    [
      'tags that are no versions',
      { source: { tag: 'main-abc', chartRevision: A }, target: { tag: 'main-def', chartRevision: A } },
      'promote',
      /main-def -> main-abc/,
    ],
    [
      'a pinned target',
      { pin: { version: '1.4.2', reason: 'INC-7' } },
      'pinned',
      /pinned at 1\.4\.2: INC-7 \(berth unpin service-a --env stage/,
    ],
    [
      'a pinned target that already runs it',
      { target: { tag: '1.4.3', chartRevision: A }, pin: { version: '1.4.3' } },
      'current',
      /already runs/,
    ],
    ['a service the source does not run', { source: undefined }, 'missing', /does not run in dev/],
  ];
  it.each(cases)('%s', (_name, change, status, reason) => {
    const decision = decidePromotion({ ...base, ...change });
    expect(decision.status).toBe(status);
    expect(decision.reason).toMatch(reason);
  });
});

describe('promotion branches', () => {
  it.each([
    [[{ service: 'service-a', tag: '1.4.3' }], 'berth/promote/prod/service-a-1.4.3'],
    [[{ service: 'service-a', tag: '1..4.lock' }], 'berth/promote/prod/service-a-1.4'],
    [
      [
        { service: 'service-a', tag: '1.4.3' },
        { service: 'service-b', tag: '2.0.0' },
      ],
      'berth/promote/prod/2-services-0123abcd',
    ],
  ])('%j -> %s', (promoted, branch) => {
    expect(promotionBranch('prod', promoted, '0123abcdef'.repeat(4))).toBe(branch);
  });
  it('keeps ordinary tags as they are', () => expect(refSafe('v2.0.0-rc.1_amd64')).toBe('v2.0.0-rc.1_amd64'));
});

describe('parseGitHubRemote', () => {
  const repository = { host: 'github.com', owner: 'acme', repo: 'platform-gitops' };
  it.each([
    ['https://github.com/acme/platform-gitops.git', repository],
    ['https://github.com/acme/platform-gitops', repository],
    ['https://x-access-token:secret@github.com/acme/platform-gitops.git', repository],
    ['git@github.com:acme/platform-gitops.git', repository],
    ['ssh://git@github.com/acme/platform-gitops.git', repository],
    ['ssh://git@github.com:22/acme/platform-gitops', repository],
    ['https://gitlab.com/acme/platform-gitops.git', undefined],
    ['/srv/git/platform.git', undefined],
    ['https://github.com/acme', undefined],
  ])('%s', (url, expected) => {
    expect(parseGitHubRemote(url, '')).toEqual(expected);
  });
  it('knows a GitHub Enterprise host from GITHUB_SERVER_URL', () => {
    expect(parseGitHubRemote('https://git.acme.example/platform/gitops.git', 'https://git.acme.example')).toEqual({
      host: 'git.acme.example',
      owner: 'platform',
      repo: 'gitops',
    });
  });
  it('builds the page that opens a pull request', () => {
    expect(compareUrl(repository, 'main', 'berth/promote/prod/service-a-1.4.3')).toBe(
      'https://github.com/acme/platform-gitops/compare/main...berth/promote/prod/service-a-1.4.3?expand=1',
    );
  });
});
