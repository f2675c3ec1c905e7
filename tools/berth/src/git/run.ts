// Runs git: one wrapper, so every failure carries the command line and git's own words.
import { BerthError } from '../errors';

export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Variables for one git call (a commit's author, say), on top of berth's own. */
export type GitEnv = Record<string, string>;

/** Runs git and returns its output whatever the exit code; for commands whose failure is an answer (push, rebase). */
export async function tryGit(cwd: string, args: string[], env: GitEnv = {}): Promise<GitResult> {
  const { execa } = await import('execa');
  const result = await execa('git', args, {
    cwd,
    reject: false,
    env: { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...env },
  });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** git's words when the folder is in no repository (any git version, LC_ALL=C). */
const OUTSIDE_REPOSITORY = /not a git repository/i;

/** The failure a person can act on: outside a repository the fix is plain, whatever git command berth ran. */
export function gitFailure(cwd: string, args: string[], result: GitResult): BerthError {
  const cause = new Error(`git ${args.join(' ')} (exit ${result.exitCode}): ${result.stderr.trim()}`);
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
