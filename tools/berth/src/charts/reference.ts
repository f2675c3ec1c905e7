// A third-party chart's coordinates (repository, name, version) and their grammar; pure, so hostile input is refused
// before any of it reaches a URL, a cache path or a YAML file.
import validSemver from 'semver/functions/valid';
import { BerthError } from '../errors';
import { parseImageRepository, type ImageRepository } from '../registry/reference';

export interface ChartRef {
  /** https://host/path (a Helm repository) or oci://host/path (a registry namespace holding the chart). */
  readonly repo: string;
  readonly name: string;
  readonly version: string;
}

/** Helm's chart name grammar (letters, digits, `.`, `_`, `-`), bounded, and never a path. */
export const CHART_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** Strict SemVer 2 as helm requires of a packaged chart's version, bounded. */
export const isChartVersion = (version: string): boolean =>
  version.length <= 64 && /^[0-9A-Za-z.+-]+$/.test(version) && validSemver(version) === version;

export type RepoKind = 'https' | 'oci';

export function repoKind(repo: string): RepoKind {
  return repo.startsWith('oci://') ? 'oci' : 'https';
}

/** Loopback Helm repositories may be plain http (tests, a local mirror); every other one is https. */
const LOOPBACK_HTTP = /^http:\/\/(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(?::\d{1,5})?(?:\/|$)/;

interface Where {
  file?: string;
  field?: string;
}

function refuse(problem: string, where: Where, fix: string): never {
  throw new BerthError(problem, { file: where.file, field: where.field, fix });
}

/** A repository URL berth will talk to: https (or loopback http), or oci:// naming a registry path; no credentials. */
export function checkRepo(repo: string, where: Where = {}): string {
  // what a URL of a repository needs and nothing a shell or YAML would read: the fetch command is printed for pasting
  if (typeof repo !== 'string' || repo.length > 500 || !/^[A-Za-z0-9._~:/%[\]-]+$/.test(repo))
    refuse(`chart repository ${JSON.stringify(repo)} is not a repository URL.`, where, REPO_FIX);
  if (repo.startsWith('oci://')) {
    ociRepository(repo, where);
    return repo.replace(/\/+$/, '');
  }
  let url: URL;
  try {
    url = new URL(repo);
  } catch (error) {
    throw new BerthError(`chart repository "${repo}" is not a URL.`, { ...where, fix: REPO_FIX, cause: error });
  }
  if (url.protocol !== 'https:' && !LOOPBACK_HTTP.test(repo))
    refuse(`chart repository "${repo}" is not https:// or oci://.`, where, REPO_FIX);
  if (url.username || url.password)
    refuse(`chart repository "${repo}" carries credentials.`, where, 'name the repository without user:password@.');
  if (url.search || url.hash) refuse(`chart repository "${repo}" has a query or fragment.`, where, REPO_FIX);
  return repo.replace(/\/+$/, '');
}

const REPO_FIX =
  'name an https:// Helm repository (e.g. https://aws.github.io/eks-charts) or an oci:// registry path (e.g. oci://ghcr.io/prometheus-community/charts).';

/** The registry and path of an oci:// repository (its chart `name` appended: where the chart's tags live). */
export function ociRepository(repo: string, where: Where = {}, name = 'x'): ImageRepository {
  const rest = repo.slice('oci://'.length).replace(/\/+$/, '');
  try {
    return parseImageRepository(`${rest}/${name}`);
  } catch (error) {
    throw new BerthError(`chart repository "${repo}" is not an OCI registry path: ${(error as BerthError).problem}`, {
      ...where,
      fix: REPO_FIX,
      cause: error,
    });
  }
}

/** The image-style repository string of an OCI chart, as the registry client takes it: `host/path/name`. */
export const ociChartRepository = (ref: ChartRef): string => `${ref.repo.slice('oci://'.length)}/${ref.name}`;

/** A chart reference checked whole: the repository, the name and the version each by its grammar. */
export function chartRef(repo: string, name: string, version: string, where: Where = {}): ChartRef {
  const checkedRepo = checkRepo(String(repo ?? ''), where);
  if (typeof name !== 'string' || !CHART_NAME.test(name) || name.includes('..'))
    refuse(`chart name ${JSON.stringify(name)} is not a chart name.`, where, 'use the chart name as the repository lists it, e.g. metrics-server.');
  if (typeof version !== 'string' || !isChartVersion(version))
    refuse(
      `chart version ${JSON.stringify(version)} of ${name} is not an exact SemVer version.`,
      where,
      'write the exact version the repository lists, e.g. "3.12.2" (quoted).',
    );
  return Object.freeze({ repo: checkedRepo, name, version });
}

/** How a chart is named in messages: `metrics-server 3.12.2 from https://kubernetes-sigs.github.io/metrics-server`. */
export const describeChart = (ref: ChartRef): string => `${ref.name} ${ref.version} from ${ref.repo}`;

/** OCI tags cannot hold `+`: helm pushes a version's build metadata as `_`. */
export const ociTag = (version: string): string => version.replace(/\+/g, '_');
export const versionOfOciTag = (tag: string): string => tag.replace(/_/g, '+');

/** The one command that puts `ref` into berth's chart cache; printed wherever an uncached chart stops a render. */
export const fetchCommand = (ref: ChartRef): string => `npx berth chart-fetch ${ref.repo} ${ref.name} ${ref.version}`;
