// What an image-update pass looks at: each service of each environment that takes updates, with its policy.
import { BerthError } from '../errors';
import { mergePolicies, parsePolicy, type ImagePolicy } from '../policy';
import type { WorkspaceFiles } from '../workspace/files';
import { environmentNamed, serviceNamed } from '../workspace/lookup';
import { isAddon, paths, type Environment, type Pin, type Service, type Workspace } from '../workspace/model';
import { readOverlay, type ImageVersion } from '../workspace/overlay';
import { imageRepository } from '../workspace/values';

export interface Target {
  env: Environment;
  service: Service;
  repository: string;
  policy: ImagePolicy;
  pin?: Pin;
  overlay: string;
  overlayText: string;
  current: ImageVersion;
}

/** An environment takes image updates unless env.yaml says `imageUpdates: {enabled: false}` (versions arrive by promotion). */
export const takesImageUpdates = (env: Environment) => env.imageUpdates.enabled !== false;

export function findTargets(
  files: WorkspaceFiles,
  workspace: Workspace,
  selection: { environments?: string[]; services?: string[] },
): Target[] {
  for (const env of selection.environments ?? []) environmentNamed(workspace, env);
  for (const name of selection.services ?? []) {
    const service = serviceNamed(workspace, name, '--service');
    if (isAddon(service))
      throw new BerthError(
        `${name} is an add-on: it runs an upstream chart, whose version image-update does not move.`,
        {
          file: paths.app(name),
          field: 'kind',
          fix: `move its chart version with berth chart-update --service ${name}, or berth promote ${name}.`,
        },
      );
  }
  const environments = selection.environments?.length
    ? workspace.environments.filter((env) => selection.environments!.includes(env.name))
    : workspace.environments.filter(takesImageUpdates);
  for (const env of environments.filter((candidate) => !takesImageUpdates(candidate))) {
    throw new BerthError(
      `${env.name} takes versions by promotion only (imageUpdates.enabled: false), never straight from a registry.`,
      {
        file: paths.env(env.name),
        field: 'imageUpdates.enabled',
        fix: `promote into it: berth promote <service> --to ${env.name}.`,
      },
    );
  }
  return environments.flatMap((env) =>
    workspace.services
      .filter(
        (service) =>
          // an add-on runs an upstream chart: its version moves by chart-update, not by image tags
          !isAddon(service) &&
          service.environments.includes(env.name) &&
          (!selection.services?.length || selection.services.includes(service.name)),
      )
      .map((service) => {
        const overlay = readOverlay(files, env.name, service.name);
        const { enabled: _enabled, ...environmentPolicy } = env.imageUpdates;
        const policy = parsePolicy(mergePolicies(environmentPolicy, service.imageUpdates), {
          file: `${paths.env(env.name)} + ${paths.app(service.name)}`,
          field: 'imageUpdates',
        });
        return {
          env,
          service,
          repository: imageRepository(files, env.name, service.name),
          policy,
          pin: service.pins[env.name],
          overlay: overlay.path,
          overlayText: overlay.text,
          current: { tag: overlay.version.tag, digest: overlay.version.digest },
        };
      }),
  );
}
