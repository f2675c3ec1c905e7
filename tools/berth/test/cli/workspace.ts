// A scratch copy of the example platform and a way to run the real berth CLI in it.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repo = join(__dirname, '../../../..');
const berthBin = join(repo, 'tools/berth/bin/berth.js');

export function copyExample(extra: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cli-'));
  for (const entry of ['charts', 'environments', 'argocd', 'apps', 'berth.yaml', ...extra])
    cpSync(join(repo, entry), join(dir, entry), { recursive: true });
  return dir;
}

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

export function berth(cwd: string, ...args: string[]): Run {
  return berthWith({ cwd }, ...args);
}

/** berth with standard input and extra environment variables. */
export function berthWith(options: { cwd: string; input?: string; env?: NodeJS.ProcessEnv }, ...args: string[]): Run {
  const result = spawnSync(process.execPath, [berthBin, ...args], {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    env: { ...process.env, CI: 'true', ...options.env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Runs berth without blocking, so several can race, or a server in this process can answer it; `env` adds variables (undefined removes one). */
export function berthAsync(where: string | { cwd: string; env?: NodeJS.ProcessEnv }, ...args: string[]): Promise<Run> {
  const { cwd, env } = typeof where === 'string' ? { cwd: where, env: {} } : where;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [berthBin, ...args], { cwd, env: { ...process.env, CI: 'true', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

export function edit(dir: string, path: string, change: (text: string) => string): void {
  writeFileSync(join(dir, path), change(readFileSync(join(dir, path), 'utf8')));
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

/** A scratch copy of the example committed to a fresh git repository, for commands that read history (status). */
export function committedExample(): string {
  const dir = copyExample();
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(
    dir,
    '-c',
    'user.name=platform team',
    '-c',
    'user.email=platform@example.com',
    'commit',
    '-qm',
    'the example platform',
  );
  return dir;
}

/** Every file under `dir` (but .git) with its contents, to prove a failed command wrote nothing. */
export function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (relative: string) => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) visit(path);
      else files.set(path, readFileSync(join(dir, path), 'utf8'));
    }
  };
  visit('');
  return files;
}
