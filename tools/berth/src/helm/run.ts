// Runs helm: one wrapper, so every failure carries the command line and helm's own words.
import { execa } from 'execa';
import { BerthError } from '../errors';
import { resolveHelm } from './binary';

export interface HelmRunOptions {
  cwd?: string;
  /** Extra context for the error message, e.g. which Application was being rendered. */
  context?: string;
}

/** helm 4 logs every symlink it follows; berth stages charts with symlinks, so those lines say nothing. */
function withoutNoise(stderr: string): string {
  return stderr.split('\n').filter((line) => !line.includes('found symbolic link in path')).join('\n').trim();
}

export async function runHelm(args: string[], options: HelmRunOptions = {}): Promise<string> {
  const helm = resolveHelm();
  const result = await execa(helm.path, args, {
    cwd: options.cwd,
    reject: false,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.exitCode !== 0) {
    const context = options.context ? `${options.context}: ` : '';
    throw new BerthError(`${context}helm ${args[0]} failed (exit ${result.exitCode}).\n${withoutNoise(result.stderr)}`, {
      fix: 'read helm\'s message above; it names the template or values file at fault.',
      cause: new Error(`${helm.path} ${args.join(' ')}`),
    });
  }
  return result.stdout;
}
