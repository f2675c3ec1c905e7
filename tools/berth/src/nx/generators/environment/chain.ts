// Which services a new environment runs, and where it goes in each service's list of environments.
import type { Environment, Service, Workspace } from '../../../workspace/model';

/**
 * The services versions are promoted through the new environment: those running in the source and in `before`, or,
 * without --before, those the source promotes onwards (a tool that runs only in the source, such as the image
 * updater in dev, stays there). When nothing promotes from the source, every service of the source goes along.
 */
export function servicesJoining(workspace: Workspace, source: Environment, before: Environment | undefined): Service[] {
  const ofSource = workspace.services.filter((service) => service.environments.includes(source.name));
  if (before) return ofSource.filter((service) => service.environments.includes(before.name));
  const onwards = workspace.environments.filter((env) => env.promotesFrom === source.name).map((env) => env.name);
  if (onwards.length === 0) return ofSource;
  return ofSource.filter((service) => service.environments.some((env) => onwards.includes(env)));
}

/** Index in a service's environments list at which the new one goes: right before `before`, else right after the source. */
export function insertionIndex(environments: string[], source: string, before: string | undefined): number {
  if (before !== undefined && environments.includes(before)) return environments.indexOf(before);
  return environments.indexOf(source) + 1;
}
