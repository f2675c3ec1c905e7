// The environment overlay, environments/<env>/<service>.yaml: the one module that reads and writes it. It owns what a
// version is there (image.tag, image.digest, chartRevision), the grammar each must follow, the rule for an overlay that
// does not exist, and the edits that change those bytes and no others (comments, order and layout stay as written).
import type { Document, Pair, Scalar, YAMLMap } from 'yaml';
import { BerthError } from '../errors';
import { loadYaml, parseYamlMappingDocument, readYamlMapping } from '../util/yaml-read';
import { isMap, type Values } from '../util/values-merge';
import type { WorkspaceFiles } from './files';
import { paths } from './model';

// the yaml package's node checks, for the edits: parsing the Document to edit has loaded the package
const isMapNode = (node: unknown): node is YAMLMap => loadYaml().isMap(node);
const isScalarNode = (node: unknown): node is Scalar => loadYaml().isScalar(node);

/** OCI distribution-spec tag grammar; anything else from a registry is refused, so no tag can inject YAML. */
export const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
export const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
/** A chart revision is a full commit id: immutable, unlike a branch or tag name. */
export const COMMIT_ID = /^[0-9a-f]{40}$/;

/**
 * A Helm chart version (SemVer 2, as Helm requires, with an optional leading v): anything else is refused on read and
 * write, so no version from a chart index or a hand edit can inject YAML or a second key.
 */
export const CHART_VERSION =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
const MAX_CHART_VERSION = 128;
export const isChartVersion = (version: string) => version.length <= MAX_CHART_VERSION && CHART_VERSION.test(version);
/** Where an add-on's overlay keeps the chart version its environment runs. */
export const CHART_VERSION_PATH = ['berth', 'chartVersion'];

/** A tag a person names as a version (pin --version, a new service's first tag): an OCI tag, and not `latest`. */
export const isPinnedTag = (tag: string) => OCI_TAG.test(tag) && tag !== 'latest';

export interface ImageVersion {
  tag: string;
  digest?: string;
}

/**
 * What an environment runs of a service: the image and the chart revision (absent: the branch Argo CD follows). Of an
 * add-on: its upstream chart version, which `tag` repeats so promote, rollback and status compare and name versions
 * of both alike.
 */
export interface DeployedVersion extends ImageVersion {
  chartRevision?: string;
  chartVersion?: string;
}

/** One overlay as read from the workspace: where it is, its text (to edit) and the version it holds. */
export interface Overlay {
  path: string;
  text: string;
  version: DeployedVersion;
}

/** The overlay of a service in an environment it runs in; one that does not exist is an error naming the fix. */
export function readOverlay(files: WorkspaceFiles, env: string, service: string): Overlay {
  const overlay = readOverlayIfPresent(files, env, service);
  if (overlay) return overlay;
  throw new BerthError('does not exist.', {
    file: paths.overlay(env, service),
    fix: `create it with image.tag, or remove ${env} from ${paths.app(service)} environments.`,
  });
}

/** The overlay, or undefined when it does not exist (for readers that report what is there and skip the rest). */
export function readOverlayIfPresent(files: WorkspaceFiles, env: string, service: string): Overlay | undefined {
  const path = paths.overlay(env, service);
  const text = files.read(path);
  return text === undefined ? undefined : { path, text, version: readDeployedVersion(text, path) };
}

/** The overlay, an empty one when it does not exist yet: for writers whose first write creates it (berth pin). */
export function readOverlayOrEmpty(files: WorkspaceFiles, env: string, service: string): Overlay {
  const path = paths.overlay(env, service);
  return readOverlayIfPresent(files, env, service) ?? { path, text: '', version: readDeployedVersion('', path) };
}

/** `1.4.3`, `1.4.3@sha256:0a1b2c3d4e5f`: how messages and reports name an image version. */
export function describeImage(version: ImageVersion): string {
  if (!version.tag) return '(none)';
  return version.digest ? `${version.tag}@${shortDigest(version.digest)}` : version.tag;
}

/** sha256:<first 12 hex>: enough to tell images apart at a glance. */
export const shortDigest = (digest: string) => digest.slice(0, 19);

const MAPPING_FIX = 'write key: value pairs at the top level, with image.tag under image.';

