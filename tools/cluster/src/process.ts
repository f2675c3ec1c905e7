// The one place the cluster tooling starts programs: go, openssl and kubectl run to completion through runProgram,
// the control-plane components start as background processes through startComponent.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { BerthError } from '../../berth/src/errors';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  /** print the program's output as it comes (a long go build) instead of keeping it for the error */
  inherit?: boolean;
  fix?: string;
}

/** Runs a program to completion and returns its stdout; a failure is a BerthError with the command and its stderr. */
export function runProgram(program: string, args: string[], options: RunOptions = {}): string {
  const result = spawnSync(program, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: [
      options.input === undefined ? 'ignore' : 'pipe',
      options.inherit ? 'inherit' : 'pipe',
      options.inherit ? 'inherit' : 'pipe',
    ],
  });
  if (result.error || result.status !== 0) {
    const command = [program, ...args].join(' ');
    const why = result.error ? result.error.message : `exit ${result.status ?? result.signal}`;
    const said = (result.stderr ?? '').trim();
    throw new BerthError(`${command} failed (${why}).${said ? `\n${said.slice(-4000)}` : ''}`, {
      fix: options.fix ?? 'read the message above; the command is printed so it can be run again by hand.',
      cause: result.error,
    });
  }
  return result.stdout ?? '';
}

/** Starts a long-running component in its own process group, its output appended to `logFile`; returns its pid. */
export function startComponent(program: string, args: string[], logFile: string, env?: NodeJS.ProcessEnv): number {
  const log = openSync(logFile, 'a');
  try {
    const child = spawn(program, args, { detached: true, stdio: ['ignore', log, log], env: env ?? process.env });
    if (child.pid === undefined) throw new BerthError(`${program} did not start.`, { fix: `read ${logFile}.` });
    child.unref();
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** Whether `pid` is alive and still runs `program` (a pid file can outlive its process and the pid be reused). */
export function isRunning(pid: number, program: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const executable = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return executable === program && !/\) Z /.test(stat); // a zombie has exited, whatever kill(0) says
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** SIGTERM, then SIGKILL once `graceMs` has passed; resolves when the process is gone. Returns how it ended. */
export async function stopComponent(
  pid: number,
  program: string,
  graceMs: number,
): Promise<'stopped' | 'killed' | 'gone'> {
  if (!isRunning(pid, program)) return 'gone';
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid, program)) return 'stopped';
    await sleep(100);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return 'stopped';
  }
  while (isRunning(pid, program)) await sleep(50);
  return 'killed';
}

/** The end of a component's log, for the error that says it did not start. */
function logTail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export interface Starting {
  name: string;
  pid: number;
  binary: string;
  logFile: string;
  /** The endpoint that answers once it is healthy (for the message). */
  health: string;
  timeoutMs: number;
  /** Whether it answers yet. */
  answers: () => Promise<boolean>;
  /** The command that starts afresh after a failed start, e.g. "up --argocd". */
  restart: string;
}

/** Waits until a just-started component answers; its exit or the timeout is an error quoting the end of its log. */
export async function waitUntilHealthy(component: Starting): Promise<void> {
  const { name, pid, binary, logFile } = component;
  const deadline = Date.now() + component.timeoutMs;
  while (Date.now() < deadline) {
    if (!isRunning(pid, binary)) {
      throw new BerthError(`${name} exited while starting. The end of ${logFile}:\n${logTail(logFile)}`, {
        fix: `read ${logFile}; "npm run cluster -- down" then "${component.restart}" starts afresh.`,
      });
    }
    if (await component.answers()) return;
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new BerthError(
    `${name} did not become healthy at ${component.health} within ${component.timeoutMs / 1000} s. ` +
      `The end of ${logFile}:\n${logTail(logFile)}`,
    { fix: `read ${logFile}; "npm run cluster -- down" stops what started.` },
  );
}
