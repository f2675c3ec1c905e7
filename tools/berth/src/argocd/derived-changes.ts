// The derived files (Argo CD Applications, ...) that a pending change to source files alters, so one commit holds both.
import type { WorkspaceFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import { paths, type Workspace } from '../workspace/model';
import { derivedFiles } from './derived';
import { planSync } from './sync-plan';

/** The workspace as it will be once `changes` (path -> new content) are written: nothing touches the disk. */
export function withChanges(files: WorkspaceFiles, changes: ReadonlyMap<string, string>): WorkspaceFiles {
  return { ...files, read: (path) => (changes.has(path) ? changes.get(path) : files.read(path)) };
}

/**
 * Derived files whose content `changes` alter (path -> new content). Derived files that were already stale for
 * other reasons are left alone: a promotion commits its own consequences, not someone else's pending edits.
 */
export function derivedChanges(
  files: WorkspaceFiles,
  changes: ReadonlyMap<string, string>,
  /** The workspace `files` hold, when the caller loaded it already. */
  workspace: Workspace = loadWorkspace(files),
): Map<string, string> {
  const only = overlaysOnly(workspace, changes);
  const before = derivedFiles(files, workspace, only);
  const changed = withChanges(files, changes);
  const after = derivedFiles(changed, loadWorkspace(changed), only);
  const plan = planSync(changed, after);
  return new Map([...plan.write].filter(([path, content]) => before.get(path) !== content));
}

/**
 * The services whose overlays are all that `changes` touch: an overlay reaches only its own Application, so only
 * theirs are derived again (an image-update pass over a hundred services derives a few). Undefined: derive all.
 */
function overlaysOnly(workspace: Workspace, changes: ReadonlyMap<string, string>): Set<string> | undefined {
  const serviceOf = new Map(
    workspace.environments.flatMap((env) =>
      workspace.services.map((service) => [paths.overlay(env.name, service.name), service.name] as const),
    ),
  );
  const services = [...changes.keys()].map((path) => serviceOf.get(path));
  return services.every((service) => service !== undefined) ? new Set(services) : undefined;
}
