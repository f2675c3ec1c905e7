// alb-group: the Ingresses of one ALB group state scheme and target-type and agree on every group-wide annotation.
import { albGroupRule } from '../../src/validate/rules/ingress';
import type { Platform } from './fixtures';
import { describeRule } from './table';

const ALB = 'alb.ingress.kubernetes.io';
const annotations = (p: Platform, service: string, env = 'dev'): Record<string, string> =>
  p.object(env, service, `Ingress/${service}`).metadata.annotations;
const at = (service: string, key: string, env = 'dev') => ({
  environment: env,
  application: `${env}-${service}`,
  object: `Ingress/${service}`,
  field: `metadata.annotations.${ALB}/${key}`,
});

describeRule(albGroupRule, {
  accepts: [
    {
      name: 'a health-check path of its own',
      change: (p) => (annotations(p, 'service-b')[`${ALB}/healthcheck-path`] = '/ready'),
    },
    {
      name: 'per-Ingress health-check and target-group settings',
      change: (p) =>
        Object.assign(annotations(p, 'service-c'), {
          [`${ALB}/healthcheck-interval-seconds`]: '30',
          [`${ALB}/success-codes`]: '200-299',
          [`${ALB}/group.order`]: '10',
          [`${ALB}/backend-protocol`]: 'HTTPS',
        }),
    },
    {
      name: 'annotations of other controllers',
      change: (p) => (annotations(p, 'service-a')['external-dns.alpha.kubernetes.io/ttl'] = '60'),
    },
    {
      name: 'one group name in two environments, which are two ALBs',
      change: (p) => {
        for (const service of ['service-a', 'service-b', 'service-c'])
          annotations(p, service, 'prod')[`${ALB}/group.name`] = 'berth-dev';
      },
    },
  ],
  rejects: [
    {
      name: 'an Ingress with its own SSL policy',
      change: (p) => (annotations(p, 'service-b')[`${ALB}/ssl-policy`] = 'ELBSecurityPolicy-2016-08'),
      finding: at('service-b', 'ssl-policy'),
      message: /ELBSecurityPolicy-2016-08.*ELBSecurityPolicy-TLS13/,
    },
    {
      name: 'the first Ingress of the group as the odd one out',
      change: (p) => (annotations(p, 'service-a')[`${ALB}/scheme`] = 'internal'),
      finding: at('service-a', 'scheme'),
      message: /"internal"/,
    },
    {
      name: 'a group-wide annotation only one Ingress sets',
      change: (p) =>
        (annotations(p, 'service-c')[`${ALB}/load-balancer-attributes`] = 'idle_timeout.timeout_seconds=120'),
      finding: at('service-c', 'load-balancer-attributes'),
    },
    {
      name: 'a group-wide annotation one Ingress lacks',
      change: (p) => delete annotations(p, 'service-c')[`${ALB}/ssl-redirect`],
      finding: at('service-c', 'ssl-redirect'),
      message: /null/,
    },
    {
      name: 'a different certificate in prod',
      change: (p) =>
        (annotations(p, 'service-b', 'prod')[`${ALB}/certificate-arn`] =
          'arn:aws:acm:eu-west-1:123456789012:certificate/ffffffff-0000-0000-0000-000000000000'),
      finding: at('service-b', 'certificate-arn', 'prod'),
    },
    {
      name: 'a missing scheme',
      change: (p) => delete annotations(p, 'service-b')[`${ALB}/scheme`],
      finding: at('service-b', 'scheme'),
      message: /not set/,
    },
    {
      name: 'a missing target-type',
      change: (p) => delete annotations(p, 'service-c')[`${ALB}/target-type`],
      finding: at('service-c', 'target-type'),
      message: /not set/,
    },
    {
      name: 'a missing group name, which makes an ALB of its own',
      change: (p) => delete annotations(p, 'service-a')[`${ALB}/group.name`],
      finding: at('service-a', 'group.name'),
    },
    {
      name: 'two Ingresses without a group name, each an ALB of its own and not compared',
      change: (p) => {
        delete annotations(p, 'service-a')[`${ALB}/group.name`];
        delete annotations(p, 'service-b')[`${ALB}/group.name`];
        annotations(p, 'service-b')[`${ALB}/ssl-policy`] = 'ELBSecurityPolicy-2016-08';
      },
      finding: [at('service-a', 'group.name'), at('service-b', 'group.name')],
    },
    {
      name: 'an Ingress for another controller',
      change: (p) => (p.object('dev', 'service-c', 'Ingress/service-c').spec.ingressClassName = 'nginx'),
      finding: {
        environment: 'dev',
        application: 'dev-service-c',
        object: 'Ingress/service-c',
        field: 'spec.ingressClassName',
      },
      message: /nginx/,
    },
  ],
});
