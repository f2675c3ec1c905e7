// Services reach pods: their selectors match a pod template and their target ports exist on its containers.
import { objectName, podSpecs, type KubeObject, type Rule } from '../context';
import type { Finding } from '../finding';

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([key, value]) => labels[key] === value);

function servicesWithPods(context: Parameters<Rule['check']>[0]) {
  return context.renders.flatMap((render) => {
    const pods = render.applications.flatMap((app) => podSpecs(app.objects));
    return render.applications.flatMap((app) =>
      app.objects
        .filter((object) => object.kind === 'Service' && object.spec?.type !== 'ExternalName' && object.spec?.selector)
        .map((service) => ({
          environment: render.environment.name,
          application: app.application,
          service,
          pods: pods.filter((pod) => matches(service.spec.selector, pod.labels)),
        })),
    );
  });
}

export const serviceSelectorRule: Rule = {
  id: 'service-selector',
  description: 'every Service selector matches the pod labels of a workload',
  check(context) {
    return servicesWithPods(context)
      .filter((entry) => entry.pods.length === 0)
      .map((entry) => ({
        rule: this.id,
        environment: entry.environment,
        application: entry.application,
        object: objectName(entry.service),
        field: 'spec.selector',
        message: `selects ${JSON.stringify(entry.service.spec.selector)}, which no pod template in ${entry.environment} carries; the Service would have no endpoints.`,
        fix: "make the selector equal the workload's selector labels (the library chart's common.selectorLabels).",
      }));
  },
};

function containerHasPort(container: KubeObject, target: string | number): boolean {
  return (container.ports ?? []).some((port: KubeObject) =>
    typeof target === 'string' && !/^\d+$/.test(target)
      ? port.name === target
      : Number(port.containerPort) === Number(target),
  );
}

export const serviceTargetPortRule: Rule = {
  id: 'service-target-port',
  description: 'every Service targetPort exists on the selected containers',
  check(context) {
    const findings: Finding[] = [];
    for (const entry of servicesWithPods(context).filter((candidate) => candidate.pods.length > 0)) {
      (entry.service.spec.ports ?? []).forEach((port: KubeObject, index: number) => {
        const target = port.targetPort ?? port.port;
        const served = entry.pods.some((pod) =>
          (pod.spec.containers ?? []).some((container: KubeObject) => containerHasPort(container, target)),
        );
        if (!served) {
          findings.push({
            rule: this.id,
            environment: entry.environment,
            application: entry.application,
            object: objectName(entry.service),
            field: `spec.ports[${index}].targetPort`,
            message: `targets ${JSON.stringify(target)}, which no selected container declares; traffic would be refused.`,
            fix: 'target the container port "http" (containerPort in the service values) or declare the port on the container.',
          });
        }
      });
    }
    return findings;
  },
};
