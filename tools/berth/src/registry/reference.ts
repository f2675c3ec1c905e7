// Parses an image repository string into registry host and path, recognising ECR hosts; pure.
import { BerthError } from '../errors';

export interface ImageRepository {
  /** The registry host as written (lower-cased), with its port if any; `docker.io` when none is named. */
  registry: string;
  /** The repository path inside the registry, e.g. `team/app` (`library/nginx` on Docker Hub). */
  path: string;
  /** Set when the host is an ECR private registry: `<account>.dkr.ecr.<region>.amazonaws.com[.cn]`. */
  ecr?: { account: string; region: string };
}

export const DOCKER_HUB = 'docker.io';

// OCI distribution-spec name grammar: lower-case components separated by `/`.
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/;
const ECR_HOST = /^([0-9]{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

function invalid(repository: string, problem: string, fix: string): BerthError {
  return new BerthError(`image repository "${repository}" ${problem}`, { field: 'image.repository', fix });
}

/** Docker's rule: the first component names a registry when it has a dot or a port, or is `localhost`. */
function splitHost(repository: string): { host?: string; rest: string } {
  const slash = repository.indexOf('/');
  if (slash < 0) return { rest: repository };
  const first = repository.slice(0, slash);
  if (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[')) {
    return { host: first.toLowerCase(), rest: repository.slice(slash + 1) };
  }
  return { rest: repository };
}

export function parseImageRepository(repository: string): ImageRepository {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(repository)) {
    throw invalid(
      repository,
      'starts with a URL scheme.',
      'write the repository without "https://" or "http://", e.g. "registry.example.com/team/app".',
    );
  }
  if (repository.includes('@')) {
    throw invalid(
      repository,
      'carries a digest.',
      'put only the repository in image.repository; the digest belongs in image.digest.',
    );
  }
  const { host, rest } = splitHost(repository);
  if (rest.includes(':')) {
    throw invalid(
      repository,
      'carries a tag.',
      'put only the repository in image.repository; the tag belongs in image.tag of the environment overlay.',
    );
  }
  if (host !== undefined && !HOST.test(host)) {
    throw invalid(
      repository,
      `names an invalid registry host "${host}".`,
      'use a host name or IP address, optionally with ":port".',
    );
  }
  const components = rest.split('/');
  const bad = components.find((component) => !PATH_COMPONENT.test(component));
  if (bad !== undefined) {
    throw invalid(
      repository,
      `has an invalid path component "${bad}".`,
      'repository paths are lower-case letters and digits separated by ".", "_", "__" or "-", joined by "/".',
    );
  }
  const registry = host === undefined || host === 'index.docker.io' ? DOCKER_HUB : host;
  const path = registry === DOCKER_HUB && components.length === 1 ? `library/${rest}` : rest;
  const ecr = ECR_HOST.exec(registry);
  return ecr ? { registry, path, ecr: { account: ecr[1], region: ecr[2] } } : { registry, path };
}

/** The host name without its port or IPv6 brackets. */
export function hostName(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(1, registry.indexOf(']'));
  const colon = registry.lastIndexOf(':');
  return colon < 0 ? registry : registry.slice(0, colon);
}

export function isLoopback(registry: string): boolean {
  const name = hostName(registry);
  return name === 'localhost' || name === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/** Like Docker: loopback registries and those listed (host[:port] as written) in BERTH_INSECURE_REGISTRIES over plain HTTP, all others over HTTPS. */
export function registryBaseUrl(registry: string, env: NodeJS.ProcessEnv): string {
  const insecure = (env.BERTH_INSECURE_REGISTRIES ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter(Boolean);
  const plain = isLoopback(registry) || insecure.includes(registry);
  // Docker Hub's name is not its API host.
  const apiHost = registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
  return `${plain ? 'http' : 'https'}://${apiHost}`;
}
