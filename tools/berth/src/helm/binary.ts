// Finds the helm berth renders an environment with: the Helm its Argo CD runs (helm/versions.ts), taken from BERTH_HELM,
// the bundled npm package of that Argo CD's row, or helm on PATH, once per Argo CD minor per process.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { BerthError } from '../errors';
import { layerBinary, layerCacheDir } from '../util/layer-binary';
import { findOnPath } from '../util/program-path';
import { writeFileAtomic } from '../util/fs';
import { runHelmBinarySync } from './process';
import { DEFAULT_ARGOCD_VERSION, helmLineFor, rendersLike, sameMajor, type HelmLine } from './versions';

/** The helm Argo CD's default minor renders with, as berth bundles it. */
export const PINNED_HELM_VERSION = helmLineFor(DEFAULT_ARGOCD_VERSION).bundle.helm;
/** helm 3.17 is the oldest berth is tested with; 4.x is what Argo CD 3.5 runs. */
const SUPPORTED = (version: string) => /^v(4\.\d+|3\.(1[7-9]|[2-9]\d))\.\d+/.test(version);

export interface HelmBinary {
  path: string;
  version: string;
  source: 'BERTH_HELM' | 'bundled' | 'PATH';
  /** The Argo CD minor this helm stands for. */
  argocd: string;
  /** The Helm minor that Argo CD runs, e.g. "4.2". */
  wanted: string;
  /** false: no binary of the wanted minor was found, so the render may differ from Argo CD's. */
  exact: boolean;
}

const resolved = new Map<string, HelmBinary>();

/** The helm an environment on Argo CD `argocdVersion` renders with, found once per Argo CD minor per process. */
export function resolveHelm(argocdVersion: string = DEFAULT_ARGOCD_VERSION): HelmBinary {
  const line = helmLineFor(argocdVersion);
  let helm = resolved.get(line.argocd);
  if (!helm) resolved.set(line.argocd, (helm = findHelm(process.env, line)));
  return helm;
}

/**
 * Looks for the row's helm in the order docs/architecture.md (Helm) gives: BERTH_HELM always wins; then a binary of the
 * wanted minor (bundled, then PATH); then the nearest of the same major (bundled, then PATH), marked not exact.
 * `line` is a parameter so tests can take the bundle away.
 */
export function findHelm(env: NodeJS.ProcessEnv, line: HelmLine): HelmBinary {
  const of = (found: Pick<HelmBinary, 'path' | 'version' | 'source'> | undefined): HelmBinary | undefined =>
    found && { ...found, argocd: line.argocd, wanted: line.helm, exact: rendersLike(found.version, line) };
  const setting = of(fromSetting(env));
  if (setting) return setting;
  const bundled = of(fromBundle(line.bundle.package));
  if (bundled?.exact) return bundled;
  const onPath = of(fromPath(env));
  if (onPath?.exact) return onPath;
  const nearest = [bundled, onPath].find((candidate) => candidate && sameMajor(candidate.version, line));
  if (nearest) return nearest;
  const major = line.helm.split('.')[0];
  throw new BerthError(
    `no usable helm binary was found for Argo CD ${line.argocd}, which renders with helm ${line.upstream}.`,
    {
      fix:
        `berth renders it with helm ${line.bundle.helm}, which ships for linux-x64 in the npm package ${line.bundle.package} ` +
        `(run "npm ci" to install it). On other platforms install helm ${line.helm} (https://helm.sh/docs/intro/install/) ` +
        `and put it on PATH, or set BERTH_HELM=/path/to/helm (a helm ${major}).`,
    },
  );
}

function fromSetting(env: NodeJS.ProcessEnv): Pick<HelmBinary, 'path' | 'version' | 'source'> | undefined {
  const path = env.BERTH_HELM;
  if (!path) return undefined;
  const { version, failure } = versionOf(path);
  if (!version) {
    // what it said, on one short line: "helm version failed (exit 3). Error: unknown command"
    const said = failure instanceof BerthError ? failure.problem.replace(/\s*\n\s*/g, ' ') : '';
    const why = said ? `: ${said.length > 300 ? `${said.slice(0, 300)}…` : said}` : '.';
    throw new BerthError(`BERTH_HELM=${path} is not a runnable helm binary${why}`, {
      field: 'BERTH_HELM',
      fix: 'point BERTH_HELM at a helm 4 binary, or unset it to use the bundled helm.',
      cause: failure,
    });
  }
  if (!SUPPORTED(version)) {
    throw new BerthError(`BERTH_HELM=${path} is helm ${version}; berth needs helm 4 (or 3.17 and later).`, {
      field: 'BERTH_HELM',
      fix: `install helm ${PINNED_HELM_VERSION} or unset BERTH_HELM to use the bundled one.`,
    });
  }
  return { path, version, source: 'BERTH_HELM' };
}

/** The helm of `packageName`'s layer (unpacked once, util/layer-binary.ts) with its version. */
export function fromBundle(packageName: string): Pick<HelmBinary, 'path' | 'version' | 'source'> | undefined {
  const binary = layerBinary(packageName, 'helm/helm');
  const version = binary && versionOf(binary).version;
  return version ? { path: binary, version, source: 'bundled' } : undefined;
}

/** helm on PATH, found as a file so its version is remembered like a bundled one's (no process per run). */
function fromPath(env: NodeJS.ProcessEnv): Pick<HelmBinary, 'path' | 'version' | 'source'> | undefined {
  const path = findOnPath('helm', env);
  if (!path) return undefined;
  const { version } = versionOf(path, env);
  return version && SUPPORTED(version) ? { path, version, source: 'PATH' } : undefined;
}

/** helm's version, or why asking failed; what helm answered is remembered per binary (path, size, modification time). */
function versionOf(path: string, env: NodeJS.ProcessEnv = process.env): { version?: string; failure?: unknown } {
  let identity: string | undefined;
  try {
    const stat = statSync(path);
    identity = `${path}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    identity = undefined; // no file to identify: ask every time
  }
  const cacheFile = join(cacheDirFor(), 'helm-versions.json');
  let known: Record<string, string> = {};
  try {
    known = JSON.parse(readFileSync(cacheFile, 'utf8'));
  } catch {
    known = {};
  }
  if (identity && known[identity]) return { version: known[identity] };
  const { version, failure } = askVersion(path, env);
  if (identity && version) {
    try {
      writeFileAtomic(cacheFile, JSON.stringify({ ...known, [identity]: version }));
    } catch {
      // a read-only cache only costs the next run a process
    }
  }
  return { version, failure };
}

function cacheDirFor(): string {
  try {
    return layerCacheDir(
      dirname(require.resolve(`${helmLineFor(DEFAULT_ARGOCD_VERSION).bundle.package}/package.json`)),
    );
  } catch {
    return process.env.BERTH_CACHE_DIR ?? join(tmpdir(), 'berth-cache');
  }
}

function askVersion(path: string, env: NodeJS.ProcessEnv): { version?: string; failure?: unknown } {
  try {
    return { version: runHelmBinarySync(path, ['version', '--template', '{{.Version}}'], { env }).trim() || undefined };
  } catch (failure) {
    return { failure };
  }
}
