// A fingerprint of every file in a folder, so a hostile-input test can prove that nothing was written.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export function snapshot(dir: string, skip: string[] = ['.git', 'node_modules']): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (relative: string) => {
    for (const entry of readdirSync(join(dir, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (skip.includes(path)) continue;
      const full = join(dir, path);
      if (lstatSync(full).isSymbolicLink()) files.set(path, `link ${readlinkSync(full)}`);
      else if (entry.isDirectory()) walk(path);
      else files.set(path, createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  walk('');
  return files;
}
