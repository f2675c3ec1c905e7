// Environments and services named on the command line: found, or an error that lists the names there are.
import { BerthError } from '../errors';
import { paths, type Environment, type Service, type Workspace } from './model';

const names = (items: { name: string }[]) => items.map((item) => item.name).join(', ');

export function environmentNamed(workspace: Workspace, name: string, flag = '--env'): Environment {
  const found = workspace.environments.find((candidate) => candidate.name === name);
  if (!found)
    throw new BerthError(`${flag} ${name} is not an environment.`, {
      fix: `use one of: ${names(workspace.environments)}.`,
    });
  return found;
}

export function serviceNamed(workspace: Workspace, name: string, flag?: string): Service {
  const found = workspace.services.find((candidate) => candidate.name === name);
  if (!found)
    throw new BerthError(`${flag ? `${flag} ` : ''}${name} is not a service.`, {
      fix: `use one of: ${names(workspace.services)}.`,
    });
  return found;
}

/** A service that runs in an environment; `action` says what the user meant to do there ("pin it", "roll it back"). */
export function serviceIn(
  workspace: Workspace,
  serviceName: string,
  envName: string,
  action: string,
): { service: Service; env: Environment } {
  const service = serviceNamed(workspace, serviceName);
  const env = environmentNamed(workspace, envName);
  if (!service.environments.includes(env.name)) {
    throw new BerthError(`${service.name} does not run in ${env.name}.`, {
      file: paths.app(service.name),
      field: 'environments',
      fix: `${action} where it runs: ${service.environments.join(', ')}.`,
    });
  }
  return { service, env };
}
