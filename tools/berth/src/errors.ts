// The one error type berth reports to people: what failed, where (file and field), and what to do.

export interface BerthErrorDetails {
  file?: string;
  /** 1-based line in `file`, when known: the message then reads "file:line: field: ...", as compilers write it. */
  line?: number;
  field?: string;
  fix?: string;
  cause?: unknown;
}

export class BerthError extends Error {
  readonly problem: string;
  readonly file?: string;
  readonly line?: number;
  readonly field?: string;
  readonly fix?: string;

  /** The message reads "file: field: problem Fix: ...", so any tool that prints it says where and what to do. */
  constructor(problem: string, details: BerthErrorDetails = {}) {
    const file = details.file && details.line ? `${details.file}:${details.line}` : details.file;
    const where = [file, details.field].filter(Boolean).join(': ');
    const message = (where ? `${where}: ${problem}` : problem) + (details.fix ? `\nFix: ${details.fix}` : '');
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'BerthError';
    this.problem = problem;
    this.file = details.file;
    this.line = details.line;
    this.field = details.field;
    this.fix = details.fix;
  }
}
