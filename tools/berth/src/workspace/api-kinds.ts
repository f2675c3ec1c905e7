// PLACEHOLDER of branch `addons` (issue 11): helper C's branch `provenance` owns this file. At merge keep C's version;
// this one only gives the signature ADDONS.md §3 fixes, so the derived Applications can take their apiVersions here.
// The API group/versions and kinds an environment serves: its cluster's built-ins, its add-ons' and what is pre-installed.
import { addonsIn } from './addons';
import type { Environment, Workspace } from './model';

export interface ServedApis {
  apiVersions: string[];
  kinds: Map<string, { by: 'addon' | 'preInstalled' | 'built-in'; addon?: string }>;
}

/** Built-ins, then each add-on's group/versions and group/version/Kinds, then pre-installed ones; sorted, no repeats. */
export function servedApis(workspace: Workspace, env: Environment): ServedApis {
  const kinds: ServedApis['kinds'] = new Map();
  for (const addon of addonsIn(workspace.services, env))
    for (const kind of addon.addon.serves) if (!kinds.has(kind)) kinds.set(kind, { by: 'addon', addon: addon.name });
  for (const kind of env.cluster.preInstalled) if (!kinds.has(kind)) kinds.set(kind, { by: 'preInstalled' });
  const groupVersions = [...kinds.keys()].map((kind) => kind.slice(0, kind.lastIndexOf('/')));
  const apiVersions = [...new Set([...env.cluster.apiVersions, ...groupVersions.sort(), ...[...kinds.keys()].sort()])];
  return { apiVersions, kinds };
}
