// berth image-update end to end on ECR: the real CLI and @aws-sdk/client-ecr against the ECR-protocol server, bare git remotes.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { berthAsync, git } from '../cli/workspace';
import { startEcrServer, type EcrImage, type EcrServer, type EcrServerOptions } from '../registry/support/ecr-server';
import { gitOpsRepository } from './support';

const ACCOUNT = '123456789012';
const HOST = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`;
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
/** More than one DescribeImages page (1,000 images) of old builds, so the newest release is only on the second page. */
const OLD_BUILDS = 1_100;

const images = (tags: string[]): EcrImage[] =>
  tags.map((tag, i) => ({
    tags: [tag],
    digest: `sha256:${createHash('sha256').update(tag).digest('hex')}`,
    pushedAt: Date.UTC(2026, 0, 1) / 1000 + i * 60,
  }));

const overlay = (dir: string, service: string) =>
  readFileSync(join(dir, 'environments/dev', `${service}.yaml`), 'utf8');
const devTag = (dir: string, service: string) => String(parse(overlay(dir, service)).image.tag);

/** Every service the example platform runs in dev; those a test does not name get their current tag only (nothing to do). */
function devServices(dir: string): string[] {
  // add-ons run upstream charts, not images of the registry
  return readdirSync(join(dir, 'apps')).filter(
    (service) =>
      existsSync(join(dir, 'environments/dev', `${service}.yaml`)) && parse(overlay(dir, service)).image !== undefined,
  );
}

let server: EcrServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A GitOps repository whose charts pull from ECR, and the ECR server that holds their images. */
async function ecrPlatform(tags: Record<string, string[]>, options: Omit<EcrServerOptions, 'repositories'> = {}) {
  const gitops = gitOpsRepository(HOST);
  const repositories = Object.fromEntries(
    devServices(gitops.work).map((service) => [service, images(tags[service] ?? [devTag(gitops.work, service)])]),
  );
  server = await startEcrServer({ ...options, repositories });
  // The default chain's first link, fake static keys; the shared files and instance metadata are out of reach, and
  // AWS_REGION names another region so that eu-west-1 in the request can only have come from the repository URI.
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.keys(process.env)
      .filter((name) => name.startsWith('AWS_'))
      .map((name) => [name, undefined]),
  );
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: ACCESS_KEY,
    AWS_SECRET_ACCESS_KEY: SECRET_KEY,
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(gitops.remote, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(gitops.remote, 'no-aws-credentials'),
    BERTH_ECR_ENDPOINT: server.endpoint,
  });
  const run = (...args: string[]) => berthAsync({ cwd: gitops.work, env }, 'image-update', ...args);
  return { gitops, server, run };
}

describe('berth image-update on ECR', () => {
  it('pages DescribeImages, retries a throttled call, then writes and commits the right tags', async () => {
    const oldBuilds = Array.from({ length: OLD_BUILDS }, (_, i) => `0.1.${i}`);
    const { gitops, server, run } = await ecrPlatform(
      {
        'service-a': [...oldBuilds, '1.4.3', '1.4.4', '1.6.0-rc.1', 'latest', '1.5.0'],
        'service-b': ['2.1.0', '2.2.0'],
        'service-c': ['0.9.1', '0.9.2'],
        postgres: ['16.4', '16.6', '17.1'],
      },
      { faults: ['ThrottlingException'] },
    );
    const start = git(gitops.work, 'rev-parse', 'HEAD');
    const before = overlay(gitops.work, 'service-a');

    const result = await run();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^dev\s+service-a\s+1\.4\.3\s+1\.5\.0\s+bumped$/m);
    expect(result.stdout).toMatch(/^dev\s+service-b\s+2\.1\.0\s+2\.2\.0\s+bumped$/m);
    expect(result.stdout).toMatch(/^dev\s+service-c\s+0\.9\.2\s+-\s+up to date$/m);
    expect(result.stdout).toMatch(/^dev\s+postgres\s+16\.4\s+16\.6\s+bumped$/m); // app.yaml holds postgres to ~16

    // written in the overlays, only the tag's bytes, in one commit on top of where the clone was
    expect(overlay(gitops.work, 'service-a')).toBe(before.replace('"1.4.3"', '"1.5.0"'));
    expect({
      a: devTag(gitops.work, 'service-a'),
      b: devTag(gitops.work, 'service-b'),
      c: devTag(gitops.work, 'service-c'),
      postgres: devTag(gitops.work, 'postgres'),
    }).toEqual({ a: '1.5.0', b: '2.2.0', c: '0.9.2', postgres: '16.6' });
    expect(git(gitops.work, 'rev-parse', 'HEAD~1')).toBe(start);
    expect(git(gitops.work, 'status', '--porcelain')).toBe('');
    expect(git(gitops.work, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      'environments/dev/postgres.yaml',
      'environments/dev/service-a.yaml',
      'environments/dev/service-b.yaml',
    ]);
    const message = git(gitops.work, 'log', '-1', '--format=%B');
    expect(message).toMatch(/^chore\(dev\): bump 3 images\n/);
    expect(message).toContain(
      'Berth-Service: service-a\nBerth-Env: dev\nBerth-Action: bump\nBerth-From: 1.4.3\nBerth-To: 1.5.0',
    );

    // what the SDK sent: the account from the URI as registryId, signed for the URI's region with the default chain's key
    const calls = server.calls;
    expect(new Set(calls.map((call) => call.operation))).toEqual(new Set(['DescribeImages']));
    for (const call of calls) {
      expect(call.input.registryId).toBe(ACCOUNT);
      expect(call.authorization).toMatch(
        new RegExp(`^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/\\d{8}/eu-west-1/ecr/aws4_request,`),
      );
    }
    // one call a page and a repository (service-a has two pages), and the throttled first call once more
    expect(calls).toHaveLength(devServices(gitops.work).length + 1 + 1);
    expect(calls.filter((call) => JSON.stringify(call.input) === JSON.stringify(calls[0].input))).toHaveLength(2);
    const serviceA = calls.filter((call) => call.input.repositoryName === 'service-a');
    expect(serviceA.every((call) => call.input.maxResults === 1000)).toBe(true);
    expect(serviceA.filter((call) => call.input.nextToken !== undefined)).toHaveLength(1);

    // a second pass finds nothing new and commits nothing
    const again = await run();
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/up to date: no new images, no commit/);
    expect(git(gitops.work, 'rev-list', '--count', `${start}..HEAD`)).toBe('1');
  });

  it('fails on AccessDeniedException naming the repository and the credential source, and commits nothing', async () => {
    const { gitops, run } = await ecrPlatform(
      { 'service-a': ['1.4.3', '1.4.4'], 'service-b': ['2.1.0', '2.2.0'] },
      { denied: ['service-b'] },
    );
    const start = git(gitops.work, 'rev-parse', 'HEAD');

    const result = await run();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`access to ${HOST}/service-b was denied (AccessDeniedException:`);
    expect(result.stderr).toContain('using AWS credentials from the default chain (env AWS_ACCESS_KEY_ID AKIA…MPLE)');
    expect(result.stderr).toContain(
      `allow ecr:DescribeImages on arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/service-b`,
    );
    expect(result.stderr).not.toContain(SECRET_KEY);
    // service-a could have been bumped, but a failed run writes nothing
    expect(git(gitops.work, 'rev-parse', 'HEAD')).toBe(start);
    expect(git(gitops.work, 'status', '--porcelain')).toBe('');
    expect(devTag(gitops.work, 'service-a')).toBe('1.4.3');
  });

  it('never writes a tag that is not an OCI tag, and reports each one as skipped', async () => {
    // The ECR server, like a misbehaving registry, does not check tag names. "9.0.0\n" is what semver reads as 9.0.0.
    const hostile = ['9.0.0\n', '1.0 beta', `1.${'0'.repeat(198)}`, '9.1.0\nimage: {tag: evil}'];
    const { gitops, run } = await ecrPlatform({ 'service-c': ['0.9.2', ...hostile, '0.9.3'] });
    const start = git(gitops.work, 'rev-parse', 'HEAD');
    const before = overlay(gitops.work, 'service-c');

    const json = await run('--service', 'service-c', '--dry-run', '--json');
    expect(json.status).toBe(0);
    const [decision] = JSON.parse(json.stdout).services;
    expect(decision).toMatchObject({ service: 'service-c', status: 'update', to: { tag: '0.9.3' } });
    expect(decision.invalidTags).toEqual(hostile);

    const result = await run('--service', 'service-c');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^dev\s+service-c\s+0\.9\.2\s+0\.9\.3\s+bumped$/m);
    expect(result.stdout).toContain(
      `${HOST}/service-c: skipped 4 tags that are not OCI tags: "9.0.0\\n", "1.0 beta", "1.${'0'.repeat(198)}", "9.1.0\\nimage: {tag: evil}"`,
    );
    expect(overlay(gitops.work, 'service-c')).toBe(before.replace('"0.9.2"', '"0.9.3"'));
    expect(git(gitops.work, 'rev-list', '--count', `${start}..HEAD`)).toBe('1');
  });
});
