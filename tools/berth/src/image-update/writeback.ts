// Writes image.tag and image.digest into an overlay, changing those bytes and no others (comments and layout stay).
import { isMap, isScalar, parseDocument, type Pair, type YAMLMap } from 'yaml';
import { BerthError } from '../errors';

/** OCI distribution-spec tag grammar; anything else from a registry is refused, so no tag can inject YAML. */
export const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;

export interface ImageVersion {
  tag: string;
  digest?: string;
}

export function readImageVersion(text: string, file: string): ImageVersion {
  const document = parseDocument(text);
  if (document.errors.length) throw new BerthError(`is not valid YAML: ${document.errors[0].message}`, { file });
  const tag = document.getIn(['image', 'tag']);
  const digest = document.getIn(['image', 'digest']);
  return { tag: tag === undefined || tag === null ? '' : String(tag), digest: digest ? String(digest) : undefined };
}

/** Returns the overlay text with image.tag (and image.digest when given, removed when null) set. */
export function writeImageVersion(text: string, file: string, version: { tag: string; digest?: string | null }): string {
  if (!OCI_TAG.test(version.tag)) throw new BerthError(`refusing to write tag ${JSON.stringify(version.tag)}: not an OCI tag.`, { file, field: 'image.tag' });
  if (version.digest && !SHA256_DIGEST.test(version.digest)) throw new BerthError(`refusing to write digest ${JSON.stringify(version.digest)}: not sha256:<64 hex>.`, { file, field: 'image.digest' });
  let result = setScalar(text, file, 'tag', version.tag);
  if (version.digest) result = setScalar(result, file, 'digest', version.digest);
  else if (version.digest === null) result = removeKey(result, file, 'digest');
  return result;
}

function imageMap(text: string, file: string): { map?: YAMLMap; document: ReturnType<typeof parseDocument> } {
  const document = parseDocument(text, { keepSourceTokens: true });
  if (document.errors.length) throw new BerthError(`is not valid YAML: ${document.errors[0].message}`, { file });
  const image = document.get('image', true);
  if (image !== undefined && !isMap(image)) throw new BerthError('must be a mapping.', { file, field: 'image' });
  return { map: image as YAMLMap | undefined, document };
}

function setScalar(text: string, file: string, key: string, value: string): string {
  const quoted = JSON.stringify(value);
  const { map, document } = imageMap(text, file);
  if (!map) {
    if (!isMap(document.contents) && document.contents !== null) throw new BerthError('must be a YAML mapping.', { file });
    return `${text}${text.endsWith('\n') || text === '' ? '' : '\n'}image:\n  ${key}: ${quoted}\n`;
  }
  const pair = map.items.find((item) => isScalar(item.key) && item.key.value === key) as Pair | undefined;
  if (pair && isScalar(pair.value) && pair.value.range) {
    const [start, end] = pair.value.range;
    return text.slice(0, start) + quoted + text.slice(end);
  }
  if (pair) throw new BerthError('must be a plain value.', { file, field: `image.${key}` });
  // a new key goes after the map's last entry, indented like its first
  const first = map.items[0];
  const last = map.items[map.items.length - 1];
  if (!first || !isScalar(first.key) || !first.key.range || map.flow) throw new BerthError('is written in a form berth cannot extend.', { file, field: 'image', fix: `write image as a block mapping with a ${key} key.` });
  const lineStart = text.lastIndexOf('\n', first.key.range[0]) + 1;
  const indent = text.slice(lineStart, first.key.range[0]);
  const lastEnd = (last.value as { range?: [number, number, number] })?.range?.[1] ?? (last.key as { range: [number, number, number] }).range[1];
  const insertAt = text.indexOf('\n', lastEnd);
  const line = `${indent}${key}: ${quoted}`;
  return insertAt === -1 ? `${text}\n${line}\n` : `${text.slice(0, insertAt + 1)}${line}\n${text.slice(insertAt + 1)}`;
}

function removeKey(text: string, file: string, key: string): string {
  const { map } = imageMap(text, file);
  const pair = map?.items.find((item) => isScalar(item.key) && item.key.value === key);
  if (!pair || !isScalar(pair.key) || !pair.key.range) return text;
  const lineStart = text.lastIndexOf('\n', pair.key.range[0]) + 1;
  const lineEnd = text.indexOf('\n', (pair.value as { range?: [number, number, number] })?.range?.[1] ?? pair.key.range[1]);
  return text.slice(0, lineStart) + (lineEnd === -1 ? '' : text.slice(lineEnd + 1));
}
