// WorkspaceFiles with pending writes and deletions laid over another, so derivation sees a change before it is written.
import type { WorkspaceFiles } from '../workspace/files';

/** `pending` maps a path to its new content, or to null when the path is deleted. */
export function overlayFiles(base: WorkspaceFiles, pending: Map<string, string | null>): WorkspaceFiles {
  const childrenOf = (dir: string): string[] => {
    const prefix = dir === '' ? '' : `${dir}/`;
    const names = new Set(
      base.list(dir).filter((name) => pending.get(`${prefix}${name}`) !== null || hasPendingFile(`${prefix}${name}`)),
    );
    for (const [path, content] of pending) {
      if (content !== null && path.startsWith(prefix)) names.add(path.slice(prefix.length).split('/')[0]);
    }
    return [...names].sort();
  };
  const hasPendingFile = (dir: string) =>
    [...pending].some(([path, content]) => content !== null && path.startsWith(`${dir}/`));
  return {
    root: base.root,
    read: (path) => (pending.has(path) ? (pending.get(path) ?? undefined) : base.read(path)),
    list: childrenOf,
    isDirectory: (path) =>
      hasPendingFile(path) || (!pending.has(path) && base.isDirectory(path) && childrenOf(path).length > 0),
  };
}

/** No files at all: the start of a new repository. */
export function emptyFiles(root: string): WorkspaceFiles {
  return { root, read: () => undefined, list: () => [], isDirectory: () => false };
}
