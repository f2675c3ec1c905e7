// The registry clients `berth image-update` lists tags with: registryFor() picks ECR or OCI from the repository's host.
//
// Environment variables (each module's header says more):
//   BERTH_ECR_ENDPOINT                   ECR API endpoint override (ecr.ts)
//   BERTH_REGISTRY_<HOST>_USERNAME/_PASSWORD, BERTH_REGISTRY_USERNAME/_PASSWORD, DOCKER_CONFIG   OCI credentials (auth.ts)
//   BERTH_INSECURE_REGISTRIES            comma-separated host[:port]s reached over plain HTTP; loopback always is (reference.ts)
import { createEcrClient } from './ecr';
import { createOciClient } from './oci';
import { parseImageRepository } from './reference';
import { DEFAULT_CONCURRENCY, DEFAULT_PAGE_SIZE, ECR_CONCURRENCY, DEFAULT_RETRY, DEFAULT_TIMEOUT_MS, type RegistryClient, type RegistryOptions } from './types';

export { parseImageRepository } from './reference';
export type { ImageRepository } from './reference';
export type { ImageTag, RegistryClient, RegistryOptions, RetryPolicy } from './types';

export function registryFor(repository: string, options: RegistryOptions = {}): RegistryClient {
  const parsed = parseImageRepository(repository);
  const settings = {
    env: options.env ?? process.env,
    concurrency: options.concurrency ?? (parsed.ecr ? ECR_CONCURRENCY : DEFAULT_CONCURRENCY),
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  return parsed.ecr ? createEcrClient(parsed, settings) : createOciClient(parsed.registry, settings);
}
