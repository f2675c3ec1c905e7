// Runs the helm berth resolved (helm/binary.ts) through the helm wrapper (helm/process.ts): every failure carries the
// command line and helm's own words.
import { resolveHelm } from './binary';
import { runHelmBinary } from './process';

export interface HelmRunOptions {
  cwd?: string;
  /** Extra context for the error message, e.g. which Application was being rendered. */
  context?: string;
}

export async function runHelm(args: string[], options: HelmRunOptions = {}): Promise<string> {
  return runHelmBinary(resolveHelm().path, args, options);
}
