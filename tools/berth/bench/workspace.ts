// A throw-away copy of the workspace to benchmark in: sources copied, node_modules linked, removed afterwards.
import { cpSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Never copied: installed packages (linked instead), build output, git history and Nx's cache. */
const SKIPPED = new Set(['node_modules', 'dist', '.git', '.nx']);

export function copyWorkspace(source: string): string {
  const root = mkdtempSync(join(tmpdir(), 'berth-bench-'));
  for (const entry of readdirSync(source)) {
    if (!SKIPPED.has(entry)) cpSync(join(source, entry), join(root, entry), { recursive: true });
  }
  symlinkSync(join(source, 'node_modules'), join(root, 'node_modules'), 'dir');
  return root;
}

export function removeWorkspace(root: string): void {
  rmSync(root, { recursive: true, force: true });
}
