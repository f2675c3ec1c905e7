// Terminal output: progress that shows on a terminal and stays quiet in CI and pipes, and failures as reports.
import { BerthError } from '../errors';

export function progress(label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY || process.env.CI) return undefined;
  return (done, total) => {
    process.stderr.write(`\r${label} ${done}/${total}`);
    if (done === total) process.stderr.write('\r\x1b[K');
  };
}

/** Where a status line goes: a terminal's stream (isTTY, columns) or any other. */
export interface LineStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/**
 * A status that changes while a command waits: one line rewritten in place on a terminal (cut to its width), a line
 * each otherwise (CI, a pipe, a log). `end` clears the line on a terminal.
 */
export function statusLine(
  stream: LineStream,
  env: Record<string, string | undefined> = process.env,
): { line: (text: string) => void; end: () => void } {
  const inPlace = Boolean(stream.isTTY) && !env.CI;
  let shown = false;
  return {
    line: (text) => {
      if (!inPlace) return void stream.write(`${text}\n`);
      const width = Math.max(20, (stream.columns ?? 120) - 1);
      stream.write(`\r\x1b[K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
      shown = true;
    },
    end: () => {
      if (shown) stream.write('\r\x1b[K');
    },
  };
}

/** What a failed command reports: the BerthError's parts, or for an unexpected error its message (and stack). */
export interface ErrorReport {
  error: string;
  file: string | null;
  line: number | null;
  field: string | null;
  fix: string | null;
  message: string;
}

/** Node's file-system failures name a path and a code; they read as berth errors, not stacks. */
const FILE_PROBLEMS: Record<string, [string, string]> = {
  ENOENT: ['does not exist.', 'create it, or name a path that exists.'],
  EACCES: ['may not be read or written by this user.', 'fix its permissions, or choose another path.'],
  EPERM: ['may not be changed by this user.', 'fix its permissions, or choose another path.'],
  EROFS: ['is on a read-only file system.', 'choose a writable path.'],
  ENOSPC: ['could not be written: the disk is full.', 'free some space and run the command again.'],
  ENOTDIR: [
    'cannot be made: a part of this path is a file, not a folder.',
    'remove or rename that file, or choose another path.',
  ],
  EISDIR: ['is a folder where a file is expected.', 'remove or rename that folder.'],
};

export function errorReport(error: unknown): ErrorReport {
  if (error instanceof BerthError) {
    return {
      error: error.problem,
      file: error.file ?? null,
      line: error.line ?? null,
      field: error.field ?? null,
      fix: error.fix ?? null,
      message: error.message,
    };
  }
  const errno = error as NodeJS.ErrnoException | undefined;
  const known = errno?.code ? FILE_PROBLEMS[errno.code] : undefined;
  if (known && errno?.path) {
    return {
      error: known[0],
      file: errno.path,
      line: null,
      field: null,
      fix: known[1],
      message: `${errno.path}: ${known[0]}\nFix: ${known[1]}`,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    error: message,
    file: null,
    line: null,
    field: null,
    fix: null,
    message: (error as Error)?.stack ?? message,
  };
}
