// Which API kinds an environment's cluster serves and who serves each: Kubernetes itself (env.yaml
// cluster.apiVersions), an add-on of that environment (app.yaml serves) or something installed outside this repository
// (env.yaml cluster.preInstalled). Pure: the Applications' helm.apiVersions and validate's api-provenance rule read it.
import { BerthError } from '../errors';
import { addonsIn, type Addon } from './addons';
import { BUILT_IN_KINDS } from './built-in-kinds';
import { paths, type Environment, type Workspace } from './model';

export type { Addon };

export interface ServedBy {
  by: 'addon' | 'preInstalled' | 'built-in';
  /** The add-on that serves the kind, when `by` is addon. */
  addon?: string;
}

export interface ServedApis {
  /** group/version and group/version/Kind strings, sorted and deduplicated: Helm's --api-versions takes both. */
  apiVersions: string[];
  /** By "group/version/Kind" ("v1/Pod" for the core group). */
  kinds: Map<string, ServedBy>;
}

export interface ApiKind {
  group: string;
  version: string;
  kind: string;
}

// DNS-1123 subdomain (an API group), a Kubernetes API version, and a kind as apiextensions accepts its names.kind
const GROUP = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VERSION = /^v[1-9][0-9]{0,8}((alpha|beta)[1-9][0-9]{0,8})?$/;
const KIND = /^[A-Z][A-Za-z0-9]{0,62}$/;

const BUILT_IN_GROUPS = new Set(
  Object.keys(BUILT_IN_KINDS).map((groupVersion) => parseGroupVersion(groupVersion)!.group),
);

/** "apps/v1" -> {group: apps, version: v1}; "v1" -> the core group; undefined for anything else. */
export function parseGroupVersion(text: string): { group: string; version: string } | undefined {
  const parts = text.split('/');
  if (parts.length === 1 && VERSION.test(parts[0])) return { group: '', version: parts[0] };
  if (parts.length === 2 && GROUP.test(parts[0]) && VERSION.test(parts[1]))
    return { group: parts[0], version: parts[1] };
  return undefined;
}

/** "monitoring.coreos.com/v1/ServiceMonitor" (or "v1/Pod" for the core group) -> its parts; undefined when malformed. */
export function parseApiKind(text: string): ApiKind | undefined {
  const cut = text.lastIndexOf('/');
  if (cut < 0 || !KIND.test(text.slice(cut + 1))) return undefined;
  const groupVersion = parseGroupVersion(text.slice(0, cut));
  return groupVersion && { ...groupVersion, kind: text.slice(cut + 1) };
}

export const apiVersionOf = (kind: { group: string; version: string }) =>
  kind.group ? `${kind.group}/${kind.version}` : kind.version;

/** The key of `kinds` and the form Helm's --api-versions takes: group/version/Kind. */
export const apiKindKey = (apiVersion: string, kind: string) => `${apiVersion}/${kind}`;

/** Whether Kubernetes itself defines the group (kubernetes-models ships it); CRD and aggregated groups are not. */
export const isBuiltInGroup = (group: string) => BUILT_IN_GROUPS.has(group);

/** The add-ons that run in the environment: those listing it, minus what EKS Auto Mode provides there. */
export const addonsOf = (workspace: Workspace, env: Environment): Addon[] => addonsIn(workspace.services, env);

/**
 * Entries of env.yaml cluster.apiVersions outside the built-in groups (a CRD group/version, as env.yaml listed them
 * before add-ons declared what they serve). Still honoured as served by the cluster, every kind of that group/version;
 * the api-provenance rule asks for their removal once an add-on of the repository serves them.
 */
export function legacyApiVersions(env: Environment): string[] {
  return env.cluster.apiVersions.filter((entry) => {
    const groupVersion = parseGroupVersion(entry) ?? parseApiKind(entry);
    return groupVersion !== undefined && !isBuiltInGroup(groupVersion.group);
  });
}

function malformed(entry: string, file: string, field: string, example: string): BerthError {
  return new BerthError(`"${entry}" is not an API kind (group/version/Kind).`, {
    file,
    field,
    fix: `write it like ${example}: a DNS group, a version such as v1 or v1beta1, and the kind in UpperCamelCase.`,
  });
}

export function servedApis(workspace: Workspace, env: Environment): ServedApis {
  const apiVersions = new Set<string>();
  const kinds = new Map<string, ServedBy>();
  env.cluster.apiVersions.forEach((entry, index) => {
    const groupVersion = parseGroupVersion(entry);
    const apiKind = groupVersion ? undefined : parseApiKind(entry);
    if (!groupVersion && !apiKind)
      throw new BerthError(`"${entry}" is not an API group/version.`, {
        file: paths.env(env.name),
        field: `cluster.apiVersions[${index}]`,
        fix: 'list the built-in API versions the cluster serves, like apps/v1 or policy/v1 (group/version/Kind is accepted too).',
      });
    apiVersions.add(entry);
    if (groupVersion && isBuiltInGroup(groupVersion.group))
      for (const kind of BUILT_IN_KINDS[entry] ?? []) kinds.set(apiKindKey(entry, kind), { by: 'built-in' });
    if (apiKind && isBuiltInGroup(apiKind.group)) kinds.set(entry, { by: 'built-in' });
  });
  // an add-on installs what it serves, so it owns the kind even where env.yaml also says pre-installed (the rule reports that)
  for (const addon of addonsOf(workspace, env))
    addon.addon.serves.forEach((entry, index) => {
      const apiKind = parseApiKind(entry);
      if (!apiKind)
        throw malformed(entry, paths.app(addon.name), `serves[${index}]`, 'monitoring.coreos.com/v1/ServiceMonitor');
      apiVersions.add(apiVersionOf(apiKind)).add(entry);
      if (kinds.get(entry)?.by !== 'addon') kinds.set(entry, { by: 'addon', addon: addon.name });
    });
  env.cluster.preInstalled.forEach((entry, index) => {
    const apiKind = parseApiKind(entry);
    if (!apiKind)
      throw malformed(entry, paths.env(env.name), `cluster.preInstalled[${index}]`, 'cert-manager.io/v1/Certificate');
    apiVersions.add(apiVersionOf(apiKind)).add(entry);
    if (!kinds.has(entry)) kinds.set(entry, { by: 'preInstalled' });
  });
  return { apiVersions: [...apiVersions].sort(), kinds };
}
