// The git wrapper with the real git: what a failure says (command line, exit code, git's words, the run as cause),
// and that every way of running git (async, sync) gets the same environment.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import { git, tryGit, tryGitSync } from '../../src/git/run';
import { ProcessError } from '../../src/util/process-error';
import { git as gitSync } from '../cli/workspace';

let repo: string;
let outside: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'berth-git-run-'));
  gitSync(repo, 'init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'a.txt'), 'a\n');
  gitSync(repo, 'add', 'a.txt');
  gitSync(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'first');
  outside = mkdtempSync(join(tmpdir(), 'berth-no-repo-'));
});

async function failure(cwd: string, args: string[]): Promise<BerthError> {
  const error = await git(cwd, args).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(BerthError);
  return error as BerthError;
}

describe('git(): a failure says what ran and what git said', () => {
  it.each([
    [
      'a revision that is not there',
      () => repo,
      ['rev-parse', '--verify', '--quiet', 'no-such-branch^{commit}'],
      (dir: string) => `git rev-parse --verify --quiet no-such-branch^{commit} failed (exit 1) in ${dir}.\n`,
      /^git rev-parse --verify --quiet 'no-such-branch\^\{commit\}' \(in .*\) exited with 1$/,
    ],
    [
      'an unknown option',
      () => repo,
      ['log', '--no-such-option'],
      (dir: string) =>
        `git log --no-such-option failed (exit 128) in ${dir}.\nfatal: unrecognized argument: --no-such-option`,
      /^git log --no-such-option \(in .*\) exited with 128: fatal: unrecognized argument: --no-such-option$/,
    ],
    [
      'a folder outside any repository',
      () => outside,
      ['log', '-1'],
      (dir: string) => `not a git repository: ${dir}; berth keeps its history in git.`,
      /^git log -1 \(in .*\) exited with 128: fatal: not a git repository/,
    ],
  ])('%s', async (_what, cwd, args, problem, cause) => {
    const error = await failure(cwd(), args);
    expect(error.problem).toBe(problem(cwd()));
    expect(error.fix).toBeTruthy();
    expect(error.cause).toBeInstanceOf(ProcessError);
    const run = error.cause as ProcessError;
    expect(run.message).toMatch(cause);
    expect(run).toMatchObject({ command: ['git', ...args], cwd: cwd() });
  });
});

describe('tryGit and tryGitSync', () => {
  // an alias that prints the environment git runs with
  const printEnv = ['-c', 'alias.env=!printenv GIT_TERMINAL_PROMPT LC_ALL GIT_PAGER', 'env'];

  it('run git with one environment: no prompt, English messages, no pager', async () => {
    const expected = { exitCode: 0, stdout: '0\nC\ncat', stderr: '', failure: undefined };
    expect(await tryGit(repo, printEnv)).toEqual(expected);
    expect(tryGitSync(repo, printEnv)).toEqual(expected);
  });

  it('report a failure alike, with the run as an error to pass on as cause', async () => {
    const args = ['cat-file', '-e', `${'0'.repeat(40)}^{commit}`];
    const [async, sync] = [await tryGit(repo, args), tryGitSync(repo, args)];
    expect(async.exitCode).toBe(128);
    expect(async.failure).toBeInstanceOf(ProcessError);
    expect({ ...sync, failure: sync.failure?.message }).toEqual({ ...async, failure: async.failure?.message });
  });

  it('add a call’s own variables to berth’s', async () => {
    const result = await tryGit(repo, printEnv, { GIT_PAGER: 'less' });
    expect(result.stdout).toBe('0\nC\nless');
  });
});
