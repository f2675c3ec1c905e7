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
  const result = await execa('git', args, { cwd, reject: false, env: { GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...env } });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

export async function git(cwd: string, args: string[], env: GitEnv = {}): Promise<string> {
  const result = await tryGit(cwd, args, env);
  if (result.exitCode !== 0) {
    throw new BerthError(`git ${args.join(' ')} failed (exit ${result.exitCode}) in ${cwd}.\n${result.stderr.trim()}`, {
      fix: 'read git\'s message above; berth leaves the working tree as it was.',
    });
  }
  return result.stdout;
}
