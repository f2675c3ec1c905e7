// berth promote by pull request: a branch pushed from a temporary worktree, the user's checkout untouched, and the
// GitHub REST API spoken by a local server.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { sendJson, startServer, type TestServer } from '../registry/support/http-server';
import { git } from '../cli/workspace';
import { NO_GITHUB, berthWith, overlay, overlayPath, overlayValues, platform } from './support';

const GITHUB_URL = 'https://github.com/acme/platform-gitops.git';

/** A clone whose origin looks like GitHub while every push lands in the bare remote (pushurl). PR mode never fetches. */
function githubLookingClone() {
  const gitops = platform();
  git(gitops.work, 'config', 'remote.origin.url', GITHUB_URL);
  git(gitops.work, 'config', 'remote.origin.pushurl', gitops.remote);
  return gitops;
}

describe('berth promote --pr', () => {
  let github: TestServer;
  const received: Array<{ method: string; url: string; authorization?: string; body: Record<string, string> }> = [];
  let answer: { status: number; body: unknown } = { status: 201, body: {} };

  beforeAll(async () => {
    github = await startServer((request, response, body) => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        authorization: request.headers.authorization,
        body: JSON.parse(body.toString() || '{}'),
      });
      sendJson(response, answer.status, answer.body);
    });
  });
  afterAll(async () => github?.close());

  it('is the default for prod: pushes a branch from a worktree, leaves the checkout as it was, prints where to open the request', async () => {
    const { work, remote } = githubLookingClone();
    // the user is mid-edit: an uncommitted change and an untracked file stay exactly as they are
    writeFileSync(
      join(work, 'environments/prod/values.yaml'),
      `${readFileSync(join(work, 'environments/prod/values.yaml'), 'utf8')}# editing\n`,
    );
    writeFileSync(join(work, 'notes.txt'), 'mine\n');
    const head = git(work, 'rev-parse', 'HEAD');
    const status = git(work, 'status', '--porcelain');
    const prodOverlay = overlay(work, 'prod', 'service-a');

    const run = await berthWith(work, NO_GITHUB, 'promote', 'service-a', '--to', 'prod');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^service-a\s+1\.4\.1\s+1\.4\.2\s+branch -> [0-9a-f]{12}\s+proposed$/m);
    const branch = 'berth/promote/prod/service-a-1.4.2';
    expect(run.stdout).toContain(`pushed branch ${branch}`);
    expect(run.stdout).toContain(
      `Open the pull request: https://github.com/acme/platform-gitops/compare/main...${branch}?expand=1`,
    );

    // the checkout: same commit, same branch, same edits, no new branch, no leftover worktree
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(work, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(git(work, 'status', '--porcelain')).toBe(status);
    expect(overlay(work, 'prod', 'service-a')).toBe(prodOverlay);
    expect(git(work, 'branch', '--format=%(refname:short)')).toBe('main');
    expect(git(work, 'worktree', 'list').split('\n')).toHaveLength(1);

    // the branch: one commit on the tip of main with the promotion and its Application
    expect(git(remote, 'rev-parse', 'main')).toBe(head);
    expect(git(remote, 'rev-parse', `${branch}~1`)).toBe(head);
    expect(git(remote, 'log', '-1', '--format=%s', branch)).toBe('chore(prod): promote service-a 1.4.2 from stage');
    expect(git(remote, 'show', '--name-only', '--format=', branch).split('\n').sort()).toEqual([
      'argocd/apps/prod/service-a.yaml',
      'environments/prod/service-a.yaml',
    ]);
    const promoted = parse(git(remote, 'show', `${branch}:${overlayPath('prod', 'service-a')}`));
    expect(promoted.image.tag).toBe('1.4.2');
    expect(promoted.chartRevision).toBe(
      git(work, 'log', '-1', '--format=%H', '--', 'charts/service-a', 'charts/common'),
    );

    // the same promotion again: the branch exists, so it says so and the checkout still does not move
    const again = await berthWith(work, NO_GITHUB, 'promote', 'service-a', '--to', 'prod');
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(
      new RegExp(`branch ${branch} already exists on origin: a pull request for this promotion may be open already`),
    );
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(work, 'worktree', 'list').split('\n')).toHaveLength(1); // removed after a failure too
    expect(git(work, 'status', '--porcelain')).toBe(status);
  });

  it("--push overrides prod's pull requests; --pr proposes where pushes are the rule; a remote that is not GitHub gets the branch named", async () => {
    const { work, remote } = platform();
    const pushed = await berthWith(work, NO_GITHUB, 'promote', 'service-b', '--to', 'prod', '--push');
    expect(pushed.status, pushed.stderr).toBe(0);
    expect(git(remote, 'log', '-1', '--format=%s', 'main')).toBe('chore(prod): promote service-b 2.0.3 from stage');
    const proposed = await berthWith(work, NO_GITHUB, 'promote', 'service-a', 'service-b', '--to', 'stage', '--pr');
    expect(proposed.status, proposed.stderr).toBe(0);
    const branch = git(remote, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/berth/promote/stage');
    expect(branch).toMatch(/^berth\/promote\/stage\/2-services-[0-9a-f]{8}$/);
    expect(branch.endsWith(git(remote, 'rev-parse', branch).slice(0, 8))).toBe(true); // named by its commit
    expect(proposed.stdout).toContain(`Open a pull request from ${branch} into main.`);
    expect(git(remote, 'log', '-1', '--format=%s', branch)).toBe('chore(stage): promote 2 services from dev');
    expect(overlayValues(work, 'stage', 'service-a').image.tag).toBe('1.4.2');
  });

  it('opens the pull request through the GitHub API when GITHUB_TOKEN is set', async () => {
    const { work, remote } = githubLookingClone();
    received.length = 0;
    answer = { status: 201, body: { number: 42, html_url: 'https://github.com/acme/platform-gitops/pull/42' } };
    const run = await berthWith(
      work,
      { ...NO_GITHUB, GITHUB_TOKEN: 'ghs_test-token', GITHUB_API_URL: github.url },
      'promote',
      'service-c',
      '--to',
      'prod',
      '--json',
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      mode: 'pr',
      pushed: true,
      branch: 'berth/promote/prod/service-c-0.9.1',
      base: 'main',
      pullRequest: { number: 42, url: 'https://github.com/acme/platform-gitops/pull/42' },
    });
    expect(run.stdout).not.toContain('ghs_test-token');
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      method: 'POST',
      url: '/repos/acme/platform-gitops/pulls',
      authorization: 'Bearer ghs_test-token',
    });
    expect(received[0].body).toMatchObject({
      title: 'chore(prod): promote service-c 0.9.1 from stage',
      head: 'berth/promote/prod/service-c-0.9.1',
      base: 'main',
    });
    expect(received[0].body.body).toMatch(/^\| service-c \| 0\.9\.0 \| 0\.9\.1 \| branch -> `[0-9a-f]{12}` \|$/m);
    expect(git(remote, 'rev-parse', 'berth/promote/prod/service-c-0.9.1')).toBe(report.commit);

    const text = await berthWith(
      work,
      { ...NO_GITHUB, GITHUB_TOKEN: 'ghs_test-token', GITHUB_API_URL: github.url },
      'promote',
      'postgres',
      '--to',
      'prod',
    );
    expect(text.stdout).toMatch(
      /opened pull request #42 to promote 1 service from stage to prod: https:\/\/github\.com\/acme\/platform-gitops\/pull\/42/,
    );
  });

  it('reports a refusal from the API with its status and message, and leaves the branch pushed', async () => {
    const { work, remote } = githubLookingClone();
    answer = {
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: 'A pull request already exists for acme:berth/promote/prod/service-b-2.0.3.',
          },
        ],
      },
    };
    const run = await berthWith(
      work,
      { ...NO_GITHUB, GITHUB_TOKEN: 'ghs_test-token', GITHUB_API_URL: github.url },
      'promote',
      'service-b',
      '--to',
      'prod',
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /GitHub refused to open the pull request \(HTTP 422\): Validation Failed: A pull request already exists for acme:berth\/promote\/prod\/service-b-2\.0\.3\./,
    );
    expect(run.stderr).toMatch(
      /The branch berth\/promote\/prod\/service-b-2\.0\.3 is pushed \(commit [0-9a-f]{12}\)\./,
    );
    expect(run.stderr).toContain(
      'open the pull request by hand: https://github.com/acme/platform-gitops/compare/main...berth/promote/prod/service-b-2.0.3?expand=1',
    );
    expect(run.stderr).not.toContain('ghs_test-token');
    expect(git(remote, 'log', '-1', '--format=%s', 'berth/promote/prod/service-b-2.0.3')).toBe(
      'chore(prod): promote service-b 2.0.3 from stage',
    );

    answer = { status: 403, body: { message: 'GitHub Actions is not permitted to create or approve pull requests.' } };
    const forbidden = await berthWith(
      work,
      { ...NO_GITHUB, GITHUB_TOKEN: 'ghs_test-token', GITHUB_API_URL: github.url },
      'promote',
      'service-c',
      '--to',
      'prod',
    );
    expect(forbidden.stderr).toMatch(
      /HTTP 403\): GitHub Actions is not permitted to create or approve pull requests\.[\s\S]*Fix: give GITHUB_TOKEN pull-requests: write/,
    );
  });
});
