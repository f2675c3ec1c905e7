// The --dry-run patch: one `diff --git` section per overlay, as `git apply` reads it; pure, so tests read as tables.
import { structuredPatch } from 'diff';

export interface FileChange {
  /** Repository-relative, forward slashes. */
  path: string;
  before: string;
  after: string;
}

const range = (start: number, lines: number) => (lines === 1 ? `${start}` : `${start},${lines}`);

/** A unified diff of one file with git's headers; '' when nothing changed. Every line ends in a newline. */
export function filePatch({ path, before, after }: FileChange): string {
  if (before === after) return '';
  const { hunks } = structuredPatch(`a/${path}`, `b/${path}`, before, after, '', '', { context: 3 });
  const body = hunks.flatMap((hunk) => [
    `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`,
    ...hunk.lines,
  ]);
  return [`diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`, ...body]
    .map((line) => `${line}\n`)
    .join('');
}

/** The patch of several files, in path order, that `git apply` takes whole. */
export function patchOf(changes: FileChange[]): string {
  return [...changes]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map(filePatch)
    .join('');
}
