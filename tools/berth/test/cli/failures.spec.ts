// How a command fails: with --json the failure is a JSON object on stdout (error, file, line, field, fix) for every
// command that has --json; outside a git repository the git-reading commands say so plainly.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth, berthWith, copyExample, snapshot } from './workspace';

describe('--json failures', () => {
  let dir: string;
  let notEmpty: string;
  beforeAll(() => {
    dir = copyExample(); // no git repository: the commands that read history fail on that
    notEmpty = mkdtempSync(join(tmpdir(), 'berth-taken-'));
    writeFileSync(join(notEmpty, 'README.md'), 'taken\n');
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(notEmpty, { recursive: true, force: true });
  });

  it.each([
    ['render', ['render', '--env', 'qa', '--json'], /--env qa is not an environment/],
    ['validate', ['validate', '--service', 'nope', '--json'], /--service nope has no Application/],
    ['image-update', ['image-update', '--env', 'qa', '--json'], /not a git repository/],
    ['promote', ['promote', 'service-a', '--to', 'qa', '--json'], /qa is not an environment/],
    ['rollback', ['rollback', 'service-a', '--env', 'dev', '--json'], /not a git repository/],
    ['status', ['status', '--json'], /not a git repository/],
    ['diff', ['diff', '--json'], /not in a git repository/],
    ['an unknown option', ['render', '--json', '--bogus'], /unknown option '--bogus'/],
  ])('%s', (_command, args, error) => {
    const before = snapshot(dir);
    const run = berth(dir, ...args);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['error', 'file', 'field', 'fix']));
    expect(report.error).toMatch(error);
    expect(report.fix).toEqual(expect.any(String));
    expect(run.stdout).not.toMatch(/--debug|read helm's message/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('upgrade', () => {
    const run = berth(notEmpty, 'upgrade', '--json');
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: expect.stringMatching(/is not a berth workspace/),
      fix: expect.any(String),
    });
  });

  it('new', () => {
    const run = berth(
      tmpdir(),
      'new',
      notEmpty,
      '--org',
      'acme',
      '--repo-url',
      'https://github.com/acme/x.git',
      '--aws-account',
      '123456789012',
      '--region',
      'eu-west-1',
      '--domain',
      'example.com',
      '--json',
    );
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: expect.stringMatching(/not empty/),
      fix: expect.any(String),
    });
  });

  it('image-policy test', () => {
    const run = berthWith({ cwd: dir, input: '1.0.0\n' }, 'image-policy', 'test', '-', '--strategy', 'bogus', '--json');
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ field: '--strategy', fix: expect.any(String) });
  });

  it('a value file and key come through as their own fields', () => {
    const broken = copyExample();
    writeFileSync(join(broken, 'environments/dev/service-a.yaml'), 'image:\n  tag: 1.10\n');
    const run = berth(broken, 'render', '--env', 'dev', '--service', 'service-a', '--json');
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      file: 'environments/dev/service-a.yaml',
      line: 2,
      field: 'image.tag',
      fix: 'quote it as "1.10": write tag: "1.10".',
    });
    rmSync(broken, { recursive: true, force: true });
  });

  it('without --json, stdout stays empty and the message goes to stderr', () => {
    const run = berth(dir, 'status');
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `berth: not a git repository: ${dir}; berth keeps its history in git.\nFix: run git init (and commit the workspace) or cd into the repository.\n`,
    );
  });
});
