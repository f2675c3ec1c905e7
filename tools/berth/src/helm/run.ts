// Runs a helm berth resolved (helm/binary.ts: by default the one Argo CD's default minor uses) through the helm wrapper
// (helm/process.ts): every failure carries the command line and helm's own words.
import { resolveHelm, type HelmBinary } from './binary';
import { runHelmBinary } from './process';

export interface HelmRunOptions {
  cwd?: string;
  /** Extra context for the error message, e.g. which Application was being rendered. */
  context?: string;
  /** The helm to run: a request's (ResolvedRequest.helm); the default Argo CD's when unset. */
  helm?: HelmBinary;
}

export async function runHelm(args: string[], options: HelmRunOptions = {}): Promise<string> {
  return runHelmBinary((options.helm ?? resolveHelm()).path, args, options);
}
