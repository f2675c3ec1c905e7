// resources and probes: every container requests CPU and memory and limits memory; long-running ones are probed.
import { probesRule, resourcesRule } from '../../src/validate/rules/resources-probes';
import type { KubeObject } from '../../src/validate/context';
import type { Platform } from './fixtures';
import { describeRule } from './table';

const resources = (p: Platform, env = 'dev', service = 'service-a'): KubeObject => p.container(env, service).resources;
const at = (field: string, env = 'dev') => ({
  environment: env,
  application: `${env}-service-a`,
  object: 'Deployment/service-a',
  field: `spec.template.spec.containers[0].${field}`,
});

/** A one-off migration Job in service-b's Application: hardened and sized, never probed. */
function migrationJob(p: Platform): KubeObject {
  const container: KubeObject = {
    ...structuredClone(p.container('dev', 'service-b')),
    name: 'migrate',
    args: ['migrate'],
  };
  delete container.livenessProbe;
  delete container.readinessProbe;
  const job = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'service-b-migrate', namespace: 'dev' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [container] } } },
  };
  p.app('dev', 'service-b').objects.push(job);
  return container;
}

const initContainer = (p: Platform): KubeObject => {
  const init = {
    name: 'wait-for-volume',
    image: 'public.ecr.aws/docker/library/busybox:1.36',
    securityContext: structuredClone(p.container('dev', 'postgres').securityContext),
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '32Mi' } },
  };
  p.object('dev', 'postgres', 'StatefulSet/postgres').spec.template.spec.initContainers = [init];
  return init;
};

describeRule(resourcesRule, {
  accepts: [
    { name: 'a CPU limit besides the requests', change: (p) => (resources(p).limits.cpu = '500m') },
    { name: 'a sized init container', change: (p) => initContainer(p) },
  ],
  rejects: [
    {
      name: 'no CPU request',
      change: (p) => delete resources(p).requests.cpu,
      finding: at('resources.requests.cpu'),
      message: /"service-a" has no requests.cpu/,
    },
    {
      name: 'no memory request',
      change: (p) => delete resources(p).requests.memory,
      finding: at('resources.requests.memory'),
    },
    { name: 'no memory limit', change: (p) => delete resources(p).limits, finding: at('resources.limits.memory') },
    {
      name: 'an empty CPU request',
      change: (p) => (resources(p).requests.cpu = ''),
      finding: at('resources.requests.cpu'),
    },
    {
      name: 'no memory limit in prod only',
      change: (p) => delete resources(p, 'prod').limits.memory,
      finding: at('resources.limits.memory', 'prod'),
    },
    {
      name: 'no resources at all on the database',
      change: (p) => delete p.container('dev', 'postgres').resources,
      finding: ['requests.cpu', 'requests.memory', 'limits.memory'].map((field) => ({
        environment: 'dev',
        application: 'dev-postgres',
        object: 'StatefulSet/postgres',
        field: `spec.template.spec.containers[0].resources.${field}`,
      })),
    },
    {
      name: 'an init container without a memory limit',
      change: (p) => delete initContainer(p).resources.limits,
      finding: {
        environment: 'dev',
        application: 'dev-postgres',
        object: 'StatefulSet/postgres',
        field: 'spec.template.spec.initContainers[0].resources.limits.memory',
      },
    },
    {
      name: 'a Job container without requests',
      change: (p) => delete migrationJob(p).resources.requests.cpu,
      finding: {
        environment: 'dev',
        application: 'dev-service-b',
        object: 'Job/service-b-migrate',
        field: 'spec.template.spec.containers[0].resources.requests.cpu',
      },
    },
  ],
});

describeRule(probesRule, {
  accepts: [
    { name: 'an init container without probes', change: (p) => initContainer(p) },
    { name: 'a Job that runs to completion without probes', change: (p) => migrationJob(p) },
    {
      name: 'exec and tcpSocket probes',
      change: (p) => (p.container('dev', 'service-a').livenessProbe = { exec: { command: ['/bin/health'] } }),
    },
  ],
  rejects: [
    {
      name: 'no liveness probe',
      change: (p) => delete p.container('dev', 'service-a').livenessProbe,
      finding: at('livenessProbe'),
      message: /livenessProbe/,
    },
    {
      name: 'no readiness probe',
      change: (p) => delete p.container('dev', 'service-a').readinessProbe,
      finding: at('readinessProbe'),
    },
    {
      name: 'no readiness probe in prod only',
      change: (p) => delete p.container('prod', 'service-a').readinessProbe,
      finding: at('readinessProbe', 'prod'),
    },
    {
      name: 'a database without a liveness probe',
      change: (p) => delete p.container('dev', 'postgres').livenessProbe,
      finding: {
        environment: 'dev',
        application: 'dev-postgres',
        object: 'StatefulSet/postgres',
        field: 'spec.template.spec.containers[0].livenessProbe',
      },
    },
    {
      name: 'a second, unprobed container in the pod',
      change: (p) =>
        p.object('dev', 'service-a', 'Deployment/service-a').spec.template.spec.containers.push({
          name: 'proxy',
          image: 'envoyproxy/envoy:v1.31.0',
          readinessProbe: { tcpSocket: { port: 9901 } },
        }),
      finding: { ...at('livenessProbe'), field: 'spec.template.spec.containers[1].livenessProbe' },
      message: /"proxy"/,
    },
  ],
});
