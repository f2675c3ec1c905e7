// Scratch folders for staged charts: on tmpfs when the machine has one, since staging makes thousands of links.
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { cleanUpOnInterrupt } from './interrupt';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let base: string | undefined;

function scratchBase(): string {
  if (base) return base;
  base = process.env.BERTH_SCRATCH_DIR ?? tmpdir();
  if (!process.env.BERTH_SCRATCH_DIR) {
    try {
      accessSync('/dev/shm', constants.W_OK);
      base = '/dev/shm';
    } catch {
      // no tmpfs: the system temporary folder will do
    }
  }
  return base;
}

export function makeScratchDir(prefix: string): string {
  return mkdtempSync(join(scratchBase(), prefix));
}

/** A scratch folder for the length of `work`, removed afterwards and on Ctrl-C or SIGTERM. */
export async function withScratchDir<T>(prefix: string, work: (dir: string) => Promise<T>): Promise<T> {
  const dir = makeScratchDir(prefix);
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const forget = cleanUpOnInterrupt(remove);
  try {
    return await work(dir);
  } finally {
    forget();
    remove();
  }
}
