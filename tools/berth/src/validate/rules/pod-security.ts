// Every pod berth would deploy passes the Pod Security Standards at the level its namespace enforces (restricted), as the cluster's version checks them.
import { objectName, podSpecs, type Rule } from '../context';
import { podSecurityViolations } from './pod-security-controls';

/** The minor version of a Kubernetes version: "1.33.0" -> 33. */
export const kubeMinor = (version: string) => Number(/^v?1\.(\d+)/.exec(version)?.[1] ?? 0);

export const podSecurityRule: Rule = {
  id: 'pod-security',
  description:
    "every pod template (workloads, CronJobs, bare Pods, a chart's own templates) passes Pod Security Standards baseline and restricted",
  check(context) {
    return context.renders.flatMap((render) => {
      const minor = kubeMinor(render.environment.cluster.kubeVersion);
      return render.applications.flatMap((app) =>
        podSpecs(app.objects).flatMap(({ object, spec, path, metadata }) => {
          // the pod's own fields sit under its template: spec.template.spec -> spec.template.<field>
          const root = path.replace(/\.?spec$/, '');
          const origin = { values: `charts/${app.service}/values.yaml`, templates: `charts/${app.service}/templates/` };
          return podSecurityViolations({ metadata: metadata ?? {}, spec: spec ?? {} }, minor, origin).map(
            (violation) => ({
              rule: this.id,
              environment: render.environment.name,
              application: app.application,
              object: objectName(object),
              field: root ? `${root}.${violation.field}` : violation.field,
              message: `${violation.message} (Pod Security Standards ${violation.level}: ${violation.control})`,
              fix: violation.fix,
            }),
          );
        }),
      );
    });
  },
};
