// project-permits: every rendered object is a kind its Application's AppProject whitelists, in a namespace it may deploy to.
// The projects are the real ones: tools/berth/src/argocd/manifests.ts projects(settings, env).
import { projectPermitsRule } from '../../src/validate/rules/project-permits';
import type { KubeObject } from '../../src/validate/context';
import type { Platform } from './fixtures';
import { describeRule } from './table';

const add =
  (service: string, object: KubeObject, env = 'dev') =>
  (p: Platform) =>
    p.app(env, service).objects.push(object);
const at = (service: string, object: string, field: string, env = 'dev') => ({
  environment: env,
  application: `${env}-${service}`,
  object,
  field,
});

describeRule(projectPermitsRule, {
  accepts: [
    {
      name: 'a namespaced object without metadata.namespace (the destination applies)',
      change: (p) => delete p.object('dev', 'service-a', 'ConfigMap/service-a-config').metadata.namespace,
    },
    {
      name: 'every kind the library chart may render',
      change: add('service-a', {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'service-a', namespace: 'dev' },
      }),
    },
    {
      name: 'a PrometheusRule',
      change: add('service-b', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: 'service-b', namespace: 'dev' },
      }),
    },
  ],
  rejects: [
    {
      name: 'a kind the services project does not whitelist',
      change: add('service-a', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'service-a', namespace: 'dev' },
      }),
      finding: at('service-a', 'Role/service-a', 'kind'),
      message: /rbac\.authorization\.k8s\.io\/Role is not permitted by AppProject dev/,
    },
    {
      name: 'a bare Pod: the project permits it only so Argo CD shows the Pods a Deployment makes',
      change: add('service-a', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'service-a-debug' } }),
      finding: at('service-a', 'Pod/service-a-debug', 'kind'),
      message: /core\/Pod is made by a workload's controller: AppProject dev permits it only so that Argo CD shows/,
    },
    {
      name: 'a Job of its own (a CronJob makes them)',
      change: add('service-b', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' } }),
      finding: at('service-b', 'Job/migrate', 'kind'),
      message: /batch\/Job is made by a workload's controller/,
    },
    {
      name: 'a ReplicaSet of its own',
      change: add('service-b', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'service-b-old' } }),
      finding: at('service-b', 'ReplicaSet/service-b-old', 'kind'),
      message: /apps\/ReplicaSet is made by a workload's controller/,
    },
    {
      name: 'a plain Secret (never rendered by the library chart)',
      change: add('service-b', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'service-b-db' } }),
      finding: at('service-b', 'Secret/service-b-db', 'kind'),
      message: /core\/Secret/,
    },
    {
      name: 'a whitelisted kind name in another group',
      change: add('service-a', { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'legacy' } }),
      finding: at('service-a', 'Ingress/legacy', 'kind'),
    },
    {
      name: 'a cluster-scoped kind from a service',
      change: add('service-a', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: { name: 'service-a' },
      }),
      finding: at('service-a', 'ClusterRole/service-a', 'kind'),
    },
    {
      name: 'a StorageClass from a service rather than cluster-base',
      change: add(
        'postgres',
        { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'io2' } },
        'prod',
      ),
      finding: at('postgres', 'StorageClass/io2', 'kind', 'prod'),
      message: /AppProject prod;/,
    },
    {
      name: 'a Deployment from cluster-base',
      change: add('cluster-base', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'helper', namespace: 'dev' },
      }),
      finding: at('cluster-base', 'Deployment/helper', 'kind'),
      message: /AppProject dev-cluster/,
    },
    {
      name: 'an object in a foreign namespace',
      change: (p) => (p.object('dev', 'service-a', 'ConfigMap/service-a-config').metadata.namespace = 'kube-system'),
      finding: at('service-a', 'ConfigMap/service-a-config', 'metadata.namespace'),
      message: /kube-system/,
    },
    {
      name: "an object in another environment's namespace",
      change: (p) => (p.object('prod', 'service-b', 'Deployment/service-b').metadata.namespace = 'dev'),
      finding: at('service-b', 'Deployment/service-b', 'metadata.namespace', 'prod'),
    },
    {
      name: 'a SecretStore of cluster-base in a foreign namespace',
      change: (p) =>
        (p.object('dev', 'cluster-base', 'SecretStore/aws-secrets-manager').metadata.namespace = 'default'),
      finding: at('cluster-base', 'SecretStore/aws-secrets-manager', 'metadata.namespace'),
    },
    {
      name: 'an Application whose AppProject does not exist',
      change: (p) => (p.app('dev', 'service-c').project = 'dev-services'),
      finding: { environment: 'dev', application: 'dev-service-c', object: 'AppProject/dev-services' },
      message: /not defined/,
    },
  ],
});
