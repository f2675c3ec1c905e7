// Volumes claim a storage class the cluster has: one it already had (env.yaml) or one cluster-base creates.
import { environmentObjects, objectName, type KubeObject, type Rule } from '../context';
import type { Finding } from '../finding';

export const storageClassRule: Rule = {
  id: 'storage-class',
  description: 'every PersistentVolumeClaim and volumeClaimTemplate names a storage class that exists',
  check(context) {
    const findings: Finding[] = [];
    for (const render of context.renders) {
      // validating one service still sees cluster-base's classes (EnvironmentRender.provided)
      const rendered = environmentObjects(render)
        .filter((object) => object.kind === 'StorageClass')
        .map((object) => object.metadata?.name);
      const available = new Set([...render.environment.cluster.storageClasses, ...rendered]);
      for (const app of render.applications) {
        const claims: { object: KubeObject; claim: KubeObject; field: string }[] = [
          ...app.objects
            .filter((object) => object.kind === 'PersistentVolumeClaim')
            .map((object) => ({ object, claim: object, field: 'spec.storageClassName' })),
          ...app.objects
            .filter((object) => object.kind === 'StatefulSet')
            .flatMap((object) =>
              (object.spec?.volumeClaimTemplates ?? []).map((claim: KubeObject, index: number) => ({
                object,
                claim,
                field: `spec.volumeClaimTemplates[${index}].spec.storageClassName`,
              })),
            ),
        ];
        for (const { object, claim, field } of claims) {
          const storageClass = claim.spec?.storageClassName;
          if (storageClass && available.has(storageClass)) continue;
          findings.push({
            rule: this.id,
            environment: render.environment.name,
            application: app.application,
            object: objectName(object),
            field,
            message: storageClass
              ? `names storage class "${storageClass}", which ${render.environment.name} does not have (has: ${[...available].join(', ')}).`
              : 'names no storage class, so the volume depends on whatever the cluster default is.',
            fix: `set persistence.storageClassName to one of ${[...available].join(', ')}, or list the class in environments/${render.environment.name}/env.yaml cluster.storageClasses.`,
          });
        }
      }
    }
    return findings;
  },
};
