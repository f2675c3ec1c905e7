// Compares the derived files berth would write with what the workspace holds: what to write, what to delete.
import type { WorkspaceFiles } from '../workspace/files';
import { DERIVED_DIRS } from './derived';

export interface SyncPlan {
  write: Map<string, string>;
  delete: string[];
}

export function planSync(files: WorkspaceFiles, derived: Map<string, string>): SyncPlan {
  const write = new Map([...derived].filter(([path, content]) => files.read(path) !== content));
  const existing = DERIVED_DIRS.flatMap((dir) => listRecursive(files, dir));
  return { write, delete: existing.filter((path) => !derived.has(path)) };
}

export function describePlan(plan: SyncPlan): string {
  const lines = [...[...plan.write.keys()].map((path) => `  stale: ${path}`), ...plan.delete.map((path) => `  not derived from apps/ or environments/: ${path}`)];
  return lines.join('\n');
}

function listRecursive(files: WorkspaceFiles, dir: string): string[] {
  return files.list(dir).flatMap((entry) => {
    const path = `${dir}/${entry}`;
    return files.isDirectory(path) ? listRecursive(files, path) : [path];
  });
}
