// A failed program as an error: the command line (quoted, cut when long), how it ended and the end of its stderr.
import { describe, expect, it } from 'vitest';
import {
  commandLine,
  MAX_COMMAND_CHARS,
  MAX_STDERR_CHARS,
  outcomeOf,
  ProcessError,
  succeeded,
  type ProcessOutcome,
} from '../../src/util/process-error';

const spawnFailure = Object.assign(new Error('spawn /no/helm ENOENT'), { code: 'ENOENT' });

describe('ProcessError', () => {
  it.each<[string, ProcessOutcome, string]>([
    [
      'an exit code and stderr',
      { command: ['git', 'log'], cwd: '/r', exitCode: 128, stderr: 'fatal: not a git repository\n' },
      'git log (in /r) exited with 128: fatal: not a git repository',
    ],
    ['no stderr', { command: ['helm', 'version'], exitCode: 3, stderr: '' }, 'helm version exited with 3'],
    [
      'a signal',
      { command: ['helm', 'template', 'x'], signal: 'SIGKILL', stderr: '' },
      'helm template x was killed by SIGKILL',
    ],
    [
      'a program that could not start',
      { command: ['/no/helm', 'version'], stderr: '', failure: spawnFailure },
      '/no/helm version failed: spawn /no/helm ENOENT',
    ],
    [
      'arguments a shell would split',
      { command: ['git', 'commit', '-m', "it's done", '--', 'a b.yaml'], exitCode: 1, stderr: 'x' },
      `git commit -m 'it'\\''s done' -- 'a b.yaml' exited with 1: x`,
    ],
  ])('%s', (_what, outcome, message) => {
    expect(new ProcessError(outcome).message).toBe(message);
  });

  it('keeps the error a program could not start with as its cause', () => {
    expect(new ProcessError({ command: ['/no/helm'], stderr: '', failure: spawnFailure }).cause).toBe(spawnFailure);
  });

  it('keeps the end of a long stderr, where the fatal line is, and cuts a long command line', () => {
    const error = new ProcessError({
      command: [
        'git',
        'commit',
        '--',
        ...Array.from({ length: 1000 }, (_, index) => `environments/dev/s${index}.yaml`),
      ],
      exitCode: 1,
      stderr: `${'noise\n'.repeat(10_000)}fatal: the last word`,
    });
    expect(error.message.length).toBeLessThan(MAX_COMMAND_CHARS + MAX_STDERR_CHARS + 100);
    expect(error.message).toMatch(/^git commit -- environments\/dev\/s0\.yaml .*… exited with 1: …noise\n/s);
    expect(error.message).toMatch(/fatal: the last word$/);
    expect(error.command).toHaveLength(1003);
  });
});

describe('outcomeOf', () => {
  it.each([
    ['exit 0', { exitCode: 0, stderr: '' }, true],
    ['exit 1', { exitCode: 1, stderr: 'no' }, false],
    ["execa's maxBuffer: exit 0, but cut short", { exitCode: 0, cause: new Error('maxBuffer exceeded') }, false],
    ['spawnSync: could not start', { exitCode: null, signal: null, cause: spawnFailure }, false],
    ['killed', { exitCode: null, signal: 'SIGTERM' }, false],
  ])('%s', (_what, finished, ok) => {
    expect(succeeded(outcomeOf(['p'], undefined, finished))).toBe(ok);
  });

  it('reads Buffers and absent streams as text', () => {
    expect(outcomeOf(['p'], '/w', { exitCode: 2, stderr: Buffer.from('said') })).toEqual({
      command: ['p'],
      cwd: '/w',
      exitCode: 2,
      signal: undefined,
      stderr: 'said',
      failure: undefined,
    });
    expect(commandLine(['p', ''])).toBe("p ''");
  });
});
