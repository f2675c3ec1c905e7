// Unified diffs for --dry-run, made by git itself so they read exactly like the commit would.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tryGit } from '../git/run';

export async function unifiedDiff(path: string, before: string, after: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'berth-diff-'));
  try {
    writeFileSync(join(dir, 'a'), before);
    writeFileSync(join(dir, 'b'), after);
    const result = await tryGit(dir, ['diff', '--no-index', '--no-color', '--', 'a', 'b']);
    return result.stdout.replace(/^diff --git a\/a b\/b/m, `diff --git a/${path} b/${path}`).replace(/^--- a\/a$/m, `--- a/${path}`).replace(/^\+\+\+ b\/b$/m, `+++ b/${path}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
