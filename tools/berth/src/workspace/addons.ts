// Which add-ons run in an environment, and the values their charts get from env.yaml: pure, from the model alone.
import { valuePath, type EnvironmentFact } from './addon-spec';
import { isAddon, type AddonSpec, type Environment, type Service } from './model';

export type Addon = Service & { addon: AddonSpec };

/** The add-ons that run in `env`: those listing it, less what EKS Auto Mode provides where env.yaml turns it on. */
export function addonsIn(services: readonly Service[], env: Environment): Addon[] {
  return services
    .filter(isAddon)
    .filter(
      (addon) => addon.environments.includes(env.name) && !(env.cluster.autoMode && addon.addon.providedByAutoMode),
    );
}

/** Whether `service` has an Application in `env` (an add-on Auto Mode provides there has none). */
export const runsIn = (service: Service, env: Environment) =>
  service.environments.includes(env.name) &&
  !(isAddon(service) && env.cluster.autoMode && service.addon.providedByAutoMode);

/** The value of one environment fact, or undefined when the environment does not give it (roleArn under Pod Identity). */
function fact(env: Environment, addon: string, name: EnvironmentFact): string | undefined {
  switch (name) {
    case 'region':
      return env.region;
    case 'roleArn': {
      const identity = env.addons[addon];
      // under EKS Pod Identity the association gives the role; an IRSA annotation would contradict it
      return identity?.identity === 'pod-identity' ? undefined : identity?.roleArn;
    }
    default:
      return env.aws?.[name];
  }
}

/** The add-on's valuesObject: each environmentValues path set to its env.yaml fact (load.ts checked they are set). */
export function addonValues(addon: Addon, env: Environment): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [path, name] of Object.entries(addon.addon.environmentValues)) {
    const value = fact(env, addon.name, name as EnvironmentFact);
    if (value === undefined) continue;
    const segments = valuePath(path);
    let node = values;
    for (const segment of segments.slice(0, -1)) {
      const next = Object.hasOwn(node, segment) ? node[segment] : undefined;
      node = (next && typeof next === 'object' ? next : (node[segment] = {})) as Record<string, unknown>;
    }
    node[segments[segments.length - 1]] = value;
  }
  return values;
}
