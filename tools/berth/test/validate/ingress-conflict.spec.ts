// ingress-conflict: no two Ingress rules of an environment route the same host and path.
import { ingressConflictRule } from '../../src/validate/rules/ingress';
import type { KubeObject } from '../../src/validate/context';
import type { Platform } from './fixtures';
import { describeRule } from './table';

const rule = (p: Platform, service: string, env = 'dev'): KubeObject =>
  p.object(env, service, `Ingress/${service}`).spec.rules[0];
const at = (service: string, field = 'spec.rules[0].http.paths[0]', env = 'dev') => ({
  environment: env,
  application: `${env}-${service}`,
  object: `Ingress/${service}`,
  field,
});

describeRule(ingressConflictRule, {
  accepts: [
    {
      name: 'the same path on another host',
      change: (p) =>
        Object.assign(
          rule(p, 'service-b'),
          { host: 'admin.dev.example.com' },
          { http: { paths: [{ ...rule(p, 'service-b').http.paths[0], path: '/a' }] } },
        ),
    },
    {
      name: 'the same host and path in another environment',
      change: (p) => (rule(p, 'service-a', 'prod').host = 'api.dev.example.com'),
    },
    {
      name: "a longer path under another service's path",
      change: (p) => (rule(p, 'service-b').http.paths[0].path = '/a/b'),
    },
  ],
  rejects: [
    {
      name: 'a second service on the same host and path',
      change: (p) => (rule(p, 'service-b').http.paths[0].path = '/a'),
      finding: at('service-b'),
      message: /api\.dev\.example\.com\/a.*Ingress\/service-a \(dev-service-a\)/,
    },
    {
      name: 'a clash in prod only',
      change: (p) => (rule(p, 'service-c', 'prod').http.paths[0].path = '/b'),
      finding: at('service-c', undefined, 'prod'),
    },
    {
      name: 'one Ingress claiming a path twice',
      change: (p) => rule(p, 'service-a').http.paths.push({ ...rule(p, 'service-a').http.paths[0] }),
      finding: at('service-a', 'spec.rules[0].http.paths[1]'),
    },
    {
      name: 'two host-less rules on /',
      change: (p) => {
        for (const service of ['service-a', 'service-c'])
          Object.assign(rule(p, service), {
            host: undefined,
            http: { paths: [{ ...rule(p, service).http.paths[0], path: '/' }] },
          });
      },
      finding: at('service-c'),
      message: /\*\//,
    },
  ],
});
