// Every container asks for CPU and memory and tells Kubernetes when it is alive and ready.
import { containers, objectName, type Rule } from '../context';
import type { Finding } from '../finding';

export const resourcesRule: Rule = {
  id: 'resources',
  description: 'containers request CPU and memory and limit memory',
  check(context) {
    return context.renders.flatMap((render) =>
      render.applications.flatMap((app) =>
        containers(app.objects).flatMap(({ object, container, path }) => {
          const findings: Finding[] = [];
          for (const [field, value] of [['requests.cpu', container.resources?.requests?.cpu], ['requests.memory', container.resources?.requests?.memory], ['limits.memory', container.resources?.limits?.memory]]) {
            if (value === undefined || value === null || value === '') {
              findings.push({ rule: this.id, environment: render.environment.name, application: app.application, object: objectName(object), field: `${path}.resources.${field}`, message: `container "${container.name}" has no ${field}.`, fix: `set resources.${field} in charts/${app.service}/values.yaml or the environment overlay.` });
            }
          }
          return findings;
        }),
      ),
    );
  },
};

/** Pods that run to completion: Kubernetes never routes traffic to them nor restarts them when done, so probes do not apply. */
const RUN_TO_COMPLETION = new Set(['Job', 'CronJob']);

export const probesRule: Rule = {
  id: 'probes',
  description: 'long-running containers have liveness and readiness probes',
  check(context) {
    return context.renders.flatMap((render) =>
      render.applications.flatMap((app) =>
        containers(app.objects)
          .filter(({ object, path }) => !path.includes('initContainers') && !RUN_TO_COMPLETION.has(object.kind))
          .flatMap(({ object, container, path }) =>
            ['livenessProbe', 'readinessProbe']
              .filter((probe) => !container[probe])
              .map((probe) => ({ rule: this.id, environment: render.environment.name, application: app.application, object: objectName(object), field: `${path}.${probe}`, message: `container "${container.name}" has no ${probe}.`, fix: `set probes.${probe.replace('Probe', '')} in charts/${app.service}/values.yaml.` })),
          ),
      ),
    );
  },
};
