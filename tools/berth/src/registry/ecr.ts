// RegistryClient for Amazon ECR through @aws-sdk/client-ecr with the SDK's default credential chain.
//
// Account and region come from the repository URI (<account>.dkr.ecr.<region>.amazonaws.com[.cn]/<path>); credentials
// from the default chain: environment, shared config profile (SSO included), IRSA web identity, EKS Pod Identity,
// instance role. Environment variable:
//   BERTH_ECR_ENDPOINT   send ECR API calls to this URL instead of the SDK's regional endpoint (tests, VPC endpoints)
// The SDK's chain reads the process environment (AWS_*), whatever `env` berth was given.
import type { DescribeImagesCommandOutput, ImageDetail } from '@aws-sdk/client-ecr';
import { BerthError } from '../errors';
import { limiterForHost } from './limiter';
import { AccessRefused } from './refused';
import { parseImageRepository, type ImageRepository } from './reference';
import { withRetry, parseRetryAfter, type Throttled } from './retry';
import { MAX_TAG_PAGES, MAX_TAGS, type ImageTag, type RegistryClient, type RetryPolicy } from './types';

export interface EcrClientOptions {
  env: NodeJS.ProcessEnv;
  concurrency: number;
  retry: RetryPolicy;
  timeoutMs: number;
  pageSize: number;
}

const THROTTLING = new Set([
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
]);
const DENIED = new Set([
  'AccessDeniedException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
]);
const ECR_MAX_RESULTS = 1000;

interface AwsError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
}

/** Pure: throttling and server errors are worth another try. */
export function classifyEcrError(error: unknown): Throttled | undefined {
  const { name = '', $metadata, $response } = (error ?? {}) as AwsError;
  const status = $metadata?.httpStatusCode;
  if (THROTTLING.has(name) || status === 429 || (status !== undefined && [500, 502, 503, 504].includes(status))) {
    return {
      reason: `${name || 'error'}${status ? ` (HTTP ${status})` : ''}`,
      retryAfterMs: parseRetryAfter($response?.headers?.['retry-after']),
    };
  }
  return undefined;
}

/** Pure: which link of the default chain will answer, said without any secret. */
export function describeAwsCredentials(env: NodeJS.ProcessEnv): string {
  let source: string;
  if (env.AWS_ACCESS_KEY_ID) {
    const id = env.AWS_ACCESS_KEY_ID;
    source = `env AWS_ACCESS_KEY_ID ${id.length > 8 ? `${id.slice(0, 4)}…${id.slice(-4)}` : '…'}`;
  } else if (env.AWS_WEB_IDENTITY_TOKEN_FILE) {
    source = `IRSA web identity${env.AWS_ROLE_ARN ? `, role ${env.AWS_ROLE_ARN}` : ''}`;
  } else if (env.AWS_CONTAINER_CREDENTIALS_FULL_URI) {
    source = 'EKS Pod Identity (AWS_CONTAINER_CREDENTIALS_FULL_URI)';
  } else if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI) {
    source = 'the ECS task role';
  } else if (env.AWS_PROFILE) {
    source = `profile "${env.AWS_PROFILE}"`;
  } else {
    source = 'the default profile or the instance role';
  }
  return `AWS credentials from the default chain (${source})`;
}

