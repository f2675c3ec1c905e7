// A commit's folder on disk through `git archive | tar -x`, with a real repository: the files as they were in that
// commit, and failures that name the pipeline, say git's words and keep git's run as cause.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import { extractTree } from '../../src/git/archive';
import { ProcessError } from '../../src/util/process-error';
import { git } from '../cli/workspace';

let repo: string;
let withoutCharts: string;
let withCharts: string;
beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'berth-archive-'));
  const commit = (message: string) => {
    git(repo, 'add', '-A');
    git(repo, '-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', message);
    return git(repo, 'rev-parse', 'HEAD');
  };
  git(repo, 'init', '-q', '-b', 'main');
  writeFileSync(join(repo, 'berth.yaml'), 'repoURL: https://example.invalid/platform.git\n');
  withoutCharts = commit('no charts yet');
  mkdirSync(join(repo, 'charts/service-a/templates'), { recursive: true });
  writeFileSync(join(repo, 'charts/service-a/Chart.yaml'), 'name: service-a\nversion: 1.0.0\n');
  writeFileSync(join(repo, 'charts/service-a/templates/a.yaml'), 'kind: ConfigMap\n');
  withCharts = commit('charts');
  // the working tree moves on: extraction reads the commit, not the files on disk
  writeFileSync(join(repo, 'charts/service-a/Chart.yaml'), 'name: service-a\nversion: 2.0.0\n');
});

const scratch = () => join(mkdtempSync(join(tmpdir(), 'berth-extract-')), 'out');

describe('extractTree', () => {
  it('writes the folder as it is in the commit, at its path under the target, and only that folder', async () => {
    const target = scratch();
    await extractTree(repo, withCharts, 'charts', target);
    expect(readdirSync(target)).toEqual(['charts']);
    expect(readFileSync(join(target, 'charts/service-a/Chart.yaml'), 'utf8')).toBe('name: service-a\nversion: 1.0.0\n');
    expect(readFileSync(join(target, 'charts/service-a/templates/a.yaml'), 'utf8')).toBe('kind: ConfigMap\n');
  });

  it.each([
    ['a commit without the folder', () => withoutCharts, "fatal: pathspec 'charts' did not match any files"],
    ['a commit the clone does not have', () => 'f'.repeat(40), `fatal: not a tree object: ${'f'.repeat(40)}`],
    ['a name that is no revision', () => 'no-such-branch', 'fatal: not a valid object name: no-such-branch'],
  ])('%s: the pipeline, git’s words and git’s run as cause', async (_what, revision, said) => {
    const target = scratch();
    const error = await extractTree(repo, revision(), 'charts', target).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BerthError);
    expect((error as BerthError).problem).toBe(
      `git archive --format=tar ${revision()} -- charts | tar -x -C ${target} failed in ${repo}: git exited with 128.\n${said}`,
    );
    expect((error as BerthError).fix).toMatch(new RegExp(`check that ${revision()} is a commit of this clone`));
    const cause = (error as BerthError).cause as ProcessError;
    expect(cause).toBeInstanceOf(ProcessError);
    expect(cause).toMatchObject({
      command: ['git', 'archive', '--format=tar', revision(), '--', 'charts'],
      exitCode: 128,
    });
    expect(cause.message).toContain(said);
    expect(readdirSync(target)).toEqual([]);
  });

  it('refuses a revision that git would read as an option, and writes nothing', async () => {
    const target = scratch();
    const stray = join(tmpdir(), `berth-stray-${process.pid}.tar`);
    rmSync(stray, { force: true });
    await expect(extractTree(repo, `--output=${stray}`, 'charts', target)).rejects.toThrow(
      `"--output=${stray}" is not a revision: it starts with a dash.`,
    );
    expect(existsSync(stray)).toBe(false);
    expect(existsSync(target)).toBe(false);
  });
});
