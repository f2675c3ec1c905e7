// No two Applications render the same object: nameOverride/fullnameOverride must not make services overwrite each other.
import { objectName, type KubeObject, type Rule } from '../context';
import type { Finding } from '../finding';

const identity = (object: KubeObject, defaultNamespace: string) =>
  `${String(object.apiVersion ?? '').split('/').length > 1 ? String(object.apiVersion).split('/')[0] : ''}/${object.kind}/${object.metadata?.namespace ?? defaultNamespace}/${object.metadata?.name}`;

export const objectCollisionRule: Rule = {
  id: 'object-collision',
  description: 'no two Applications of an environment render the same object',
  check(context) {
    const findings: Finding[] = [];
    for (const render of context.renders) {
      const owners = new Map<string, string>();
      for (const app of render.applications) {
        for (const object of app.objects) {
          if (!object?.kind || !object.metadata?.name) continue;
          const id = identity(object, render.environment.namespace);
          const owner = owners.get(id);
          if (owner && owner !== app.application) {
            findings.push({
              rule: this.id,
              environment: render.environment.name,
              application: app.application,
              object: objectName(object),
              field: 'metadata.name',
              message: `is also rendered by ${owner}; Argo CD would let the two Applications overwrite (and prune) each other's object.`,
              fix: 'remove the nameOverride/fullnameOverride that makes the names meet, or give it a value no other service uses.',
            });
          } else owners.set(id, app.application);
        }
      }
    }
    return findings;
  },
};
