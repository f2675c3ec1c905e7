// Runs a helm binary: the one place berth starts helm, so every failure carries the command line and helm's own words.
// (helm/run.ts runs the helm berth resolved; helm/binary.ts asks candidate binaries their version through here.)
import { spawn, spawnSync } from 'node:child_process';
import { BerthError } from '../errors';
import { collectOutput, outcomeOf, ProcessError, succeeded } from '../util/process-error';

export interface HelmProcessOptions {
  cwd?: string;
  /** The environment helm runs with; berth's own by default. */
  env?: NodeJS.ProcessEnv;
  /** Extra context for the error message, e.g. which Application was being rendered. */
  context?: string;
}

/**
 * A helm process renders for a fraction of a second and exits, yet Go's collector, paced for long-lived servers, takes a
 * quarter of that time. Unless the caller's environment sets either variable, helm collects only once its heap reaches
 * GOMEMLIMIT: a batch of a hundred charts stays well below it.
 */
const SHORT_LIVED_GC = { GOGC: 'off', GOMEMLIMIT: '256MiB' };

function helmEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return env.GOGC !== undefined || env.GOMEMLIMIT !== undefined ? env : { ...env, ...SHORT_LIVED_GC };
}

/** helm template of a large batch prints hundreds of MiB; more than this is refused rather than held. */
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024;

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

/**
 * helm lint's findings (on stdout), one line each. helm 4 spreads a template error over indented lines of its own
 * ("[ERROR] templates/: x.yaml:1:13" then "  executing ..." then "    nil pointer ..."), and both helms follow a schema
 * finding with its chart and "- <path>: <problem>" lines: those continue the finding, up to a blank line.
 */
export function lintFindingLines(stdout: string): string[] {
  const findings: string[] = [];
  let open = false;
  for (const line of stdout.split('\n')) {
    if (/^\s*\[(ERROR|WARNING)\]/.test(line)) {
      findings.push(line.trim());
      open = true;
    } else if (open && line.trim() && !line.startsWith('==>')) findings[findings.length - 1] += ` ${line.trim()}`;
    else open = false;
  }
  return findings;
}

/** The BerthError of a failed helm run: helm's findings and words, the run itself as `cause`. */
function helmFailure(
  args: string[],
  output: { stdout: string; stderr: string },
  failure: ProcessError,
  options: HelmProcessOptions,
): BerthError {
  const context = options.context ? `${options.context}: ` : '';
  const findings = lintFindingLines(output.stdout).join('\n');
  const said = [findings, withoutNoise(output.stderr) || (failure.cause as Error | undefined)?.message]
    .filter(Boolean)
    .join('\n');
  return new BerthError(`${context}helm ${args[0]} failed (exit ${failure.exitCode ?? -1}).\n${said}`, {
    fix: "read helm's message above; it names the template or values file at fault.",
    cause: failure,
  });
}

/**
 * Runs `binary` with `args` and returns its stdout; a failure is a BerthError with helm's words. Node's own spawn, not
 * execa: loading execa takes longer than the helm process a render waits for first.
 */
export async function runHelmBinary(binary: string, args: string[], options: HelmProcessOptions = {}): Promise<string> {
  const child = spawn(binary, args, {
    cwd: options.cwd,
    env: helmEnvironment(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = await collectOutput(child, { maxStdoutBytes: MAX_OUTPUT_BYTES });
  const outcome = outcomeOf([binary, ...args], options.cwd, output);
  if (!succeeded(outcome)) throw helmFailure(args, output, new ProcessError(outcome), options);
  return output.stdout;
}

/** runHelmBinary for what must answer at once (which helm is usable is decided before anything runs). */
export function runHelmBinarySync(binary: string, args: string[], options: HelmProcessOptions = {}): string {
  const result = spawnSync(binary, args, {
    cwd: options.cwd,
    env: helmEnvironment(options.env),
    encoding: 'utf8',
    maxBuffer: MAX_OUTPUT_BYTES,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const outcome = outcomeOf([binary, ...args], options.cwd, {
    exitCode: result.status,
    signal: result.signal,
    stderr: result.stderr,
    cause: result.error,
  });
  const output = { stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  if (!succeeded(outcome)) throw helmFailure(args, output, new ProcessError(outcome), options);
  return output.stdout;
}