export function createEcrClient(repository: ImageRepository, options: EcrClientOptions): RegistryClient {
  const { registry, ecr } = repository;
  if (!ecr) throw new Error(`createEcrClient: ${registry} is not an ECR registry`);
  // The SDK is pinned; its warning about the Node versions of future SDK releases would only be noise in berth's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const endpoint = options.env.BERTH_ECR_ENDPOINT || undefined;
  // loaded when an ECR client is made: the SDK takes a tenth of a second to load, which a render never needs
  const { DescribeImagesCommand, ECRClient } = require('@aws-sdk/client-ecr') as typeof import('@aws-sdk/client-ecr');
  const client = new ECRClient({
    region: ecr.region,
    endpoint,
    useFipsEndpoint: registry.includes('.dkr.ecr-fips.') || undefined,
    // berth's own retry policy is the only one, so an attempt count means one request.
    maxAttempts: 1,
    requestHandler: { requestTimeout: options.timeoutMs, connectionTimeout: options.timeoutMs },
  });
  const limiter = limiterForHost(registry, options.concurrency);
  // What listTags learned answers digestOf/createdAt without another call.
  const known = new Map<string, Map<string, ImageTag>>();

  function nameOf(repositoryString: string): string {
    const parsed = parseImageRepository(repositoryString);
    if (parsed.registry !== registry) {
      throw new BerthError(`image repository "${repositoryString}" is on ${parsed.registry}, not on ${registry}.`, {
        fix: 'ask registryFor() for a client of that repository.',
      });
    }
    return parsed.path;
  }

  function failure(error: unknown, name: string, what: string, tag?: string): unknown {
    if (error instanceof BerthError) return error;
    const { name: code = '', message = '', $metadata } = (error ?? {}) as AwsError;
    const uri = `${registry}/${name}`;
    if (code === 'AbortError' || code === 'TimeoutError') {
      return new BerthError(
        `ECR at ${endpoint ?? `the ${ecr!.region} API`} did not finish answering within ${options.timeoutMs / 1000} s while ${what}.`,
        {
          fix: 'check the network path to ECR (BERTH_ECR_ENDPOINT, a VPC endpoint, a proxy) and run again.',
          cause: error,
        },
      );
    }
    if (DENIED.has(code) || $metadata?.httpStatusCode === 403) {
      return new AccessRefused(
        `access to ${uri} was denied (${code}: ${message}) while ${what}, using ${describeAwsCredentials(process.env)}.`,
        {
          fix: `allow ecr:DescribeImages on arn:aws:ecr:${ecr!.region}:${ecr!.account}:repository/${name} for that identity, or give berth another one (AWS_PROFILE, IRSA or Pod Identity).`,
          cause: error,
        },
      );
    }
    if (code === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
      return new AccessRefused(`no AWS credentials were found for ${uri} while ${what}: ${message}`, {
        fix: 'provide credentials through the default chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE (SSO included), IRSA or EKS Pod Identity.',
        cause: error,
      });
    }
    if (code === 'RepositoryNotFoundException') {
      return new BerthError(`${uri} does not exist in account ${ecr!.account}, region ${ecr!.region}.`, {
        fix: 'check image.repository.',
        cause: error,
      });
    }
    if (code === 'ImageNotFoundException') {
      return new BerthError(`${uri} has no image tagged "${tag}".`, {
        fix: 'check image.tag, and that the image was pushed.',
        cause: error,
      });
    }
    return new BerthError(`${what} failed: ${code || 'error'}: ${message}`, {
      fix: 'check the repository and the ECR endpoint.',
      cause: error,
    });
  }

  async function describe(
    name: string,
    what: string,
    input: { nextToken?: string; tag?: string },
  ): Promise<DescribeImagesCommandOutput> {
    const command = new DescribeImagesCommand({
      registryId: ecr!.account,
      repositoryName: name,
      ...(input.tag === undefined
        ? {
            maxResults: Math.min(options.pageSize, ECR_MAX_RESULTS),
            nextToken: input.nextToken,
            filter: { tagStatus: 'TAGGED' as const },
          }
        : { imageIds: [{ imageTag: input.tag }] }),
    });
    try {
      // the SDK's own timeouts watch the socket, not the call: a deadline per call stops an endpoint that drips its answer
      return await withRetry(
        () => limiter.run(() => client.send(command, { abortSignal: AbortSignal.timeout(options.timeoutMs) })),
        { what, policy: options.retry, classify: classifyEcrError },
      );
    } catch (error) {
      throw failure(error, name, what, input.tag);
    }
  }

  function tagsOf(detail: ImageDetail): ImageTag[] {
    return (detail.imageTags ?? []).map((tag) => ({ tag, digest: detail.imageDigest, created: detail.imagePushedAt }));
  }

  async function listTags(repositoryString: string): Promise<ImageTag[]> {
    const name = nameOf(repositoryString);
    const what = `listing tags of ${registry}/${name}`;
    const tags: ImageTag[] = [];
    const seen = new Set<string>();
    let nextToken: string | undefined;
    do {
      const page = await describe(name, what, { nextToken });
      for (const detail of page.imageDetails ?? []) tags.push(...tagsOf(detail));
      nextToken = page.nextToken || undefined;
      const fix = `the ECR endpoint is misbehaving, or ${registry}/${name} holds more than ${MAX_TAGS.toLocaleString('en')} tags: expire old images with a lifecycle policy.`;
      if (tags.length > MAX_TAGS)
        throw new BerthError(
          `ECR at ${endpoint ?? registry} listed more than ${MAX_TAGS.toLocaleString('en')} tags while ${what}.`,
          { fix },
        );
      if (nextToken !== undefined && seen.size + 1 >= MAX_TAG_PAGES)
        throw new BerthError(`ECR at ${endpoint ?? registry} kept sending pages past ${MAX_TAG_PAGES} while ${what}.`, {
          fix,
        });
      if (nextToken !== undefined) {
        if (seen.has(nextToken))
          throw new BerthError(`ECR at ${endpoint ?? registry} repeated a nextToken while ${what}.`, {
            fix: 'the ECR endpoint is misbehaving; check BERTH_ECR_ENDPOINT.',
          });
        seen.add(nextToken);
      }
    } while (nextToken !== undefined);
    known.set(name, new Map(tags.map((entry) => [entry.tag, entry])));
    return tags;
  }

  async function imageOf(repositoryString: string, tag: string, what: string): Promise<ImageTag> {
    const name = nameOf(repositoryString);
    const cached = known.get(name)?.get(tag);
    if (cached) return cached;
    const page = await describe(name, `${what} ${registry}/${name}:${tag}`, { tag });
    const found = (page.imageDetails ?? []).flatMap(tagsOf).find((entry) => entry.tag === tag);
    if (!found) throw failure({ name: 'ImageNotFoundException' }, name, what, tag);
    return found;
  }

  return {
    listTags,
    async digestOf(repositoryString, tag) {
      const image = await imageOf(repositoryString, tag, 'resolving');
      if (!image.digest)
        throw new BerthError(`ECR gave no digest for ${repositoryString}:${tag}.`, {
          fix: 'check BERTH_ECR_ENDPOINT.',
        });
      return image.digest;
    },
    async createdAt(repositoryString, tag) {
      return (await imageOf(repositoryString, tag, 'reading the push time of')).created;
    },
  };
}
