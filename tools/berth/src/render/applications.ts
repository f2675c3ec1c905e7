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
      for (const application of documents)
        requests.push(helmRequestFor(application, manifest, workspace.settings.repoURL));
    }
  }
  const services = selection.services ?? [];
  for (const service of services) {
    if (!requests.some((request) => request.service === service)) {
      throw new BerthError(`--service ${service} has no Application in ${environments.join(', ')}.`, {
        fix: 'check the name against apps/, or run `npx nx sync`.',
      });
    }
  }
  return services.length ? requests.filter((request) => services.includes(request.service)) : requests;
}
