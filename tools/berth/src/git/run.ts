// Runs git: the one place berth starts a git process, so every call gets the same environment and every failure
// carries the command line and git's own words.
import { spawn, spawnSync } from 'node:child_process';
import { BerthError } from '../errors';
import {
  collectOutput,
  outcomeOf,
  ProcessError,
  succeeded,
  withoutFinalNewline,
  type FinishedProgram,
} from '../util/process-error';

export interface GitResult {
  /** git's exit code; -1 when it could not start, was killed, or wrote more than berth reads. */
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The failed run as an error (command line, how it ended, stderr): the `cause` of a BerthError made of it. */
  failure?: ProcessError;
}

/** Variables for one git call (a commit's author, say), on top of berth's own. */
export type GitEnv = Record<string, string>;

/**
 * What every git call runs with: no prompt for credentials (berth runs unattended, a prompt would hang it), git's
 * messages in English (berth reads them), and no pager.
 */
const GIT_ENVIRONMENT: GitEnv = { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_PAGER: 'cat' };

function gitResult(cwd: string, args: string[], finished: FinishedProgram & { stdout?: unknown }): GitResult {
  const outcome = outcomeOf(['git', ...args], cwd, finished);
  const ok = succeeded(outcome);
  return {
    exitCode: outcome.failure ? -1 : (outcome.exitCode ?? -1),
    stdout: finished.stdout === undefined || finished.stdout === null ? '' : String(finished.stdout),
    stderr: outcome.stderr || (outcome.failure?.message ?? ''),
    failure: ok ? undefined : new ProcessError(outcome),
  };
}

/** What berth reads of one git call's stdout (a log of every commit is a few MiB); more fails the call. */
const MAX_OUTPUT_BYTES = 100 * 1024 * 1024;

const spawnGit = (cwd: string, args: string[], env: GitEnv) =>
  spawn('git', args, { cwd, env: { ...process.env, ...GIT_ENVIRONMENT, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });

/** Runs git and returns its output whatever the exit code; for commands whose failure is an answer (push, rebase). */
export async function tryGit(cwd: string, args: string[], env: GitEnv = {}): Promise<GitResult> {
  return gitResult(cwd, args, await collectOutput(spawnGit(cwd, args, env), { maxStdoutBytes: MAX_OUTPUT_BYTES }));
}

/** What the program git's output was piped into did, as a ProcessError when it failed. */
export interface PipedResult {
  exitCode: number;
  failure?: ProcessError;
}

/**
 * Runs git with its stdout piped into another program's stdin (`git archive | tar -x`); returns how both ended,
 * throwing neither. The other program runs with git's environment, from the same folder.
 */
export async function tryGitPiped(
  cwd: string,
  args: string[],
  into: [program: string, ...args: string[]],
): Promise<{ git: GitResult; into: PipedResult }> {
  const source = spawnGit(cwd, args, {});
  const [program, ...programArgs] = into;
  const target = spawn(program, programArgs, {
    cwd,
    env: { ...process.env, ...GIT_ENVIRONMENT },
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  // a program that ends early closes its stdin: git then fails with a broken pipe, which its exit code says
  target.stdin!.on('error', () => undefined);
  source.stdout!.pipe(target.stdin!);
  const [gitDone, intoDone] = await Promise.all([
    collectOutput(source, { maxStdoutBytes: MAX_OUTPUT_BYTES, collectStdout: false }),
    collectOutput(target, { maxStdoutBytes: MAX_OUTPUT_BYTES, collectStdout: false }),
  ]);
  const outcome = outcomeOf(into, cwd, intoDone);
  return {
    git: gitResult(cwd, args, gitDone),
    into: {
      exitCode: outcome.failure ? -1 : (outcome.exitCode ?? -1),
      failure: succeeded(outcome) ? undefined : new ProcessError(outcome),
    },
  };
}

/** tryGit for the one place that cannot wait: cleaning up as the process dies of a signal (util/interrupt.ts). */
export function tryGitSync(cwd: string, args: string[], env: GitEnv = {}): GitResult {
  const result = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENVIRONMENT, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return gitResult(cwd, args, {
    exitCode: result.status,
    signal: result.signal,
    stderr: withoutFinalNewline(result.stderr),
    cause: result.error,
    stdout: withoutFinalNewline(result.stdout),
  });
}

/** git's words when the folder is in no repository (any git version, LC_ALL=C). */
const OUTSIDE_REPOSITORY = /not a git repository/i;

/** The failure a person can act on: outside a repository the fix is plain, whatever git command berth ran. */
export function gitFailure(cwd: string, args: string[], result: GitResult): BerthError {
  // a result made elsewhere (a test's) may come without its run
  const cause =
    result.failure ??
    new ProcessError({ command: ['git', ...args], cwd, exitCode: result.exitCode, stderr: result.stderr });
  if (OUTSIDE_REPOSITORY.test(result.stderr)) {
    return new BerthError(`not a git repository: ${cwd}; berth keeps its history in git.`, {
      fix: 'run git init (and commit the workspace) or cd into the repository.',
      cause,
    });
  }
  return new BerthError(`git ${args.join(' ')} failed (exit ${result.exitCode}) in ${cwd}.\n${result.stderr.trim()}`, {
    fix: "read git's message above; berth leaves the working tree as it was.",
    cause,
  });
}

export async function git(cwd: string, args: string[], env: GitEnv = {}): Promise<string> {
  const result = await tryGit(cwd, args, env);
  if (result.exitCode !== 0) throw gitFailure(cwd, args, result);
  return result.stdout;
}
