// Unpacks a chart archive (.tgz) into a folder, refusing whatever could escape it: links, devices, absolute or `..`
// paths, entries outside the chart's own top folder, and archives that inflate past helm's own limit.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BerthError } from '../errors';

/** helm refuses charts that decompress to more than this (loader.MaxDecompressedChartSize). */
export const MAX_CHART_BYTES = 100 * 1024 * 1024;
const MAX_ENTRIES = 20_000;
const BLOCK = 512;

function octal(header: Buffer, offset: number, length: number): number {
  const text = header
    .toString('latin1', offset, offset + length)
    .replace(/\0.*$/s, '')
    .trim();
  return text === '' ? 0 : parseInt(text, 8);
}

function text(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.toString('utf8', 0, end < 0 ? raw.length : end);
}

/** The `path` record of a PAX extended header, if any ("<len> path=<value>\n" records). */
function paxPath(data: Buffer): string | undefined {
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    if (space < 0) break;
    const length = parseInt(data.toString('latin1', offset, space), 10);
    if (!Number.isFinite(length) || length <= 0) break;
    const record = data.toString('utf8', space + 1, offset + length - 1);
    if (record.startsWith('path=')) return record.slice('path='.length);
    offset += length;
  }
  return undefined;
}

/**
 * Unpacks `archive` (the bytes of a chart .tgz) into `target`/<chart name>/ and returns that folder. `source` names the
 * archive in messages. Every entry must lie under `<name>/`, as `helm package` writes it.
 */
export function unpackChart(archive: Buffer, name: string, target: string, source: string): string {
  const bad = (problem: string, cause?: unknown) =>
    new BerthError(`the chart archive of ${source} ${problem}`, {
      fix: 'the repository serves a broken or hostile chart; use a version it serves intact, or ask its maintainers.',
      cause,
    });
  let tar: Buffer;
  try {
    tar = gunzipSync(archive, { maxOutputLength: MAX_CHART_BYTES });
  } catch (error) {
    throw bad(`is not a gzip archive within ${MAX_CHART_BYTES / 1024 / 1024} MiB unpacked.`, error);
  }
  const root = join(target, name);
  let offset = 0;
  let entries = 0;
  let longName: string | undefined;
  let files = 0;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    if (++entries > MAX_ENTRIES) throw bad(`holds more than ${MAX_ENTRIES} entries.`);
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 0x30);
    const dataStart = offset + BLOCK;
    if (!Number.isSafeInteger(size) || size < 0 || dataStart + size > tar.length) throw bad('is truncated.');
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x' || type === 'L') {
      longName = type === 'x' ? paxPath(data) : data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    if (type === 'g') continue;
    const prefix = text(header, 345, 155);
    const path = longName ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    longName = undefined;
    const normalized = posix.normalize(path).replace(/\/+$/, '');
    if (
      posix.isAbsolute(path) ||
      path.split('/').includes('..') ||
      path.includes('\\') ||
      (normalized !== name && !normalized.startsWith(`${name}/`))
    )
      throw bad(`holds "${path.slice(0, 200)}", outside its chart folder ${name}/.`);
    if (type === '5') {
      mkdirSync(join(target, normalized), { recursive: true });
      continue;
    }
    if (type !== '0' && type !== '7') throw bad(`holds "${path.slice(0, 200)}", a link or device (tar type ${type}).`);
    const file = join(target, normalized);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, data, { flag: 'wx' }); // an entry named twice would overwrite what was already checked
    files += 1;
  }
  if (!files) throw bad('holds no files.');
  return root;
}