function parse(text: string, file: string): Document {
  return parseYamlMappingDocument(text, file, { keepSourceTokens: true, fix: MAPPING_FIX });
}

/** The value at `keys` in a mapping read from YAML; undefined where a step is missing or not a mapping. */
const valueAt = (data: Values, keys: string[]): unknown =>
  keys.reduce<unknown>((node, key) => (isMap(node) ? node[key] : undefined), data);

/** The version an overlay's text holds; `file` names it in errors (a path, or a path at a commit). */
export function readDeployedVersion(text: string, file: string): DeployedVersion {
  // read as data, not as an editable Document: every render and validate reads each overlay
  const data = readYamlMapping(text, file, { fix: MAPPING_FIX });
  const text_ = (value: unknown) => (value === undefined || value === null || value === '' ? undefined : String(value));
  const chartRevision = text_(data.chartRevision);
  if (chartRevision !== undefined && !COMMIT_ID.test(chartRevision)) {
    throw new BerthError(`is "${chartRevision}", not a full commit id.`, {
      file,
      field: 'chartRevision',
      fix: 'let berth promote write it (40 hex characters), or remove it to follow the branch.',
    });
  }
  const chartVersion = text_(valueAt(data, CHART_VERSION_PATH));
  if (chartVersion !== undefined) {
    if (!isChartVersion(chartVersion))
      throw new BerthError(`is ${JSON.stringify(chartVersion)}, not a chart version (SemVer, e.g. 1.14.0).`, {
        file,
        field: CHART_VERSION_PATH.join('.'),
        fix: 'write the version the chart repository lists, in quotes.',
      });
    if (data.image !== undefined || chartRevision !== undefined)
      throw new BerthError('holds both an add-on chart version and a service image or chart revision.', {
        file,
        field: CHART_VERSION_PATH.join('.'),
        fix: 'an add-on overlay keeps berth.chartVersion only; a service overlay image.tag (and chartRevision).',
      });
    return { tag: chartVersion, chartVersion };
  }
  return {
    tag: text_(valueAt(data, ['image', 'tag'])) ?? '',
    digest: text_(valueAt(data, ['image', 'digest'])),
    chartRevision,
  };
}

/**
 * Returns the overlay text with the version set. `digest`/`chartRevision`: a value sets it, null removes it,
 * undefined leaves it as it is.
 */
export function writeDeployedVersion(
  text: string,
  file: string,
  version: { tag: string; digest?: string | null; chartRevision?: string | null; chartVersion?: string },
): string {
  // an add-on's version is its chart version: the one home of that fact is berth.chartVersion
  if (version.chartVersion !== undefined || readChartVersion(text, file) !== undefined) {
    if (version.digest || version.chartRevision)
      throw new BerthError('an add-on runs an upstream chart version; it has no image digest or chart revision.', {
        file,
        field: CHART_VERSION_PATH.join('.'),
      });
    return writeChartVersion(text, file, version.chartVersion ?? version.tag);
  }
  if (!OCI_TAG.test(version.tag))
    throw new BerthError(`refusing to write tag ${JSON.stringify(version.tag)}: not an OCI tag.`, {
      file,
      field: 'image.tag',
    });
  if (version.digest && !SHA256_DIGEST.test(version.digest))
    throw new BerthError(`refusing to write digest ${JSON.stringify(version.digest)}: not sha256:<64 hex>.`, {
      file,
      field: 'image.digest',
    });
  if (version.chartRevision && !COMMIT_ID.test(version.chartRevision))
    throw new BerthError(
      `refusing to write chart revision ${JSON.stringify(version.chartRevision)}: not a commit id.`,
      { file, field: 'chartRevision' },
    );
  let result = setScalar(text, file, ['image', 'tag'], version.tag);
  if (version.digest) result = setScalar(result, file, ['image', 'digest'], version.digest);
  else if (version.digest === null) result = removeKey(result, file, ['image', 'digest']);
  if (version.chartRevision) result = setScalar(result, file, ['chartRevision'], version.chartRevision);
  else if (version.chartRevision === null) result = removeKey(result, file, ['chartRevision']);
  return result;
}

