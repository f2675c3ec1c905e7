// The --dry-run patch, as a table: git's headers per file, newline endings, and files never run together.
import { describe, expect, it } from 'vitest';
import { filePatch, patchOf } from '../../src/image-update/diff';

describe('filePatch', () => {
  it.each([
    [
      'one changed line',
      'image:\n  tag: "1"\n',
      'image:\n  tag: "2"\n',
      'diff --git a/p.yaml b/p.yaml\n--- a/p.yaml\n+++ b/p.yaml\n@@ -1,2 +1,2 @@\n image:\n-  tag: "1"\n+  tag: "2"\n',
    ],
    [
      'no newline at the end',
      'tag: "1"',
      'tag: "2"',
      'diff --git a/p.yaml b/p.yaml\n--- a/p.yaml\n+++ b/p.yaml\n@@ -1 +1 @@\n-tag: "1"\n\\ No newline at end of file\n+tag: "2"\n\\ No newline at end of file\n',
    ],
    [
      'a line added at the end',
      'a: 1\n',
      'a: 1\nb: 2\n',
      'diff --git a/p.yaml b/p.yaml\n--- a/p.yaml\n+++ b/p.yaml\n@@ -1 +1,2 @@\n a: 1\n+b: 2\n',
    ],
    ['nothing changed', 'a: 1\n', 'a: 1\n', ''],
  ])('%s', (_name, before, after, expected) => {
    expect(filePatch({ path: 'p.yaml', before, after })).toBe(expected);
  });

  it('joins files in path order, each section starting on its own line', () => {
    const patch = patchOf([
      { path: 'environments/dev/b.yaml', before: 'x: 1', after: 'x: 2' },
      { path: 'environments/dev/a.yaml', before: 'x: 1\n', after: 'x: 2\n' },
    ]);
    expect(patch.split('\n').filter((line) => line.startsWith('diff --git'))).toEqual([
      'diff --git a/environments/dev/a.yaml b/environments/dev/a.yaml',
      'diff --git a/environments/dev/b.yaml b/environments/dev/b.yaml',
    ]);
    expect(patch).toContain('+x: 2\ndiff --git a/environments/dev/b.yaml');
    expect(patch.endsWith('\n')).toBe(true);
  });
});
