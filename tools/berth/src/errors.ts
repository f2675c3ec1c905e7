// The one error type berth reports to people: what failed, where (file and field), and what to do.

export interface BerthErrorDetails {
  file?: string;
  field?: string;
  fix?: string;
  cause?: unknown;
}

export class BerthError extends Error {
  readonly file?: string;
  readonly field?: string;
  readonly fix?: string;

  constructor(message: string, details: BerthErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'BerthError';
    this.file = details.file;
    this.field = details.field;
    this.fix = details.fix;
  }

  /** One paragraph: location, problem, fix. */
  describe(): string {
    const where = [this.file, this.field].filter(Boolean).join(': ');
    const parts = [where ? `${where}: ${this.message}` : this.message];
    if (this.fix) parts.push(`Fix: ${this.fix}`);
    return parts.join('\n');
  }
}