/** The chart version an add-on's overlay holds (berth.chartVersion), or undefined when it has none. */
export function readChartVersion(text: string, file: string): string | undefined {
  return readDeployedVersion(text, file).chartVersion;
}

/** The overlay text with berth.chartVersion set to `version`, every other byte as it was. */
export function writeChartVersion(text: string, file: string, version: string): string {
  if (!isChartVersion(version))
    throw new BerthError(`refusing to write chart version ${JSON.stringify(version)}: not a SemVer chart version.`, {
      file,
      field: CHART_VERSION_PATH.join('.'),
      fix: 'name a version the chart repository lists, e.g. 1.14.0.',
    });
  return setScalar(text, file, CHART_VERSION_PATH, version);
}

/** The mapping that holds the key at the end of `path` (the document itself for a top-level key). */
function parentMap(document: Document, file: string, path: string[]): YAMLMap | undefined {
  if (path.length === 1) return (document.contents as YAMLMap | null) ?? undefined;
  const node = document.getIn(path.slice(0, -1), true);
  if (node !== undefined && !isMapNode(node))
    throw new BerthError('must be a mapping.', { file, field: path.slice(0, -1).join('.') });
  return node as YAMLMap | undefined;
}

const findPair = (map: YAMLMap | undefined, key: string) =>
  map?.items.find((item) => isScalarNode(item.key) && item.key.value === key) as Pair | undefined;
const valueEnd = (pair: Pair) =>
  (pair.value as { range?: [number, number, number] } | null)?.range?.[1] ??
  (pair.key as { range: [number, number, number] }).range[1];

function setScalar(text: string, file: string, path: string[], value: string): string {
  const quoted = JSON.stringify(value);
  const key = path[path.length - 1];
  const document = parse(text, file);
  const map = parentMap(document, file, path);
  const pair = findPair(map, key);
  if (pair && isScalarNode(pair.value) && pair.value.range) {
    const [start, end] = pair.value.range;
    return text.slice(0, start) + quoted + text.slice(end);
  }
  if (pair) throw new BerthError('must be a plain value.', { file, field: path.join('.') });
  const separator = text.endsWith('\n') || text === '' ? '' : '\n';
  if (!map || map.items.length === 0) {
    // no such mapping yet: append it at the end of the file
    const block = path
      .map((part, depth) => `${'  '.repeat(depth)}${part}:${depth === path.length - 1 ? ` ${quoted}` : ''}`)
      .join('\n');
    if (path.length > 1 && map)
      throw new BerthError('is an empty mapping berth cannot extend.', {
        file,
        field: path.slice(0, -1).join('.'),
        fix: `write ${path.join('.')} into it.`,
      });
    return `${text}${separator}${block}\n`;
  }
  // a new key goes after the map's last entry, indented like its first
  const first = map.items[0];
  if (!isScalarNode(first.key) || !first.key.range || map.flow) {
    throw new BerthError('is written in a form berth cannot extend.', {
      file,
      field: path.slice(0, -1).join('.') || '(top level)',
      fix: `write it as a block mapping with a ${key} key.`,
    });
  }
  const lineStart = text.lastIndexOf('\n', first.key.range[0]) + 1;
  const indent = text.slice(lineStart, first.key.range[0]);
  // a block value may already end past its newline; otherwise insert at the start of the next line
  const end = valueEnd(map.items[map.items.length - 1]);
  const nextLine = text.indexOf('\n', end);
  const insertAt = text[end - 1] === '\n' ? end : nextLine === -1 ? text.length : nextLine + 1;
  const before = text.slice(0, insertAt);
  return `${before}${before.endsWith('\n') || before === '' ? '' : '\n'}${indent}${key}: ${quoted}\n${text.slice(insertAt)}`;
}

function removeKey(text: string, file: string, path: string[]): string {
  const pair = findPair(parentMap(parse(text, file), file, path), path[path.length - 1]);
  if (!pair || !isScalarNode(pair.key) || !pair.key.range) return text;
  const lineStart = text.lastIndexOf('\n', pair.key.range[0]) + 1;
  const lineEnd = text.indexOf('\n', valueEnd(pair));
  return text.slice(0, lineStart) + (lineEnd === -1 ? '' : text.slice(lineEnd + 1));
}
