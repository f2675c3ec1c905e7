// What a failed command reports, as a table: berth's own errors by their parts, file-system errors as berth errors.
import { describe, expect, it } from 'vitest';
import { errorReport, statusLine } from '../../src/cli/output';
import { BerthError } from '../../src/errors';
import { ProcessError } from '../../src/util/process-error';

const errno = (code: string, path: string) =>
  Object.assign(new Error(`${code}: failed, open '${path}'`), { code, path });

describe('errorReport', () => {
  it.each([
    [
      'a BerthError with file, line, field and fix',
      new BerthError('is not a value charts/a knows.', {
        file: 'environments/dev/a.yaml',
        line: 3,
        field: 'replcas',
        fix: 'rename it.',
      }),
      {
        error: 'is not a value charts/a knows.',
        file: 'environments/dev/a.yaml',
        line: 3,
        field: 'replcas',
        fix: 'rename it.',
        message: 'environments/dev/a.yaml:3: replcas: is not a value charts/a knows.\nFix: rename it.',
      },
    ],
    [
      'a BerthError with only a problem',
      new BerthError('nothing to do.'),
      { error: 'nothing to do.', file: null, line: null, field: null, fix: null, message: 'nothing to do.' },
    ],
    [
      'a file that is not there',
      errno('ENOENT', '/w/x.yaml'),
      { error: 'does not exist.', file: '/w/x.yaml', fix: expect.stringMatching(/create it/) },
    ],
    [
      'a file berth may not write',
      errno('EACCES', '/w/dist'),
      { file: '/w/dist', fix: expect.stringMatching(/permissions/) },
    ],
    ['a full disk', errno('ENOSPC', '/w/dist/a.yaml'), { error: expect.stringMatching(/disk is full/) }],
  ])('%s', (_what, error, expected) => {
    expect(errorReport(error)).toMatchObject(expected);
  });

  it('keeps the stack of an error berth did not expect, for the bug report', () => {
    const report = errorReport(new TypeError('x is undefined'));
    expect(report).toMatchObject({ error: 'x is undefined', file: null, fix: null });
    expect(report.message).toMatch(/TypeError: x is undefined\n\s+at /);
  });

  it('never prints a cause: a secret or a huge output in it stays out of the message and the JSON', () => {
    const secret = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB';
    const cause = new ProcessError({
      command: ['git', 'push', `https://x:${secret}@github.com/o/r.git`],
      exitCode: 128,
      stderr: `${'x'.repeat(100_000)}\nfatal: ${secret}`,
    });
    const details = { file: 'environments/dev/a.yaml', field: 'image.tag', fix: 'set it.' };
    const withCause = errorReport(new BerthError('is empty.', { ...details, cause }));
    expect(withCause).toEqual(errorReport(new BerthError('is empty.', details)));
    expect(Object.keys(withCause)).toEqual(['error', 'file', 'line', 'field', 'fix', 'message']);
    const unexpected = errorReport(new Error('x is undefined', { cause })).message;
    expect(unexpected).toMatch(/^Error: x is undefined\n\s+at /);
    expect(unexpected).not.toContain(secret);
    expect(unexpected.length).toBeLessThan(10_000);
  });
});

describe('statusLine', () => {
  const stream = (isTTY: boolean, columns?: number) => {
    const written: string[] = [];
    return { written, isTTY, columns, write: (text: string) => written.push(text) };
  };

  it('rewrites one line in place on a terminal, cut to its width, and clears it at the end', () => {
    const tty = stream(true, 30);
    const status = statusLine(tty, {});
    status.line('waiting for Argo CD (2s): 0/1 Synced and Healthy');
    status.line('short');
    status.end();
    expect(tty.written).toEqual(['\r\x1b[Kwaiting for Argo CD (2s): 0/…', '\r\x1b[Kshort', '\r\x1b[K']);
  });

  it('writes plain lines to a pipe and in CI, and nothing to clear', () => {
    for (const [target, env] of [
      [stream(false), {}],
      [stream(true, 30), { CI: 'true' }],
    ] as const) {
      const status = statusLine(target, env);
      status.line('waiting for Argo CD (2s): 0/1 Synced and Healthy');
      status.end();
      expect(target.written).toEqual(['waiting for Argo CD (2s): 0/1 Synced and Healthy\n']);
    }
  });
});
