// Runs helm: one wrapper, so every failure carries the command line and helm's own words.
import { BerthError } from '../errors';
import { resolveHelm } from './binary';

export interface HelmRunOptions {
  cwd?: string;
  /** Extra context for the error message, e.g. which Application was being rendered. */
  context?: string;
}

/**
 * helm 4 logs every symlink it follows (berth stages charts with symlinks, so those lines say nothing), and advises
 * its own --debug flag, which a berth user has no way to pass.
 */
function withoutNoise(stderr: string): string {
  return stderr
    .split('\n')
    .filter((line) => !line.includes('found symbolic link in path') && !/^Use --debug flag/.test(line))
    .join('\n')
    .trim();
}

export async function runHelm(args: string[], options: HelmRunOptions = {}): Promise<string> {
  const helm = resolveHelm();
  const { execa } = await import('execa'); // loaded on first use: a render with nothing to do starts no process
  const result = await execa(helm.path, args, {
    cwd: options.cwd,
    reject: false,
    maxBuffer: 512 * 1024 * 1024,
  });
  if (result.exitCode !== 0) {
    const context = options.context ? `${options.context}: ` : '';
    // helm lint reports its findings on stdout
    const findings = result.stdout
      .split('\n')
      .filter((line) => /^\s*\[(ERROR|WARNING)\]/.test(line))
      .join('\n');
    throw new BerthError(
      `${context}helm ${args[0]} failed (exit ${result.exitCode}).\n${[findings, withoutNoise(result.stderr)].filter(Boolean).join('\n')}`,
      {
        fix: "read helm's message above; it names the template or values file at fault.",
        cause: new Error(`${helm.path} ${args.join(' ')}`),
      },
    );
  }
  return result.stdout;
}
