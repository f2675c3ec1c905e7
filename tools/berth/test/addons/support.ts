// Add-on tests' helpers: the example platform with some files replaced, without touching the disk.
import type { WorkspaceFiles } from '../../src/workspace/files';
import { diskFiles } from '../../src/workspace/files';
import { repo } from '../cli/workspace';

/** The example platform with some files replaced (path -> new text, or a function of the old one). */
export function example(changes: Record<string, string | ((text: string) => string)>): WorkspaceFiles {
  const files = diskFiles(repo);
  return {
    ...files,
    read: (path) => {
      const change = changes[path];
      if (change === undefined) return files.read(path);
      return typeof change === 'string' ? change : change(files.read(path) ?? '');
    },
  };
}

/** A change that replaces the one match of `pattern`; a test whose pattern no longer matches fails instead of passing. */
export const replaceLine = (pattern: RegExp, line: string) => (text: string) => {
  if (!pattern.test(text)) throw new Error(`test setup: ${pattern} not in the file`);
  return text.replace(pattern, line);
};
