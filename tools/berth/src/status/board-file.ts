// Where `berth status --html` may write: an .html file inside the workspace, new or a board berth wrote before.
import { closeSync, existsSync, lstatSync, openSync, readSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative, resolve } from 'node:path';
import { BerthError } from '../errors';
import { BOARD_MARKER } from './html';

const EXAMPLE = 'pass a file inside the workspace such as dist/status.html';

/**
 * Where a write of `file` lands: its folder resolved through symbolic links (folders still to be made under the
 * nearest one that exists), then its name. A link at `file` itself would be replaced, not followed.
 */
function landing(file: string): string {
  let dir = dirname(file);
  const rest = [basename(file)];
  while (!existsSync(dir) && dirname(dir) !== dir) {
    rest.unshift(basename(dir));
    dir = dirname(dir);
  }
  return join(realpathSync(dir), ...rest);
}

const within = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

function stat(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** The first bytes of a file, where a board carries its marker: enough to know it without reading a large file. */
function head(file: string): string {
  const buffer = Buffer.alloc(4096);
  const fd = openSync(file, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The absolute path of the board, checked before anything is computed or written; a BerthError naming the fix otherwise. */
export function boardFile(root: string, requested: string, shown = requested): string {
  const fail = (problem: string, fix: string): never => {
    throw new BerthError(problem, { file: shown || '""', field: '--html', fix });
  };
  if (!requested.trim()) fail('names no file.', `${EXAMPLE}.`);
  const file = resolve(root, requested);
  const existing = stat(file);
  if (existing?.isDirectory() || (existing?.isSymbolicLink() && existsSync(file) && statSync(file).isDirectory())) {
    fail('is a folder.', `name a file in it, e.g. ${join(shown, 'status.html')}.`);
  }
  if (!/^\.html?$/i.test(extname(file)))
    fail('is not an .html file; the board is an HTML page, and berth writes nothing else there.', `${EXAMPLE}.`);
  const workspace = realpathSync(root);
  if (!within(workspace, landing(file)))
    fail(`points outside the workspace ${workspace}.`, `${EXAMPLE}, and copy it from there.`);
  if (existing?.isSymbolicLink())
    fail(
      'is a symbolic link; berth would replace the link, not write where it points.',
      'remove the link, or pass another file such as dist/status.html.',
    );
  if (existing && (!existing.isFile() || !head(file).includes(BOARD_MARKER))) {
    fail(
      'exists and is not a board berth wrote; berth does not overwrite it.',
      'remove it, or pass another file such as dist/status.html.',
    );
  }
  return file;
}
