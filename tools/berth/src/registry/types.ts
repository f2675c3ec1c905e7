// The narrow interface `berth image-update` sees of any registry: list tags, resolve a digest, ask a creation time.

export interface ImageTag {
  /** Exactly as the registry gave it; the caller checks the OCI tag grammar. */
  tag: string;
  digest?: string;
  created?: Date;
}

export interface RegistryClient {
  /** Every tag of the repository, paged to the end. ECR fills digest and created (imagePushedAt); OCI fills neither. */
  listTags(repository: string): Promise<ImageTag[]>;
  /** The manifest digest a tag points to (OCI: HEAD manifest with the right Accept headers, Docker-Content-Digest). */
  digestOf(repository: string, tag: string): Promise<string>;
  /** Image creation time: ECR imagePushedAt; OCI: the config blob's `created`, fetched only when asked. */
  createdAt(repository: string, tag: string): Promise<Date | undefined>;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  tries: number;
  /** First backoff; each later one doubles, with full jitter. */
  baseDelayMs: number;
  /** No single wait is longer; a Retry-After beyond it ends the retries. */
  maxDelayMs: number;
}

export interface RegistryOptions {
  /** Where credentials and settings are read from; process.env by default. */
  env?: NodeJS.ProcessEnv;
  /** Calls in flight at once to one registry host; 8 by default (16 for ECR). */
  concurrency?: number;
  /** Tags asked per page of an OCI tag list (`n`); 1000 by default. Small values are for tests. */
  pageSize?: number;
  retry?: Partial<RetryPolicy>;
  /** One HTTP request's limit, so a registry that never answers cannot hang berth; 30 s by default. */
  timeoutMs?: number;
}

export const DEFAULT_CONCURRENCY = 8;
/**
 * ECR's API serves a whole region and answers DescribeImages in one call per page; 16 calls at once keep a
 * pass over a hundred repositories well under a second, and a ThrottlingException is retried with backoff.
 */
export const ECR_CONCURRENCY = 16;
export const DEFAULT_PAGE_SIZE = 1000;
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY: RetryPolicy = { tries: 5, baseDelayMs: 250, maxDelayMs: 20_000 };
/** A registry inventing fresh tag-list pages forever stops here: 500 pages hold any real repository at 100 tags a page. */
export const MAX_TAG_PAGES = 500;
/** And one sending huge pages stops here: a repository with more tags than this needs a retention policy. */
export const MAX_TAGS = 100_000;
