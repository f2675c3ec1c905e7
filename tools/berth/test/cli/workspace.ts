// A scratch copy of the example platform and a way to run the real berth CLI in it.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repo = join(__dirname, '../../../..');
const berthBin = join(repo, 'tools/berth/bin/berth.js');

export function copyExample(extra: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'berth-cli-'));
  for (const entry of ['charts', 'environments', 'argocd', 'apps', 'berth.yaml', ...extra]) cpSync(join(repo, entry), join(dir, entry), { recursive: true });
  return dir;
}

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

export function berth(cwd: string, ...args: string[]): Run {
  const result = spawnSync(process.execPath, [berthBin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' }, maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function edit(dir: string, path: string, change: (text: string) => string): void {
  writeFileSync(join(dir, path), change(readFileSync(join(dir, path), 'utf8')));
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}
