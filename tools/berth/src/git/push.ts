// Publishing commits to a shared remote: rebase on a rejected push and try again, so racing writers lose nothing; a
// push the remote refuses for good (a hook, permissions) or cannot take (gone, unreachable) is reported in its words.
import { setTimeout as sleep } from 'node:timers/promises';
import { BerthError } from '../errors';
import { faultPoint } from './fault';
import { git, tryGit, type GitResult } from './run';

export interface PushOptions {
  remote?: string;
  branch: string;
  attempts?: number;
  /** First backoff; doubles each attempt, with jitter so racing writers spread out. */
  baseDelayMs?: number;
  /** Called before a rebase starts (to journal it) and after one succeeded (to make the rebased commits honest). */
  onRebasing?: () => void;
  onRebased?: (upstream: string) => Promise<void>;
}

/** pushed (upToDate: the remote had it already); behind: the remote moved on; refused: the remote said no; failed: no answer. */
export type PushAttempt =
  | { status: 'pushed'; upToDate: boolean }
  | { status: 'behind' }
  | { status: 'refused'; reason: string; remoteSays: string[] }
  | { status: 'failed'; message: string };

/** A remote-side refusal that is a race with another writer (the ref moved under it), not a verdict on the commit. */
const RACE = /cannot lock ref|failed to update ref|incorrect old value|failed to lock|reference already exists/;

/** Reads `git push --porcelain`: the status line of the ref, and the `remote:` lines a hook printed. Pure. */
export function classifyPush(result: GitResult): PushAttempt {
  const line = /^([!=*+ -])\t[^\t]*\t(.*)$/m.exec(result.stdout);
  if (result.exitCode === 0) return { status: 'pushed', upToDate: line?.[1] === '=' };
  const remoteSays = result.stderr
    .split('\n')
    .filter((text) => text.startsWith('remote: '))
    .map((text) => text.slice('remote: '.length).trimEnd())
    .filter(Boolean);
  if (line?.[1] === '!') {
    const summary = line[2];
    const reason = /\((.*)\)\s*$/.exec(summary)?.[1] ?? summary;
    if (summary.startsWith('[rejected]')) return { status: 'behind' };
    if (summary.startsWith('[remote rejected]') && RACE.test(reason)) return { status: 'behind' };
    return { status: 'refused', reason, remoteSays };
  }
  const message = result.stderr
    .split('\n')
    .filter((text) => /^(fatal|error): /.test(text))
    .join('\n');
  return { status: 'failed', message: message || result.stderr.trim() || `git push exited with ${result.exitCode}` };
}

/** One push, read: what happened, and git's failed run for the `cause` of an error made of it. */
export async function pushOnce(
  cwd: string,
  remote: string,
  branch: string,
): Promise<{ attempt: PushAttempt; failure?: Error }> {
  const result = await tryGit(cwd, ['push', '--porcelain', remote, `HEAD:refs/heads/${branch}`]);
  return { attempt: classifyPush(result), failure: result.failure };
}

/** The error for a push that cannot succeed by trying again; `cause` is git's failed run. */
export function pushError(
  attempt: Extract<PushAttempt, { status: 'refused' | 'failed' }>,
  remote: string,
  branch: string,
  fix: string,
  cause?: Error,
): BerthError {
  if (attempt.status === 'refused') {
    const said = attempt.remoteSays.length
      ? `\n${attempt.remoteSays.map((line) => `  remote: ${line}`).join('\n')}`
      : '';
    return new BerthError(`${remote} refused the push to ${branch}: ${attempt.reason}.${said}`, { fix, cause });
  }
  return new BerthError(`git push to ${remote} ${branch} failed: ${attempt.message}`, {
    fix: `check the remote URL and the credentials git uses for it; ${fix}`,
    cause,
  });
}

export type PushOutcome = { pushed: true; attempts: number; upToDate: boolean } | { pushed: false; conflict: true };

/**
 * Pushes HEAD to the remote branch. A push rejected because the remote moved is followed by fetch + rebase and another
 * try; a rebase conflict (someone else changed the same lines) is aborted and reported, so the caller can recompute its
 * change on the new base. A refusal or an unreachable remote throws, in the remote's own words.
 */
export async function pushWithRebase(
  cwd: string,
  options: PushOptions,
  fix = 'run the command again once the remote takes it.',
): Promise<PushOutcome> {
  const remote = options.remote ?? 'origin';
  const attempts = options.attempts ?? 8;
  let rejected: Error | undefined;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const { attempt: push, failure } = await pushOnce(cwd, remote, options.branch);
    rejected = failure;
    if (push.status === 'pushed') return { pushed: true, attempts: attempt, upToDate: push.upToDate };
    if (push.status !== 'behind') throw pushError(push, remote, options.branch, fix, failure);
    await git(cwd, ['fetch', '--quiet', remote, options.branch]);
    const upstream = (await git(cwd, ['rev-parse', 'FETCH_HEAD'])).trim();
    options.onRebasing?.();
    faultPoint('rebasing');
    const rebase = await tryGit(cwd, ['rebase', '--quiet', upstream]);
    if (rebase.exitCode !== 0) {
      faultPoint('rebase-conflict');
      await tryGit(cwd, ['rebase', '--abort']);
      return { pushed: false, conflict: true };
    }
    faultPoint('rebased');
    await options.onRebased?.(upstream);
    const delay = (options.baseDelayMs ?? 100) * 2 ** (attempt - 1);
    await sleep(delay / 2 + Math.random() * delay);
  }
  throw new BerthError(`git push to ${remote} ${options.branch} was still rejected after ${attempts} attempts.`, {
    fix: 'many writers are pushing at once; run the command again.',
    cause: rejected,
  });
}

/** The branch HEAD is on; undefined when HEAD is detached. */
export async function checkedOutBranch(cwd: string): Promise<string | undefined> {
  const result = await tryGit(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return result.exitCode === 0 ? result.stdout.trim() : undefined;
}

export async function currentBranch(cwd: string): Promise<string> {
  return (await git(cwd, ['rev-parse', '--abbrev-ref', 'HEAD'])).trim();
}

export async function isClean(cwd: string): Promise<boolean> {
  return (await git(cwd, ['status', '--porcelain', '--untracked-files=no'])).trim() === '';
}

export async function stageFiles(cwd: string, files: string[]): Promise<void> {
  await git(cwd, ['add', '--', ...files]);
}

export async function commitStaged(cwd: string, files: string[], message: string): Promise<string> {
  await git(cwd, ['commit', '--quiet', '--no-verify', '-m', message, '--', ...files]);
  return (await git(cwd, ['rev-parse', 'HEAD'])).trim();
}

export async function commitFiles(cwd: string, files: string[], message: string): Promise<string> {
  await stageFiles(cwd, files);
  return commitStaged(cwd, files, message);
}
