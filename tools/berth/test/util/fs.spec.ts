// util/fs: writes that a reader never sees half done, and a set of writes that shows all at once or not at all.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PendingWrites, writeFileAtomic } from '../../src/util/fs';

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), 'berth-fs-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('writeFileAtomic', () => {
  it('replaces a file whole and leaves no temporary file', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'a.yaml'), 'old\n');
    writeFileAtomic(join(dir, 'a.yaml'), 'new\n');
    expect(readFileSync(join(dir, 'a.yaml'), 'utf8')).toBe('new\n');
    expect(readdirSync(dir)).toEqual(['a.yaml']);
  });
});

describe('PendingWrites', () => {
  it('shows none of its files before commit, and all of them after', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'kept.yaml'), 'old\n');
    const writes = new PendingWrites();
    writes.write(join(dir, 'kept.yaml'), 'new\n');
    writes.write(join(dir, 'out/dev/a.yaml'), 'a\n');
    expect(readFileSync(join(dir, 'kept.yaml'), 'utf8')).toBe('old\n');
    expect(existsSync(join(dir, 'out/dev/a.yaml'))).toBe(false);
    writes.commit();
    expect(readFileSync(join(dir, 'kept.yaml'), 'utf8')).toBe('new\n');
    expect(readFileSync(join(dir, 'out/dev/a.yaml'), 'utf8')).toBe('a\n');
    expect(readdirSync(join(dir, 'out/dev'))).toEqual(['a.yaml']);
  });

  it('discards its files and the folders it made, and nothing else', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'kept.yaml'), 'old\n');
    const writes = new PendingWrites();
    writes.write(join(dir, 'kept.yaml'), 'new\n');
    writes.write(join(dir, 'out/dev/a.yaml'), 'a\n');
    writes.write(join(dir, 'out/stage/b.yaml'), 'b\n');
    writes.discard();
    expect(readdirSync(dir)).toEqual(['kept.yaml']);
    expect(readFileSync(join(dir, 'kept.yaml'), 'utf8')).toBe('old\n');
  });

  it('keeps a folder it made when another file came to live there', () => {
    const dir = scratch();
    const writes = new PendingWrites();
    writes.write(join(dir, 'out/dev/a.yaml'), 'a\n');
    writeFileSync(join(dir, 'out/other.txt'), 'someone else\n');
    writes.discard();
    expect(readdirSync(join(dir, 'out'))).toEqual(['other.txt']);
  });
});
