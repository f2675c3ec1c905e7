// Finds the kubectl berth talks to a cluster with: BERTH_KUBECTL, else the kubectl 1.36 bundled in the npm package of
// AWS CDK's kubectl layer (the Kubernetes minor the example pins), else kubectl on PATH.
import { BerthError } from '../errors';
import { KUBECTL_LAYER_PACKAGE, layerBinary } from '../util/layer-binary';
import { findOnPath, isFile } from '../util/program-path';

export interface KubectlBinary {
  path: string;
  source: 'BERTH_KUBECTL' | 'bundled' | 'PATH';
}

export function findKubectl(env: NodeJS.ProcessEnv = process.env): KubectlBinary {
  if (env.BERTH_KUBECTL) {
    if (!isFile(env.BERTH_KUBECTL))
      throw new BerthError(`BERTH_KUBECTL=${env.BERTH_KUBECTL} is not a file.`, {
        field: 'BERTH_KUBECTL',
        fix: 'point BERTH_KUBECTL at a kubectl binary, or unset it to use the bundled kubectl.',
      });
    return { path: env.BERTH_KUBECTL, source: 'BERTH_KUBECTL' };
  }
  const bundled = layerBinary(KUBECTL_LAYER_PACKAGE, 'kubectl/kubectl');
  if (bundled) return { path: bundled, source: 'bundled' };
  const onPath = findOnPath('kubectl', env);
  if (onPath) return { path: onPath, source: 'PATH' };
  throw new BerthError('no kubectl was found to reach the cluster with.', {
    fix:
      `berth uses the kubectl of the npm package ${KUBECTL_LAYER_PACKAGE} on linux-x64 (run "npm ci"); elsewhere put ` +
      'kubectl on PATH or set BERTH_KUBECTL=/path/to/kubectl.',
  });
}
