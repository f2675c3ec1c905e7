// File writes that never leave a half-written file behind: temporary file, then rename.
import { mkdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

const temporaryName = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);

/** `content` in a temporary file beside `path`, made whole or not at all; its name, and the first folder made for it. */
function writeTemporary(
  path: string,
  content: string | Buffer,
  mode?: number,
): { temporary: string; madeFolder?: string } {
  const madeFolder = mkdirSync(dirname(path), { recursive: true });
  const temporary = temporaryName(path);
  try {
    writeFileSync(temporary, content, mode === undefined ? undefined : { mode });
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return { temporary, madeFolder };
}

export function writeFileAtomic(path: string, content: string | Buffer, mode?: number): void {
  const { temporary } = writeTemporary(path, content, mode);
  try {
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/**
 * Files written as their contents become known, under temporary names, and put in place together by `commit`: the
 * writing happens while the caller waits for other work, and until the commit no reader sees any of them.
 */
export class PendingWrites {
  private pending: { temporary: string; path: string }[] = [];
  /** Folders made for the files, each from the first made to the file's own: a discard removes them again. */
  private folders: { first: string; last: string }[] = [];

  write(path: string, content: string): void {
    const { temporary, madeFolder } = writeTemporary(path, content);
    this.pending.push({ temporary, path });
    if (madeFolder) this.folders.push({ first: madeFolder, last: dirname(path) });
  }

  commit(): void {
    for (const { temporary, path } of this.pending) renameSync(temporary, path);
    this.pending = [];
    this.folders = [];
  }

  /** Removes every file written and the folders made for them (those still empty), as if none had been. */
  discard(): void {
    for (const { temporary } of this.pending) rmSync(temporary, { force: true });
    for (const { first, last } of this.folders.reverse()) {
      for (let folder = last; ; folder = dirname(folder)) {
        try {
          rmdirSync(folder);
        } catch {
          break; // not empty: another file lives there
        }
        if (folder === first) break;
      }
    }
    this.pending = [];
    this.folders = [];
  }
}
