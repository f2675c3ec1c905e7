// Reads the committed Application manifests under argocd/apps/<env>/ and turns each into a helm request.
import { readDocuments } from '../util/yaml-read';
import { BerthError } from '../errors';
import type { WorkspaceFiles } from '../workspace/files';
import { environmentNamed } from '../workspace/lookup';
import { paths, type Workspace } from '../workspace/model';
import { helmRequestFor, type HelmRequest } from './argo-rules';

export interface Selection {
  environments?: string[];
  services?: string[];
}

export function loadHelmRequests(
  files: WorkspaceFiles,
  workspace: Workspace,
  selection: Selection = {},
): HelmRequest[] {
  for (const env of selection.environments ?? []) environmentNamed(workspace, env);
  const environments = selection.environments?.length
    ? selection.environments
    : workspace.environments.map((env) => env.name);
  const requests: HelmRequest[] = [];
  for (const env of environments) {
    for (const entry of files.list(paths.appsDir(env)).filter((name) => name.endsWith('.yaml'))) {
      const manifest = `${paths.appsDir(env)}/${entry}`;
      const documents = readDocuments(files.read(manifest) ?? '', manifest, {
        fix: 'run `npx nx sync` to regenerate it.',
      });
      for (const application of documents) {
        const request = requestOrUnrenderedAddon(application, manifest, workspace.settings.repoURL);
        if (request) requests.push(request);
      }
    }
  }
  const services = selection.services ?? [];
  for (const service of services) {
    if (!requests.some((request) => request.service === service) && !unrenderedAddons.has(service)) {
      throw new BerthError(`--service ${service} has no Application in ${environments.join(', ')}.`, {
        fix: 'check the name against apps/, or run `npx nx sync`.',
      });
    }
  }
  return services.length ? requests.filter((request) => services.includes(request.service)) : requests;
}

const unrenderedAddons = new Set<string>();

/**
 * BRIDGE of branch `addons` until remote charts render (issue 11 item 5, branch `charts`): an add-on's Application
 * names an upstream chart, which this render cannot fetch yet, so it is left out (branch `charts` reports such
 * Applications as not rendered, with the command that fetches the chart). It retires itself: once helmRequestFor
 * takes `chart:` and OCI sources, no add-on fails here.
 */
function requestOrUnrenderedAddon(
  application: Record<string, any>,
  manifest: string,
  repoURL: string,
): HelmRequest | undefined {
  try {
    return helmRequestFor(application, manifest, repoURL);
  } catch (error) {
    if (application?.metadata?.labels?.['berth.dev/kind'] !== 'addon') throw error;
    unrenderedAddons.add(String(application.metadata.labels['berth.dev/service']));
    return undefined;
  }
}
