// A program berth ran that failed, as an error: the command line, how it ended and what it said on stderr, in one
// message short enough to show. It is the `cause` a wrapper (git/run.ts, helm/process.ts) gives its BerthError.

/** stderr beyond this is cut from the front: the last lines are the ones that say what went wrong. */
export const MAX_STDERR_CHARS = 8 * 1024;
/** A command line beyond this (a commit of a thousand files) is cut at the end: its program and first arguments say what ran. */
export const MAX_COMMAND_CHARS = 2 * 1024;

export interface ProcessOutcome {
  /** The program and its arguments, as berth passed them. */
  command: string[];
  cwd?: string;
  /** The exit code, or undefined when the program could not start or was killed by a signal. */
  exitCode?: number;
  signal?: string;
  stderr: string;
  /** Why it failed other than by its exit code (it could not start, it wrote more than berth reads), when it did. */
  failure?: Error;
}

/** Arguments quoted as a shell needs them, so a short line can be pasted and run again; a long one is cut. */
export function commandLine(command: string[]): string {
  const line = command
    .map((part) => (/^[\w@%+=:,./{}-]+$/.test(part) ? part : `'${part.replace(/'/g, `'\\''`)}'`))
    .join(' ');
  return line.length <= MAX_COMMAND_CHARS ? line : `${line.slice(0, MAX_COMMAND_CHARS)}…`;
}

/** The end of a long stderr, marked as cut. */
export function stderrExcerpt(stderr: string): string {
  const text = stderr.trim();
  return text.length <= MAX_STDERR_CHARS ? text : `…${text.slice(-MAX_STDERR_CHARS)}`;
}

function howItEnded(outcome: ProcessOutcome): string {
  if (outcome.failure) return `failed: ${outcome.failure.message}`;
  if (outcome.exitCode !== undefined) return `exited with ${outcome.exitCode}`;
  return outcome.signal ? `was killed by ${outcome.signal}` : 'ended without an exit code';
}

/** The parts of an execa result (reject: false) or a spawnSync result that say how the program ended. */
export interface FinishedProgram {
  exitCode?: number | null;
  signal?: string | null;
  stderr?: unknown;
  /** Why it failed other than by its exit code (execa: `cause`, spawnSync: `error`): it could not start, wrote too much. */
  cause?: unknown;
}

/** How a program ended, from what execa or spawnSync reports. */
export function outcomeOf(command: string[], cwd: string | undefined, finished: FinishedProgram): ProcessOutcome {
  return {
    command,
    cwd,
    exitCode: finished.exitCode ?? undefined,
    signal: finished.signal ?? undefined,
    stderr: finished.stderr === undefined || finished.stderr === null ? '' : String(finished.stderr),
    failure: finished.cause instanceof Error ? finished.cause : undefined,
  };
}

/** Whether the program ran to a clean exit: code 0, and no failure of its own (execa's maxBuffer ends with 0). */
export function succeeded(outcome: ProcessOutcome): boolean {
  return outcome.exitCode === 0 && !outcome.failure;
}

export class ProcessError extends Error {
  readonly command: string[];
  readonly cwd?: string;
  readonly exitCode?: number;
  readonly signal?: string;
  readonly stderr: string;

  constructor(outcome: ProcessOutcome) {
    const stderr = stderrExcerpt(outcome.stderr);
    const where = outcome.cwd ? ` (in ${outcome.cwd})` : '';
    super(
      `${commandLine(outcome.command)}${where} ${howItEnded(outcome)}${stderr ? `: ${stderr}` : ''}`,
      outcome.failure ? { cause: outcome.failure } : undefined,
    );
    this.name = 'ProcessError';
    this.command = outcome.command;
    this.cwd = outcome.cwd;
    this.exitCode = outcome.exitCode;
    this.signal = outcome.signal;
    this.stderr = stderr;
  }
}

/** What a finished process said: its end, and stdout and stderr as text without their final newline. */
export interface CollectedOutput extends FinishedProgram {
  stdout: string;
  stderr: string;
}

/** A process's output text as its callers have always read it: without the final newline. */
export const withoutFinalNewline = (text: string | null | undefined): string => (text ?? '').replace(/\r?\n$/, '');
const chomp = (chunks: Buffer[]) => withoutFinalNewline(Buffer.concat(chunks).toString('utf8'));

/**
 * Waits for a process the wrappers started (stdout and stderr piped) to end. More than `maxStdoutBytes` of stdout
 * kills it and is its failure, not memory held; `collectStdout: false` leaves stdout to a pipe into another program.
 */
export function collectOutput(
  child: import('node:child_process').ChildProcess,
  { maxStdoutBytes, collectStdout = true }: { maxStdoutBytes: number; collectStdout?: boolean },
): Promise<CollectedOutput> {
  return new Promise((resolve) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let bytes = 0;
    let failure: Error | undefined;
    if (collectStdout)
      child.stdout?.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes <= maxStdoutBytes) stdout.push(chunk);
        else if (!failure) {
          failure = new Error(`its stdout was larger than ${maxStdoutBytes} bytes`);
          child.kill();
        }
      });
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    let ended = false;
    const end = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      if (ended) return;
      ended = true;
      resolve({ exitCode, signal, cause: failure, stdout: chomp(stdout), stderr: chomp(stderr) });
    };
    child.on('error', (error) => {
      failure ??= error;
      if (child.pid === undefined) end(null, null); // it never started: no close follows
    });
    child.on('close', end);
  });
}
