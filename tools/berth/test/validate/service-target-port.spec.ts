// service-target-port: every port of a Service targets a port the selected containers declare, by name or by number.
import { serviceTargetPortRule } from '../../src/validate/rules/services';
import type { KubeObject } from '../../src/validate/context';
import type { Platform } from './fixtures';
import { describeRule } from './table';

const port = (p: Platform, name: string, env = 'dev', app = name): KubeObject =>
  p.object(env, app, `Service/${name}`).spec.ports[0];
const at = (name: string, env = 'dev', app = name, index = 0) => ({
  environment: env,
  application: `${env}-${app}`,
  object: `Service/${name}`,
  field: `spec.ports[${index}].targetPort`,
});

describeRule(serviceTargetPortRule, {
  accepts: [
    {
      name: 'a numeric targetPort equal to the containerPort',
      change: (p) => (port(p, 'service-a').targetPort = 8080),
    },
    { name: 'a numeric targetPort written as a string', change: (p) => (port(p, 'service-a').targetPort = '8080') },
    {
      name: 'no targetPort, with port equal to the containerPort',
      change: (p) => {
        delete port(p, 'postgres').targetPort;
      },
    },
    {
      name: 'a second named container port',
      change: (p) => {
        p.container('dev', 'service-a').ports.push({ name: 'metrics', containerPort: 9090 });
        p.object('dev', 'service-a', 'Service/service-a').spec.ports.push({
          name: 'metrics',
          port: 9090,
          targetPort: 'metrics',
        });
      },
    },
    {
      name: 'a Service that selects no pods (service-selector reports it)',
      change: (p) => {
        port(p, 'service-a').targetPort = 'nope';
        p.object('dev', 'service-a', 'Service/service-a').spec.selector = { 'app.kubernetes.io/name': 'nobody' };
      },
    },
  ],
  rejects: [
    {
      name: 'a named targetPort no container declares',
      change: (p) => (port(p, 'service-a').targetPort = 'web'),
      finding: at('service-a'),
      message: /"web"/,
    },
    {
      name: 'a numeric targetPort no container declares',
      change: (p) => (port(p, 'service-b').targetPort = 9090),
      finding: at('service-b'),
      message: /9090/,
    },
    {
      name: 'no targetPort, so the Service port is the target',
      change: (p) => delete port(p, 'service-c').targetPort,
      finding: at('service-c'),
      message: /80/,
    },
    {
      name: 'a container port renamed in prod',
      change: (p) => (p.container('prod', 'service-a').ports[0].name = 'web'),
      finding: at('service-a', 'prod'),
    },
    {
      name: 'a headless Service targeting a port the database does not declare',
      change: (p) => (port(p, 'postgres-headless', 'dev', 'postgres').targetPort = 5433),
      finding: at('postgres-headless', 'dev', 'postgres'),
    },
    {
      name: 'the second port of a Service',
      change: (p) =>
        p
          .object('dev', 'service-a', 'Service/service-a')
          .spec.ports.push({ name: 'metrics', port: 9090, targetPort: 'metrics' }),
      finding: at('service-a', 'dev', 'service-a', 1),
    },
  ],
});
