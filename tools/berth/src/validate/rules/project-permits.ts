// Least privilege holds: every rendered object is a kind its Application's AppProject allows, in an allowed namespace.
import { CONTROLLER_MADE_KINDS, SERVICE_KINDS } from '../../argocd/kinds';
import { projectNames } from '../../workspace/names';
import { objectName, type KubeObject, type Rule } from '../context';

/** Cluster-scoped kinds berth may meet; everything else is namespaced. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'ClusterSecretStore',
  'PriorityClass',
  'IngressClass',
  'PersistentVolume',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
]);

const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const permits = (list: KubeObject[] | undefined, group: string, kind: string) =>
  (list ?? []).some(
    (entry) => (entry.group === '*' || entry.group === group) && (entry.kind === '*' || entry.kind === kind),
  );

export const projectPermitsRule: Rule = {
  id: 'project-permits',
  description: 'every rendered object is a kind and namespace its AppProject permits',
  check(context) {
    return context.renders.flatMap((render) =>
      render.applications.flatMap((app) => {
        const project = context.projects.get(app.project);
        const at = { rule: this.id, environment: render.environment.name, application: app.application };
        if (!project)
          return [
            {
              ...at,
              object: `AppProject/${app.project}`,
              message: 'is not defined under argocd/projects/.',
              fix: 'run `npx nx sync`.',
            },
          ];
        return app.objects.flatMap((object) => {
          const group = groupOf(String(object.apiVersion ?? ''));
          const clusterScoped = CLUSTER_SCOPED.has(object.kind);
          const list = clusterScoped
            ? project.spec?.clusterResourceWhitelist
            : project.spec?.namespaceResourceWhitelist;
          if (
            app.project === projectNames(render.environment.name).services &&
            permits(CONTROLLER_MADE_KINDS, group, object.kind) &&
            !permits(SERVICE_KINDS, group, object.kind)
          )
            return [
              {
                ...at,
                object: objectName(object),
                field: 'kind',
                message: `${group || 'core'}/${object.kind} is made by a workload's controller: AppProject ${app.project} permits it only so that Argo CD shows a service's ReplicaSets, Jobs and Pods, not for a chart to render.`,
                fix: 'render a Deployment, StatefulSet or CronJob instead, which make it.',
              },
            ];
          if (!permits(list, group, object.kind)) {
            return [
              {
                ...at,
                object: objectName(object),
                field: 'kind',
                message: `${group || 'core'}/${object.kind} is not permitted by AppProject ${app.project}; Argo CD would refuse to sync it.`,
                fix: `add it to the project's kinds in tools/berth/src/argocd/kinds.ts (then npx nx sync), or stop rendering it.`,
              },
            ];
          }
          const namespace = object.metadata?.namespace;
          if (
            !clusterScoped &&
            namespace &&
            !(project.spec?.destinations ?? []).some(
              (destination: KubeObject) => destination.namespace === '*' || destination.namespace === namespace,
            )
          ) {
            return [
              {
                ...at,
                object: objectName(object),
                field: 'metadata.namespace',
                message: `targets namespace ${namespace}, outside AppProject ${app.project}.`,
                fix: "leave metadata.namespace unset so the Application's destination namespace applies.",
              },
            ];
          }
          return [];
        });
      }),
    );
  },
};
