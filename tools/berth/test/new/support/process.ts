// Runs a command as an async child process: slow npm and nx runs must not block the vitest worker (60 s RPC deadline).
import { spawn } from 'node:child_process';

export interface Ran {
  status: number;
  stdout: string;
  output: string;
  /** The command line, its exit code and all it printed: the message of a failed expectation. */
  describe: string;
}

/** The child's environment without what an enclosing `npm test` set, so npm and nx see only the folder they run in. */
export function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(npm_|INIT_CWD$|NODE_PATH$|VITEST|NX_)/i.test(key)),
  );
  return {
    ...env,
    CI: 'true',
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    FORCE_COLOR: '0',
    NO_COLOR: '1',
    GIT_AUTHOR_NAME: 'ci',
    GIT_AUTHOR_EMAIL: 'ci@example.com',
    GIT_COMMITTER_NAME: 'ci',
    GIT_COMMITTER_EMAIL: 'ci@example.com',
    ...extra,
  };
}

export function run(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      output += chunk;
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    const done = (status: number) =>
      resolve({ status, stdout, output, describe: `${command} ${args.join(' ')} (exit ${status}):\n${output}` });
    child.on('error', (error) => {
      output += String(error);
      done(-1);
    });
    child.on('close', (status) => done(status ?? -1));
  });
}
