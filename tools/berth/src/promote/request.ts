// Checks what `berth promote` was asked against the workspace: the environments, the services, the source in order.
import { BerthError } from '../errors';
import { environmentNamed, serviceNamed } from '../workspace/lookup';
import { paths, type Environment, type Service, type Workspace } from '../workspace/model';

export interface PromotionRequest {
  source: Environment;
  target: Environment;
  services: Service[];
  /** Services named on the command line: a refusal is an error. With --all it is reported and the rest go ahead. */
  explicit: boolean;
}

export interface RequestOptions {
  services?: string[];
  all?: boolean;
  to: string;
  from?: string;
  version?: string;
}

const names = (items: { name: string }[]) => items.map((item) => item.name).join(', ');

/** The environments from `env` back to the first, each after the one it promotes from. */
function upstream(workspace: Workspace, env: Environment): Environment[] {
  const chain: Environment[] = [];
  for (let current = env.promotesFrom; current;) {
    const next = workspace.environments.find((candidate) => candidate.name === current)!;
    chain.unshift(next);
    current = next.promotesFrom;
  }
  return chain;
}

export function resolveRequest(workspace: Workspace, options: RequestOptions): PromotionRequest {
  const target = environmentNamed(workspace, options.to, '--to');
  if (!target.promotesFrom) {
    throw new BerthError(`${target.name} is the first environment: nothing promotes into it.`, {
      file: paths.env(target.name),
      field: 'promotesFrom',
      fix: `versions reach ${target.name} by berth image-update (or berth pin); promote to one of: ${names(workspace.environments.filter((env) => env.promotesFrom))}.`,
    });
  }
  const source = environmentNamed(workspace, options.from ?? target.promotesFrom, '--from');
  if (source.name !== target.promotesFrom) {
    const chain = upstream(workspace, target);
    const index = chain.findIndex((env) => env.name === source.name);
    const problem =
      index >= 0
        ? `promoting from ${source.name} would skip ${names(chain.slice(index + 1))}`
        : `${source.name} is not on its way (${[...chain, target].map((env) => env.name).join(' -> ')})`;
    throw new BerthError(`${target.name} promotes from ${target.promotesFrom}; ${problem}.`, {
      file: paths.env(target.name),
      field: 'promotesFrom',
      fix: `promote to ${target.promotesFrom} first, then from there: berth promote <service> --to ${target.promotesFrom}, then berth promote <service> --to ${target.name}.`,
    });
  }

  const requested = options.services ?? [];
  if (options.all && requested.length)
    throw new BerthError('name services or pass --all, not both.', {
      fix: `berth promote --all --to ${target.name}, or berth promote ${requested.join(' ')} --to ${target.name}.`,
    });
  if (!options.all && !requested.length)
    throw new BerthError('no service to promote.', {
      fix: `name one or more services, or pass --all: berth promote <service>... --to ${target.name}.`,
    });
  if (options.version !== undefined && (options.all || requested.length !== 1)) {
    throw new BerthError('--version applies to one service.', {
      fix: `promote that service alone: berth promote <service> --to ${target.name} --version ${options.version}.`,
    });
  }
  const services = options.all
    ? workspace.services.filter((service) => service.environments.includes(target.name))
    : [...new Set(requested)].map((name) => {
        const service = serviceNamed(workspace, name);
        for (const env of [target, source]) {
          if (!service.environments.includes(env.name)) {
            throw new BerthError(
              `${name} does not run in ${env.name}, so it cannot be promoted ${env === target ? 'into' : 'from'} it.`,
              {
                file: paths.app(name),
                field: 'environments',
                fix: `it runs in ${service.environments.join(', ')}; add ${env.name} there (and environments/${env.name}/${name}.yaml) to run it in ${env.name}.`,
              },
            );
          }
        }
        return service;
      });
  return { source, target, services, explicit: !options.all };
}
