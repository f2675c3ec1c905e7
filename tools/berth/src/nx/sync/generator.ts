// Nx sync generator: keeps argocd/, the umbrella chart and the schema copies derived from apps/ and environments/.
import type { Tree } from '@nx/devkit';
import { derivedFiles } from '../../argocd/derived';
import { describePlan, planSync } from '../../argocd/sync-plan';
import { loadWorkspace } from '../../workspace/load';
import { treeFiles } from '../tree-files';

/**
 * Applies the derived files to the tree; returns what was stale (empty when in sync). With `only` (services just
 * added), their files and the shared ones alone, and nothing deleted: other stale files are `nx sync`'s to repair.
 */
export function applyDerivedFiles(tree: Tree, only?: ReadonlySet<string>): string {
  const files = treeFiles(tree);
  const derived = derivedFiles(files, loadWorkspace(files), only);
  const plan = only ? { write: planSync(files, derived).write, delete: [] } : planSync(files, derived);
  for (const [path, content] of plan.write) tree.write(path, content);
  for (const path of plan.delete) tree.delete(path);
  return describePlan(plan);
}

export async function syncGenerator(tree: Tree) {
  const stale = applyDerivedFiles(tree);
  if (!stale) return {};
  return {
    outOfSyncMessage: `Argo CD objects, the umbrella chart or a chart's values.schema.json no longer match apps/ and environments/:\n${stale}`,
  };
}

export default syncGenerator;
