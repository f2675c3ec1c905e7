// A local server speaking the ECR JSON 1.1 protocol (DescribeImages, ListImages) for the real @aws-sdk/client-ecr.
// Tests and the benchmark point BERTH_ECR_ENDPOINT at it; `latencyMs` holds every call that long (the benchmark: 50).
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { delay, startServer, type TestServer } from './http-server';

export interface EcrImage {
  tags: string[];
  digest: string;
  /** Seconds since the epoch, as ECR sends imagePushedAt. */
  pushedAt: number;
}

export type EcrFault =
  'ThrottlingException' | 'AccessDeniedException' | 'ServerException' | 'RepositoryNotFoundException';

export interface EcrServerOptions {
  /** Images per repository name (the path after the registry host). */
  repositories: Record<string, EcrImage[]>;
  /** Held before every answer. */
  latencyMs?: number;
  /** Faults answered to the first calls, in order: ['ThrottlingException'] throttles the first call only. */
  faults?: EcrFault[];
  /** Repositories every call to is answered AccessDeniedException, as by an IAM policy that leaves them out. */
  denied?: string[];
}

export interface EcrCall {
  operation: string;
  input: Record<string, unknown>;
  /** The SDK's SigV4 signature names the access key; tests check the default chain was used. */
  authorization?: string;
}

export interface EcrServer extends TestServer {
  /** The value for BERTH_ECR_ENDPOINT. */
  endpoint: string;
  calls: EcrCall[];
}

const TARGET_PREFIX = 'AmazonEC2ContainerRegistry_V20150921.';

const FAULT_STATUS: Record<EcrFault, number> = {
  ThrottlingException: 400,
  AccessDeniedException: 400,
  ServerException: 500,
  RepositoryNotFoundException: 400,
};
const FAULT_MESSAGE: Record<EcrFault, string> = {
  ThrottlingException: 'Rate exceeded',
  AccessDeniedException:
    'User: arn:aws:iam::123456789012:user/berth-test is not authorized to perform: ecr:DescribeImages',
  ServerException: 'Internal error',
  RepositoryNotFoundException: 'The repository does not exist',
};

/** `count` images tagged `1.0.<i>`, pushed a minute apart from 2024-01-01. */
export function makeImages(count: number): EcrImage[] {
  const start = Date.UTC(2024, 0, 1) / 1000;
  return Array.from({ length: count }, (_, i) => ({
    tags: [`1.0.${i}`],
    digest: `sha256:${createHash('sha256').update(`image-${i}`).digest('hex')}`,
    pushedAt: start + i * 60,
  }));
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': `req-${Date.now()}` });
  response.end(JSON.stringify(body));
}

function detail(image: EcrImage, repositoryName: string, registryId: string) {
  return {
    registryId,
    repositoryName,
    imageDigest: image.digest,
    imageTags: image.tags,
    imagePushedAt: image.pushedAt,
    imageSizeInBytes: 1024,
    imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
  };
}

export async function startEcrServer(options: EcrServerOptions): Promise<EcrServer> {
  const calls: EcrCall[] = [];
  const faults = [...(options.faults ?? [])];
  const server = await startServer(async (request, response, body) => {
    if (options.latencyMs) await delay(options.latencyMs);
    const target = String(request.headers['x-amz-target'] ?? '');
    if (request.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
      return answer(response, 400, {
        __type: 'UnknownOperationException',
        message: `unexpected ${request.method} ${target}`,
      });
    }
    const operation = target.slice(TARGET_PREFIX.length);
    const input = JSON.parse(body.toString() || '{}') as Record<string, unknown>;
    calls.push({ operation, input, authorization: request.headers.authorization });
    const fault = faults.shift();
    if (fault) return answer(response, FAULT_STATUS[fault], { __type: fault, message: FAULT_MESSAGE[fault] });

    const repositoryName = String(input.repositoryName);
    const registryId = String(input.registryId ?? '123456789012');
    if (options.denied?.includes(repositoryName)) {
      return answer(response, 400, { __type: 'AccessDeniedException', message: FAULT_MESSAGE.AccessDeniedException });
    }
    const images = options.repositories[repositoryName];
    if (!images)
      return answer(response, 400, {
        __type: 'RepositoryNotFoundException',
        message: `The repository with name '${repositoryName}' does not exist in the registry with id '${registryId}'`,
      });

    const imageIds = input.imageIds as Array<{ imageTag?: string; imageDigest?: string }> | undefined;
    if (imageIds) {
      const found = imageIds.map((id) =>
        images.find((image) => (id.imageTag ? image.tags.includes(id.imageTag) : image.digest === id.imageDigest)),
      );
      if (found.some((image) => !image))
        return answer(response, 400, {
          __type: 'ImageNotFoundException',
          message: 'The image requested does not exist in the specified repository.',
        });
      return answer(response, 200, { imageDetails: found.map((image) => detail(image!, repositoryName, registryId)) });
    }

    const tagStatus = (input.filter as { tagStatus?: string } | undefined)?.tagStatus;
    const listed = images.filter((image) =>
      tagStatus === 'TAGGED' ? image.tags.length > 0 : tagStatus === 'UNTAGGED' ? image.tags.length === 0 : true,
    );
    const maxResults = Math.min(Number(input.maxResults ?? 100), 1000);
    const offset = input.nextToken ? Number(Buffer.from(String(input.nextToken), 'base64').toString()) : 0;
    const page = listed.slice(offset, offset + maxResults);
    const nextToken =
      offset + maxResults < listed.length ? Buffer.from(String(offset + maxResults)).toString('base64') : undefined;
    if (operation === 'ListImages') {
      const imageIdsOut = page.flatMap((image) =>
        image.tags.length
          ? image.tags.map((imageTag) => ({ imageDigest: image.digest, imageTag }))
          : [{ imageDigest: image.digest }],
      );
      return answer(response, 200, { imageIds: imageIdsOut, nextToken });
    }
    if (operation !== 'DescribeImages')
      return answer(response, 400, { __type: 'UnknownOperationException', message: operation });
    answer(response, 200, { imageDetails: page.map((image) => detail(image, repositoryName, registryId)), nextToken });
  });
  return { ...server, endpoint: server.url, calls };
}
