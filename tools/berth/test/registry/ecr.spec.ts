// The ECR client: the real @aws-sdk/client-ecr, default credential chain, against a local ECR JSON protocol server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseImageRepository, registryFor } from '../../src/registry';
import { describeAwsCredentials } from '../../src/registry/ecr';
import { makeImages, startEcrServer, type EcrServer } from './support/ecr-server';

const REPOSITORY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/service-a';
const fast = { tries: 5, baseDelayMs: 5, maxDelayMs: 1_000 };
const saved = { ...process.env };

// The SDK's default chain reads the process environment: fake static keys exercise its first link.
beforeAll(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
  Object.assign(process.env, {
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
});
afterAll(() => {
  process.env = saved;
});

let server: EcrServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function ecr(options: Parameters<typeof startEcrServer>[0]) {
  server = await startEcrServer(options);
  return { server, env: { BERTH_ECR_ENDPOINT: server.endpoint } };
}

describe('ECR repository URIs', () => {
  it.each([
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app', { account: '123456789012', region: 'eu-west-1' }],
    ['210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn/app', { account: '210987654321', region: 'cn-north-1' }],
    ['123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/app', { account: '123456789012', region: 'us-gov-west-1' }],
  ])('%s is account %o', (repository, ecrPart) => {
    expect(parseImageRepository(repository).ecr).toEqual(ecrPart);
  });
});

describe('ECR client', () => {
  it('pages DescribeImages to the end, one call per page of 1000, with tag, digest and push time', async () => {
    const images = makeImages(2_345);
    images.push({ tags: ['latest', 'stable'], digest: images[0].digest, pushedAt: images[0].pushedAt });
    const { server, env } = await ecr({ repositories: { 'team/service-a': images } });
    const tags = await registryFor(REPOSITORY, { env }).listTags(REPOSITORY);
    expect(tags).toHaveLength(2_347);
    expect(tags[0]).toEqual({ tag: '1.0.0', digest: images[0].digest, created: new Date(images[0].pushedAt * 1000) });
    expect(tags.slice(-2).map((entry) => entry.tag)).toEqual(['latest', 'stable']);
    expect(server.calls).toHaveLength(3);
    expect(server.calls.map((call) => call.operation)).toEqual(['DescribeImages', 'DescribeImages', 'DescribeImages']);
    expect(server.calls[0].input).toEqual({
      registryId: '123456789012',
      repositoryName: 'team/service-a',
      maxResults: 1000,
      filter: { tagStatus: 'TAGGED' },
    });
    expect(server.calls[1].input.nextToken).toBeTruthy();
    // Signed by the default chain's environment credentials, for the region in the URI.
    expect(server.calls[0].authorization).toMatch(
      /Credential=AKIAIOSFODNN7EXAMPLE\/\d{8}\/eu-west-1\/ecr\/aws4_request/,
    );
  });

  it('answers digestOf and createdAt from what listTags read, or with one DescribeImages for the tag', async () => {
    const images = makeImages(5);
    const { server, env } = await ecr({ repositories: { 'team/service-a': images } });
    const client = registryFor(REPOSITORY, { env });
    expect(await client.digestOf(REPOSITORY, '1.0.3')).toBe(images[3].digest);
    expect(await client.createdAt(REPOSITORY, '1.0.3')).toEqual(new Date(images[3].pushedAt * 1000));
    expect(server.calls.map((call) => call.input.imageIds)).toEqual([[{ imageTag: '1.0.3' }], [{ imageTag: '1.0.3' }]]);
    await client.listTags(REPOSITORY);
    const before = server.calls.length;
    expect(await client.digestOf(REPOSITORY, '1.0.4')).toBe(images[4].digest);
    expect(server.calls.length).toBe(before);
    await expect(client.digestOf(REPOSITORY, '9.9.9')).rejects.toThrow(
      /123456789012\.dkr\.ecr\.eu-west-1\.amazonaws\.com\/team\/service-a has no image tagged "9\.9\.9"/,
    );
  });

  it('retries a ThrottlingException and goes on paging', async () => {
    const { server, env } = await ecr({
      repositories: { 'team/service-a': makeImages(1_500) },
      faults: ['ThrottlingException'],
    });
    expect(await registryFor(REPOSITORY, { env, retry: fast }).listTags(REPOSITORY)).toHaveLength(1_500);
    expect(server.calls).toHaveLength(3);
    expect(server.calls[0].input).toEqual(server.calls[1].input);
  });

  it('gives up after the last try on constant throttling', async () => {
    const { server, env } = await ecr({
      repositories: { 'team/service-a': makeImages(3) },
      faults: Array(5).fill('ThrottlingException'),
    });
    await expect(registryFor(REPOSITORY, { env, retry: { ...fast, tries: 4 } }).listTags(REPOSITORY)).rejects.toThrow(
      /listing tags of .*service-a failed: ThrottlingException \(HTTP 400\) on all 4 tries/,
    );
    expect(server.calls).toHaveLength(4);
  });

  it('retries a server error', async () => {
    const { server, env } = await ecr({
      repositories: { 'team/service-a': makeImages(3) },
      faults: ['ServerException'],
    });
    expect(await registryFor(REPOSITORY, { env, retry: fast }).listTags(REPOSITORY)).toHaveLength(3);
    expect(server.calls).toHaveLength(2);
  });

  it('reports AccessDeniedException naming the repository and the credential source, never the secret', async () => {
    const { server, env } = await ecr({
      repositories: { 'team/service-a': makeImages(3) },
      faults: ['AccessDeniedException'],
    });
    const error = (await registryFor(REPOSITORY, { env, retry: fast })
      .listTags(REPOSITORY)
      .catch((caught: Error) => caught)) as Error;
    expect(error.name).toBe('BerthError');
    expect(error.message).toContain(
      'access to 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/service-a was denied (AccessDeniedException: User: arn:aws:iam::123456789012:user/berth-test is not authorized to perform: ecr:DescribeImages) while listing tags of 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/service-a, using AWS credentials from the default chain (env AWS_ACCESS_KEY_ID AKIA…MPLE).',
    );
    expect(error.message).toContain(
      'Fix: allow ecr:DescribeImages on arn:aws:ecr:eu-west-1:123456789012:repository/team/service-a',
    );
    expect(error.message).not.toContain('wJalrXUtnFEMI');
    expect(server.calls).toHaveLength(1);
  });

  it('says so when the default chain finds no credentials at all', async () => {
    const { server, env } = await ecr({ repositories: { 'team/service-a': makeImages(1) } });
    const keys = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    Object.assign(process.env, {
      AWS_CONFIG_FILE: '/nonexistent/config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    });
    try {
      await expect(registryFor(REPOSITORY, { env, retry: fast }).listTags(REPOSITORY)).rejects.toThrow(
        /no AWS credentials were found for .*team\/service-a while listing tags .*\nFix: .*AWS_PROFILE \(SSO included\), IRSA or EKS Pod Identity/s,
      );
      expect(server.calls).toHaveLength(0);
    } finally {
      Object.assign(process.env, { AWS_ACCESS_KEY_ID: keys.id, AWS_SECRET_ACCESS_KEY: keys.secret });
    }
  });

  it('reports a repository that does not exist', async () => {
    const { env } = await ecr({ repositories: {} });
    await expect(registryFor(REPOSITORY, { env }).listTags(REPOSITORY)).rejects.toThrow(
      /team\/service-a does not exist in account 123456789012, region eu-west-1/,
    );
  });

  it('keeps calls within the concurrency limit', async () => {
    const images = makeImages(20);
    const { server, env } = await ecr({ repositories: { 'team/service-a': images }, latencyMs: 30 });
    const client = registryFor(REPOSITORY, { env, concurrency: 4 });
    const digests = await Promise.all(images.map((image) => client.digestOf(REPOSITORY, image.tags[0])));
    expect(digests).toEqual(images.map((image) => image.digest));
    expect(server.maxInFlight()).toBe(4);
  });
});

describe('naming AWS credentials', () => {
  it.each([
    [{ AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' }, 'env AWS_ACCESS_KEY_ID AKIA…MPLE'],
    [
      { AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks/token', AWS_ROLE_ARN: 'arn:aws:iam::1:role/berth' },
      'IRSA web identity, role arn:aws:iam::1:role/berth',
    ],
    [
      { AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.23/v1/credentials' },
      'EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI)',
    ],
    [{ AWS_PROFILE: 'platform-sso' }, 'profile "platform-sso"'],
    [{}, 'the default profile or the instance role'],
  ])('%o → %s', (env, source) => {
    expect(describeAwsCredentials(env)).toBe(`AWS credentials from the default chain (${source})`);
  });
});
