// The environments of a new repository: env.yaml from the options, values.yaml from the example's matching tier.
import { join } from 'node:path';
import { diskFiles } from '../workspace/files';
import { loadEnvironment } from '../workspace/load';
import { paths } from '../workspace/model';
import type { Assets } from './assets';
import { iamRoleArn, placeholderCertificateArn } from './aws';
import type { NewRepository } from './options';
import { renderYamlTemplate } from './yaml-template';

const FILES = join(__dirname, 'files');

/** Which example environment a new one takes its defaults from: the first is like dev, the last like prod. */
export type Tier = 'dev' | 'stage' | 'prod';

export function tierOf(index: number, count: number): Tier {
  if (index === 0) return 'dev';
  return index === count - 1 ? 'prod' : 'stage';
}

/** Renames the example's environment in comment lines ("service-a in dev:" -> "service-a in qa:"). */
export function retitle(text: string, tier: Tier, env: string): string {
  if (tier === env) return text;
  const word = new RegExp(`\\b${tier}\\b`, 'g');
  return text
    .split('\n')
    .map((line) => (line.trimStart().startsWith('#') ? line.replace(word, env) : line))
    .join('\n');
}

/** The environment's domain: the bare domain for the last (production), <env>.<domain> before it. */
export function environmentDomain(repo: NewRepository, index: number): string {
  return index === repo.environments.length - 1 ? repo.domain : `${repo.environments[index]}.${repo.domain}`;
}

/**
 * The CRD API versions the library chart renders (ExternalSecret, SecretStore, ServiceMonitor, PrometheusRule) and the
 * load balancer controller's. A new repository has none of the example's add-ons, so its clusters are taken to serve
 * them already, as the example's env.yaml listed them before add-ons were apps.
 */
const ASSUMED_CRD_VERSIONS = ['external-secrets.io/v1', 'monitoring.coreos.com/v1', 'elbv2.k8s.aws/v1beta1'];

export function environmentFiles(repo: NewRepository, assets: Assets): Map<string, string> {
  const files = new Map<string, string>();
  const examples = diskFiles(assets.root);
  const count = repo.environments.length;
  repo.environments.forEach((name, index) => {
    const tier = tierOf(index, count);
    const example = loadEnvironment(examples, tier);
    const first = index === 0;
    const last = index === count - 1;
    // the document is data; the template only lays it out with comments (see yaml-template.ts)
    const env = {
      name,
      promotesFrom: first ? null : repo.environments[index - 1],
      cluster: {
        server: `https://${name}.eks.${repo.region}.example.internal`,
        kubeVersion: example.cluster.kubeVersion,
        apiVersions: [...example.cluster.apiVersions, ...ASSUMED_CRD_VERSIONS],
        storageClasses: example.cluster.storageClasses,
      },
      argocd: { version: example.argocd.version },
      namespace: name,
      domain: environmentDomain(repo, index),
      region: repo.region,
      aws: { accountId: repo.account },
      vpcCidr: `10.${(10 * (index + 1)) % 250}.0.0/16`,
      ingress: {
        groupName: `${repo.org}-${name}`,
        scheme: example.ingress.scheme,
        certificateArn: placeholderCertificateArn(repo.account, repo.region),
        sslPolicy: example.ingress.sslPolicy ?? 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      },
      secrets: {
        store: 'aws-secrets-manager',
        prefix: `${repo.org}/${name}/`,
        roleArn: iamRoleArn(repo.account, repo.region, `${repo.org}-${name}-external-secrets`),
      },
      // the last environment is changed by a person's decision; every other one follows git at once
      sync: { automated: first || !last, prune: true, selfHeal: true },
      imageUpdates: first ? { strategy: 'semver', constraint: '>=0.0.0' } : { enabled: false },
      promotion: { mode: last && !first ? 'pr' : 'push' },
    };
    files.set(paths.env(name), renderYamlTemplate(FILES, 'env.yaml.hbs', env, { imageUpdates: first }));
    files.set(paths.envValues(name), retitle(examples.read(paths.envValues(tier))!, tier, name));
  });
  return files;
}
