// schema: every rendered object matches its Kubernetes or CRD schema, offline, and uses an API version its cluster serves.
import { describe, expect, it } from 'vitest';
import { validateSchema } from '../../src/validate/schemas';
import type { KubeObject } from '../../src/validate/context';
import type { Platform } from './fixtures';
import { hardenedPlatform } from './fixtures';
import { describeRule, schemaCheck } from './table';

const deployment = (p: Platform, env = 'dev'): KubeObject => p.object(env, 'service-a', 'Deployment/service-a');
const externalSecret = (p: Platform, env = 'dev'): KubeObject => p.object(env, 'service-b', 'ExternalSecret/service-b');
const at = (service: string, object: string, field: string, env = 'dev') => ({
  environment: env,
  application: `${env}-${service}`,
  object,
  field,
});
const add =
  (service: string, object: KubeObject, env = 'dev') =>
  (p: Platform) =>
    p.app(env, service).objects.push(object);
const apiVersions = (p: Platform, env: 'dev' | 'prod') =>
  p.context.renders.find((render) => render.environment.name === env)!.environment.cluster.apiVersions;

describeRule(schemaCheck, {
  accepts: [
    {
      name: 'a CRD version env.yaml lists, with a schema berth knows',
      change: add('service-a', {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: 'service-a' },
        spec: { groups: [{ name: 'a', rules: [{ alert: 'Down', expr: 'up == 0' }] }] },
      }),
    },
    {
      name: 'an ExternalSecret at external-secrets.io/v1beta1 when env.yaml lists it',
      change: (p) => {
        apiVersions(p, 'dev').push('external-secrets.io/v1beta1');
        externalSecret(p).apiVersion = 'external-secrets.io/v1beta1';
      },
    },
    {
      // whether a CRD version is served is the api-provenance rule's question (it names the add-on to add)
      name: 'a CRD version env.yaml does not list, left to api-provenance',
      change: (p) => (externalSecret(p).apiVersion = 'external-secrets.io/v1beta1'),
    },
    {
      name: 'a built-in beta env.yaml says the cluster enables',
      change: (p) => {
        apiVersions(p, 'dev').push('policy/v1beta1');
        p.object('dev', 'postgres', 'PodDisruptionBudget/postgres').apiVersion = 'policy/v1beta1';
      },
    },
  ],
  rejects: [
    {
      name: 'a Deployment with a string where an integer belongs',
      change: (p) => (deployment(p).spec.replicas = 'two'),
      finding: at('service-a', 'Deployment/service-a', 'spec.replicas'),
      message: /apps\/v1 Deployment schema: must be integer/,
    },
    {
      name: 'a containerPort given by name',
      change: (p) => (p.container('prod', 'service-a').ports[0].containerPort = 'http'),
      finding: at(
        'service-a',
        'Deployment/service-a',
        'spec.template.spec.containers[0].ports[0].containerPort',
        'prod',
      ),
    },
    {
      name: 'a container without a name',
      change: (p) => delete p.container('dev', 'postgres').name,
      finding: at('postgres', 'StatefulSet/postgres', 'spec.template.spec.containers[0]'),
      message: /name/,
    },
    {
      name: 'a Service port written as text',
      change: (p) => (p.object('dev', 'service-c', 'Service/service-c').spec.ports[0].port = '80'),
      finding: at('service-c', 'Service/service-c', 'spec.ports[0].port'),
      message: /v1 Service schema/,
    },
    {
      name: 'a CRD group berth has no schema for',
      change: (p) => {
        apiVersions(p, 'dev').push('cert-manager.io/v1');
        add('service-a', {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          metadata: { name: 'service-a' },
          spec: {},
        })(p);
      },
      finding: at('service-a', 'Certificate/service-a', 'apiVersion'),
      message: /no schema for cert-manager\.io\/v1 Certificate/,
    },
    {
      name: 'a CRD the cluster serves but berth has no schema for (elbv2.k8s.aws)',
      change: add('service-a', {
        apiVersion: 'elbv2.k8s.aws/v1beta1',
        kind: 'TargetGroupBinding',
        metadata: { name: 'service-a' },
        spec: {},
      }),
      finding: at('service-a', 'TargetGroupBinding/service-a', 'apiVersion'),
      message: /no schema/,
    },
    {
      name: 'an ExternalSecret (v1, checked against v1beta1) with a wrong-typed field',
      change: (p) => (externalSecret(p).spec.refreshInterval = 3600),
      finding: at('service-b', 'ExternalSecret/service-b', 'spec.refreshInterval'),
      message: /external-secrets\.io\/v1 ExternalSecret schema/,
    },
    {
      name: 'an ExternalSecret (v1) item without its remote key',
      change: (p) => delete externalSecret(p, 'prod').spec.data[1].remoteRef.key,
      finding: at('service-b', 'ExternalSecret/service-b', 'spec.data[1].remoteRef', 'prod'),
      message: /key/,
    },
    {
      name: 'a PodDisruptionBudget at policy/v1beta1, removed in Kubernetes 1.25',
      change: (p) => (p.object('dev', 'postgres', 'PodDisruptionBudget/postgres').apiVersion = 'policy/v1beta1'),
      finding: at('postgres', 'PodDisruptionBudget/postgres', 'apiVersion'),
      message: /policy\/v1beta1 is not served/,
    },
    {
      name: 'an Ingress at extensions/v1beta1',
      change: (p) => (p.object('prod', 'service-a', 'Ingress/service-a').apiVersion = 'extensions/v1beta1'),
      finding: at('service-a', 'Ingress/service-a', 'apiVersion', 'prod'),
      message: /not served/,
    },
    {
      name: 'a misspelt kind',
      change: (p) => (deployment(p).kind = 'Deploymnet'),
      finding: at('service-a', 'Deploymnet/service-a', 'apiVersion'),
      message: /no schema/,
    },
    {
      name: 'a document without apiVersion',
      change: add('service-a', { kind: 'ConfigMap', metadata: { name: 'stray' }, data: {} }),
      finding: at('service-a', 'ConfigMap/stray', 'apiVersion'),
      message: /no apiVersion/,
    },
  ],
});

describe('validateSchema', () => {
  it('validates Argo CD objects without an environment, as berth validate does for argocd/', () => {
    const platform = hardenedPlatform();
    for (const project of platform.context.projects.values()) expect(validateSchema(project, {})).toEqual([]);
  });

  it('proves a valid external-secrets.io/v1 ExternalSecret against the v1beta1 schema, and finds a broken one', () => {
    const object = hardenedPlatform().object('dev', 'service-b', 'ExternalSecret/service-b');
    expect(object.apiVersion).toBe('external-secrets.io/v1');
    expect(validateSchema(object, {})).toEqual([]);
    object.spec.data[0].remoteRef = 'berth/dev/service-b/db';
    expect(validateSchema(object, {})).toEqual([
      expect.objectContaining({ rule: 'schema', object: 'ExternalSecret/service-b', field: 'spec.data[0].remoteRef' }),
    ]);
  });
});
