// Pure: compares two lists of Kubernetes objects: which were added, removed and changed, and how, field by field.
import { createTwoFilesPatch, OMIT_HEADERS } from 'diff';
import { dump } from 'js-yaml';

type KubeObject = Record<string, any>;

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** One field that differs; `before` or `after` is absent when the field was added or removed. */
export interface FieldChange {
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface ObjectDifference extends ObjectRef {
  /** For a changed object, every field that differs (lists of named items matched by name); empty otherwise. */
  fields: FieldChange[];
  /** Unified diff of the object as YAML (keys sorted); all "+" for an added object, all "-" for a removed one. */
  diff: string;
  /** Set on a changed object whose only change is its version labels (every object of a chart, after a tag bump). */
  versionLabelsOnly?: true;
}

/** Labels a chart stamps on every object with the version it deploys, so one tag bump changes them all. */
export const VERSION_LABELS = ['app.kubernetes.io/version', 'helm.sh/chart'];
/** The label a field path ends in (`...labels["app.kubernetes.io/version"]`), if it is one. */
const labelOf = (path: string) => {
  const match = /(?:^|\.)labels\[("(?:[^"\\]|\\.)*")\]$/.exec(path);
  return match ? (JSON.parse(match[1]) as string) : undefined;
};

/** Whether every field that differs is a version label (of the object, its pod template or its claim templates). */
export const onlyVersionLabels = (fields: FieldChange[]) =>
  fields.length > 0 && fields.every((field) => VERSION_LABELS.includes(labelOf(field.path) ?? ''));

export interface ObjectsDiff {
  added: ObjectDifference[];
  removed: ObjectDifference[];
  changed: ObjectDifference[];
}

/**
 * An object's identity is its API group (not version), kind, namespace and name, as for the API server: moving
 * an object to a new apiVersion of the same group is a change of that object, not a removal and an addition.
 */
export function objectKey(object: KubeObject): string {
  const apiVersion = String(object.apiVersion ?? '');
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  return [group, object.kind ?? '', object.metadata?.namespace ?? '', object.metadata?.name ?? ''].join('/');
}

export function objectRef(object: KubeObject): ObjectRef {
  const namespace = object.metadata?.namespace;
  return {
    apiVersion: String(object.apiVersion ?? ''),
    kind: String(object.kind ?? ''),
    ...(namespace ? { namespace: String(namespace) } : {}),
    name: String(object.metadata?.name ?? ''),
  };
}

const isMapping = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date || b instanceof Date)
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => sameValue(item, b[index]))
    );
  }
  if (!isMapping(a) || !isMapping(b)) return false;
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameValue(a[key], b[key]))
  );
}

/** `.key`, or `["key"]` when the key is not a plain identifier (labels and annotations such as app.kubernetes.io/name). */
const keySegment = (key: string) => (/^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);
const join = (path: string, segment: string) =>
  path === '' && segment.startsWith('.') ? segment.slice(1) : path + segment;

/** Lists whose items all have a distinct string `name` (containers, env, ports, volumes) are matched by it, as Kubernetes merges them. */
function namedItems(list: unknown[]): Map<string, unknown> | undefined {
  const items = new Map<string, unknown>();
  for (const item of list) {
    if (!isMapping(item) || typeof item.name !== 'string' || items.has(item.name)) return undefined;
    items.set(item.name, item);
  }
  return items;
}

/** Every leaf-most field where `before` and `after` differ; a subtree present on one side only is one change. */
export function fieldChanges(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (sameValue(before, after)) return [];
  if (isMapping(before) && isMapping(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => fieldChanges(before[key], after[key], join(path, keySegment(key))));
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const [old, current] = [namedItems(before), namedItems(after)];
    if (old && current && before.length + after.length > 0) {
      const names = [...new Set([...old.keys(), ...current.keys()])];
      return names.flatMap((name) => fieldChanges(old.get(name), current.get(name), `${path}[name=${name}]`));
    }
    return Array.from({ length: Math.max(before.length, after.length) }, (_, index) =>
      fieldChanges(before[index], after[index], `${path}[${index}]`),
    ).flat();
  }
  return [
    { path: path || '.', ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) },
  ];
}

/** Secret values never reach a diff (a pull-request comment is widely read): each shows only whether it changed. */
export function redactSecrets(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
): [KubeObject | undefined, KubeObject | undefined] {
  const object = after ?? before;
  if (object?.kind !== 'Secret' || !/^v1$/.test(String(object.apiVersion))) return [before, after];
  const redact = (side: KubeObject | undefined, other: KubeObject | undefined, label: string) => {
    if (!side) return side;
    const copy = { ...side };
    for (const field of ['data', 'stringData']) {
      if (!isMapping(side[field])) continue;
      copy[field] = Object.fromEntries(
        Object.entries(side[field]).map(([key, value]) => [
          key,
          sameValue(value, other?.[field]?.[key]) ? '<redacted>' : `<redacted: ${label} value>`,
        ]),
      );
    }
    return copy;
  };
  return [redact(before, after, 'old'), redact(after, before, 'new')];
}

const toYaml = (object: KubeObject | undefined) =>
  object ? dump(object, { sortKeys: true, lineWidth: -1, noRefs: true }) : '';

/** The object's YAML as a unified diff (hunks only, 3 lines of context). */
export function yamlDiff(before: KubeObject | undefined, after: KubeObject | undefined): string {
  return createTwoFilesPatch('before', 'after', toYaml(before), toYaml(after), undefined, undefined, {
    context: 3,
    headerOptions: OMIT_HEADERS,
  }).replace(/^\n$/, '');
}

const byIdentity = (a: ObjectRef, b: ObjectRef) =>
  a.kind.localeCompare(b.kind) ||
  (a.namespace ?? '').localeCompare(b.namespace ?? '') ||
  a.name.localeCompare(b.name) ||
  a.apiVersion.localeCompare(b.apiVersion);

/** Compares the objects an Application had with those it has now; an object listed twice counts once (the last). */
export function compareObjects(before: KubeObject[], after: KubeObject[]): ObjectsDiff {
  const index = (objects: KubeObject[]) => new Map(objects.map((object) => [objectKey(object), object]));
  const [old, current] = [index(before), index(after)];
  const result: ObjectsDiff = { added: [], removed: [], changed: [] };
  for (const key of new Set([...old.keys(), ...current.keys()])) {
    const [was, is] = redactSecrets(old.get(key), current.get(key));
    if (was && is && sameValue(was, is)) continue;
    const fields = was && is ? fieldChanges(was, is) : [];
    const difference: ObjectDifference = {
      ...objectRef((is ?? was)!),
      fields,
      diff: yamlDiff(was, is),
      ...(onlyVersionLabels(fields) ? { versionLabelsOnly: true as const } : {}),
    };
    (!was ? result.added : !is ? result.removed : result.changed).push(difference);
  }
  for (const list of Object.values(result)) list.sort(byIdentity);
  return result;
}

export const isEmpty = (diff: ObjectsDiff) => diff.added.length + diff.removed.length + diff.changed.length === 0;
