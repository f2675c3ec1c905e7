// ingress-domain: an Ingress claims only host names under its environment's domain, never a name of another environment.
import { ingressDomainRule } from '../../src/validate/rules/ingress';
import type { KubeObject } from '../../src/validate/context';
import type { Platform } from './fixtures';
import { describeRule } from './table';

const ingress = (p: Platform, env = 'dev', service = 'service-a'): KubeObject =>
  p.object(env, service, `Ingress/${service}`);
const at = (field: string, env = 'dev', service = 'service-a') => ({
  environment: env,
  application: `${env}-${service}`,
  object: `Ingress/${service}`,
  field,
});

describeRule(ingressDomainRule, {
  accepts: [
    { name: 'the bare domain', change: (p) => (ingress(p, 'prod').spec.rules[0].host = 'example.com') },
    {
      name: 'a deeper name and a wildcard TLS host',
      change: (p) => {
        ingress(p).spec.rules[0].host = 'v2.api.dev.example.com';
        ingress(p).spec.tls = [{ hosts: ['*.dev.example.com'], secretName: 'tls' }];
      },
    },
    {
      name: 'an external-dns hostname under the domain',
      change: (p) =>
        (ingress(p).metadata.annotations['external-dns.alpha.kubernetes.io/hostname'] =
          'api.dev.example.com, www.dev.example.com'),
    },
    { name: 'upper case and a trailing dot', change: (p) => (ingress(p).spec.rules[0].host = 'API.dev.example.com.') },
  ],
  rejects: [
    {
      name: "a dev Ingress on prod's api.example.com",
      change: (p) => (ingress(p).spec.rules[0].host = 'api.example.com'),
      finding: at('spec.rules[0].host'),
      message: /outside dev's domain dev.example.com/,
    },
    {
      name: 'a prod Ingress on a dev name',
      change: (p) => (ingress(p, 'prod').spec.rules[0].host = 'api.dev.example.com'),
      finding: at('spec.rules[0].host', 'prod'),
      message: /under dev's domain/,
    },
    {
      name: 'a look-alike domain',
      change: (p) => (ingress(p).spec.rules[0].host = 'api.evildev.example.com.attacker.net'),
      finding: at('spec.rules[0].host'),
    },
    {
      name: 'a suffix without the dot',
      change: (p) => (ingress(p).spec.rules[0].host = 'apidev.example.com'),
      finding: at('spec.rules[0].host'),
    },
    {
      name: 'a rule without a host',
      change: (p) => delete ingress(p).spec.rules[0].host,
      finding: at('spec.rules[0].host'),
      message: /every host name/,
    },
    {
      name: 'a TLS host of prod',
      change: (p) => (ingress(p).spec.tls = [{ hosts: ['api.dev.example.com', 'example.com'] }]),
      finding: at('spec.tls[0].hosts[1]'),
    },
    {
      name: 'an external-dns hostname of prod',
      change: (p) => (ingress(p).metadata.annotations['external-dns.alpha.kubernetes.io/hostname'] = 'www.example.com'),
      finding: at('metadata.annotations.external-dns.alpha.kubernetes.io/hostname'),
    },
  ],
});
