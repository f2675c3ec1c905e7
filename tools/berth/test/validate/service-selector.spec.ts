// service-selector: every Service with a selector selects the pods of some workload of its environment.
import { serviceSelectorRule } from '../../src/validate/rules/services';
import type { KubeObject } from '../../src/validate/context';
import type { Platform } from './fixtures';
import { describeRule } from './table';

const service = (p: Platform, name: string, env = 'dev', app = name): KubeObject =>
  p.object(env, app, `Service/${name}`);
const at = (name: string, env = 'dev', app = name) => ({
  environment: env,
  application: `${env}-${app}`,
  object: `Service/${name}`,
  field: 'spec.selector',
});

describeRule(serviceSelectorRule, {
  accepts: [
    {
      name: 'a selector that is a subset of the pod labels',
      change: (p) => (service(p, 'service-a').spec.selector = { 'app.kubernetes.io/name': 'service-a' }),
    },
    {
      name: 'a Service selecting the pods of another Application',
      change: (p) =>
        p.app('dev', 'service-c').objects.push({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'service-a-alias' },
          spec: { selector: { 'app.kubernetes.io/name': 'service-a' }, ports: [{ port: 80, targetPort: 'http' }] },
        }),
    },
    {
      name: 'an ExternalName Service',
      change: (p) =>
        p.app('dev', 'service-c').objects.push({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'legacy' },
          spec: { type: 'ExternalName', externalName: 'legacy.example.com' },
        }),
    },
    {
      name: 'a Service without selector (endpoints managed by hand)',
      change: (p) =>
        p.app('dev', 'service-c').objects.push({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'external-db' },
          spec: { ports: [{ port: 5432 }] },
        }),
    },
  ],
  rejects: [
    {
      name: 'a typo in the selector',
      change: (p) => (service(p, 'service-a').spec.selector['app.kubernetes.io/name'] = 'servce-a'),
      finding: at('service-a'),
      message: /servce-a.*no endpoints/,
    },
    {
      name: 'a selector label no pod carries',
      change: (p) => (service(p, 'service-b').spec.selector.tier = 'web'),
      finding: at('service-b'),
    },
    {
      name: 'pods that lost the selected label',
      change: (p) =>
        delete p.object('prod', 'service-c', 'Deployment/service-c').spec.template.metadata.labels[
          'app.kubernetes.io/instance'
        ],
      finding: at('service-c', 'prod'),
    },
    {
      name: 'a headless Service whose StatefulSet is gone',
      change: (p) =>
        (p.app('dev', 'postgres').objects = p
          .app('dev', 'postgres')
          .objects.filter((object) => object.kind !== 'StatefulSet')),
      finding: [at('postgres'), at('postgres-headless', 'dev', 'postgres')],
    },
    {
      name: 'a selector that only pods of another environment match',
      change: (p) => {
        p.object('prod', 'service-c', 'Deployment/service-c').spec.template.metadata.labels.track = 'canary';
        p.app('dev', 'service-c').objects.push({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'service-c-canary' },
          spec: {
            selector: { 'app.kubernetes.io/name': 'service-c', track: 'canary' },
            ports: [{ port: 80, targetPort: 'http' }],
          },
        });
      },
      finding: {
        environment: 'dev',
        application: 'dev-service-c',
        object: 'Service/service-c-canary',
        field: 'spec.selector',
      },
    },
  ],
});
