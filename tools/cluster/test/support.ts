// What the cluster suites share: npm run cluster's CLI run against a state folder of their own, and argocd.env read.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPOSITORY = resolve(__dirname, '../../..');

export interface ClusterRun {
  code: number | null;
  out: string;
}

/**
 * npm run cluster's CLI with `env` (BERTH_CLUSTER_STATE names the suite's state folder); asynchronously, because an
 * up takes a minute, a blocked worker misses vitest's heartbeat, and a git server in the test process must keep answering.
 */
export function clusterCli(env: NodeJS.ProcessEnv): (...args: string[]) => Promise<ClusterRun> {
  return (...args) =>
    new Promise((done) => {
      execFile(
        process.execPath,
        ['-r', './tools/berth/bin/register.js', 'tools/cluster/src/cli.ts', ...args],
        { cwd: REPOSITORY, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) =>
          done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out: `${stdout}${stderr}` }),
      );
    });
}

/** The KEY=VALUE lines of the argocd.env up --argocd writes into `state`. */
export function readArgocdEnv(state: string): Record<string, string> {
  const lines = readFileSync(join(state, 'argocd.env'), 'utf8').split('\n');
  return Object.fromEntries(lines.filter((line) => /^[A-Z_]+=/.test(line)).map((line) => line.split(/=(.*)/s, 2)));
}
