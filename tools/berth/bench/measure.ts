// Runs a command and measures it: wall time, and peak resident memory of its whole process tree from /proc.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface Measurement {
  seconds: number;
  /** Highest sum of VmRSS over the process and all its descendants seen while polling; 0 where /proc is missing. */
  peakRssMiB: number;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface MeasureOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** How often /proc is read, in milliseconds (20-50 catches helm processes that live a fraction of a second). */
  pollMs?: number;
}

/** Direct children of a process, from /proc/<pid>/task/<tid>/children (each thread's own children). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return children; // the process has ended
  }
  for (const task of tasks) {
    try {
      for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' '))
        if (child.trim()) children.push(Number(child));
    } catch {
      // the thread has ended
    }
  }
  return children;
}

/** Parent pid of every process, from /proc/<pid>/stat: the slower way, for kernels without the children files. */
function parentPids(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // comm may hold spaces and parentheses: the fields start after the last ")"
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended between readdir and read
    }
  }
  return parents;
}

const HAS_CHILDREN_FILES = existsSync(`/proc/${process.pid}/task/${process.pid}/children`);

/** The process and all its descendants. */
export function processTree(root: number): number[] {
  let childrenOfPid = childrenOf;
  if (!HAS_CHILDREN_FILES) {
    const byParent = new Map<number, number[]>();
    for (const [pid, ppid] of parentPids()) byParent.set(ppid, [...(byParent.get(ppid) ?? []), pid]);
    childrenOfPid = (pid) => byParent.get(pid) ?? [];
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    const pid = queue.shift()!;
    found.push(pid);
    queue.push(...childrenOfPid(pid));
  }
  return found;
}

/** VmRSS in KiB, or 0 for a process that is gone (or a zombie, which has no VmRSS line). */
export function residentKiB(pid: number): number {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

export function processTreeRssKiB(root: number): number {
  return processTree(root).reduce((sum, pid) => sum + residentKiB(pid), 0);
}

export function measureProcess(command: string, args: string[], options: MeasureOptions = {}): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let peakKiB = 0;
    const sample = () => {
      if (child.pid !== undefined && child.exitCode === null) peakKiB = Math.max(peakKiB, processTreeRssKiB(child.pid));
    };
    const timer = setInterval(sample, options.pollMs ?? 25);
    sample();
    child.on('error', (error) => {
      clearInterval(timer);
      reject(new Error(`could not start ${command} ${args.join(' ')}: ${error.message}`, { cause: error }));
    });
    child.on('close', (exitCode) => {
      const seconds = (performance.now() - started) / 1000;
      clearInterval(timer);
      resolve({
        seconds,
        peakRssMiB: peakKiB / 1024,
        exitCode,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
      });
    });
  });
}
