// The registry clients `berth image-update` lists tags with: registryFor() picks ECR or OCI from the repository's host.
//
// Environment variables (each module's header says more):
//   BERTH_ECR_ENDPOINT                   ECR API endpoint override (ecr.ts)
//   BERTH_REGISTRY_<HOST>_USERNAME/_PASSWORD, BERTH_REGISTRY_USERNAME/_PASSWORD, DOCKER_CONFIG   OCI credentials (auth.ts)
//   BERTH_INSECURE_REGISTRIES            comma-separated host[:port]s reached over plain HTTP; loopback always is (reference.ts)
//   BERTH_REGISTRY_TIMEOUT               seconds one registry request may take, body included (default 30)
import { BerthError } from '../errors';
import { createEcrClient } from './ecr';
import { createOciClient } from './oci';
import { parseImageRepository, type ImageRepository } from './reference';
import { createArtifactClient, type ArtifactClient } from './artifact';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_PAGE_SIZE,
  ECR_CONCURRENCY,
  DEFAULT_RETRY,
  DEFAULT_TIMEOUT_MS,
  type RegistryClient,
  type RegistryOptions,
} from './types';

export { parseImageRepository } from './reference';
export { AccessRefused } from './refused';
export type { ImageRepository } from './reference';
export type { ArtifactClient } from './artifact';
export type { ImageTag, RegistryClient, RegistryOptions, RetryPolicy } from './types';

function timeoutFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.BERTH_REGISTRY_TIMEOUT;
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
    throw new BerthError(`BERTH_REGISTRY_TIMEOUT is ${JSON.stringify(value)}, not a number of seconds.`, {
      field: 'BERTH_REGISTRY_TIMEOUT',
      fix: 'set it to the seconds one registry request may take, e.g. 30, or unset it.',
    });
  }
  return seconds * 1000;
}

/** The settings one registry client runs with: the options given, else the environment's, else the defaults. */
function settingsFor(parsed: ImageRepository, options: RegistryOptions) {
  const env = options.env ?? process.env;
  return {
    env,
    concurrency: options.concurrency ?? (parsed.ecr ? ECR_CONCURRENCY : DEFAULT_CONCURRENCY),
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    retry: { ...DEFAULT_RETRY, ...options.retry },
    timeoutMs: options.timeoutMs ?? timeoutFromEnv(env) ?? DEFAULT_TIMEOUT_MS,
  };
}

/** A client for OCI artifacts other than images (Helm charts): a manifest and its blobs, each verified by digest. */
export function artifactsFor(repository: string, options: RegistryOptions = {}): ArtifactClient {
  const parsed = parseImageRepository(repository);
  return createArtifactClient(parsed.registry, settingsFor(parsed, options));
}

export function registryFor(repository: string, options: RegistryOptions = {}): RegistryClient {
  const parsed = parseImageRepository(repository);
  const settings = settingsFor(parsed, options);
  return parsed.ecr ? createEcrClient(parsed, settings) : createOciClient(parsed.registry, settings);
}
