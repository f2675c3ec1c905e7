// Every container asks for CPU and memory and tells Kubernetes when it is alive and ready.
import { allContainers, objectName, type Rule } from '../context';

const RESOURCES = ['requests.cpu', 'requests.memory', 'limits.memory'];

export const resourcesRule: Rule = {
  id: 'resources',
  description: 'containers request CPU and memory and limit memory',
  check(context) {
    return allContainers(context).flatMap(({ object, container, path, environment, application, service }) =>
      RESOURCES.filter((field) => {
        const value = field.split('.').reduce((node, key) => node?.[key], container.resources);
        return value === undefined || value === null || value === '';
      }).map((field) => ({
        rule: this.id,
        environment,
        application,
        object: objectName(object),
        field: `${path}.resources.${field}`,
        message: `container "${container.name}" has no ${field}.`,
        fix: `set resources.${field} in charts/${service}/values.yaml or the environment overlay.`,
      })),
    );
  },
};

/** Pods that run to completion: Kubernetes never routes traffic to them nor restarts them when done, so probes do not apply. */
const RUN_TO_COMPLETION = new Set(['Job', 'CronJob']);

export const probesRule: Rule = {
  id: 'probes',
  description: 'long-running containers have liveness and readiness probes',
  check(context) {
    return allContainers(context)
      .filter(({ object, path }) => !path.includes('initContainers') && !RUN_TO_COMPLETION.has(object.kind))
      .flatMap(({ object, container, path, environment, application, service }) =>
        ['livenessProbe', 'readinessProbe']
          .filter((probe) => !container[probe])
          .map((probe) => ({
            rule: this.id,
            environment,
            application,
            object: objectName(object),
            field: `${path}.${probe}`,
            message: `container "${container.name}" has no ${probe}.`,
            fix: `set probes.${probe.replace('Probe', '')} in charts/${service}/values.yaml.`,
          })),
      );
  },
};
