// Checks the options of nx g berth:environment: the new environment's own cluster, namespace, domain and AWS identities.
import { MAX_ENVIRONMENT_NAME, isDnsName, nameProblem } from '../../../workspace/names';
import type { Environment, Workspace } from '../../../workspace/model';
import { lineOption, optionError, requireOptions } from '../shared/options';
import type { EnvironmentGeneratorSchema } from './schema';

export interface NormalizedEnvironment {
  name: string;
  source: Environment;
  /** The environment that promoted from the source and now promotes from the new one (--before). */
  before?: Environment;
  cluster: { server: string } | { name: string };
  kubeVersion: string;
  namespace: string;
  domain: string;
  region: string;
  vpcCidr: string;
  certificateArn: string;
  secretsRoleArn: string;
  albGroup: string;
  /** The EKS cluster name and VPC id the add-on charts read (env.yaml aws.clusterName, aws.vpcId), where given. */
  clusterName?: string;
  vpcId?: string;
  autoSync?: boolean;
  promotion?: 'push' | 'pr';
}

const KUBE_VERSION = /^v?\d+\.\d+(\.\d+)?$/;
const REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;
const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const CIDR = new RegExp(`^${OCTET}(\\.${OCTET}){3}\\/(3[0-2]|[12]?\\d)$`);
const CERTIFICATE_ARN = /^arn:aws(-cn|-us-gov)?:acm:([a-z0-9-]+):(\d{12}):certificate\/[A-Za-z0-9-]{1,128}$/;
const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::(\d{12}):role\/[A-Za-z0-9+=,.@_\/-]{1,512}$/;
/** The AWS Load Balancer Controller's group.name: lower-case letters, digits, "-" and ".", at most 63. */
const ALB_GROUP = /^[a-z0-9]([-.a-z0-9]{0,61}[a-z0-9])?$/;
/** A cluster registered in Argo CD by name: its own name, or an EKS cluster ARN as `argocd cluster add` registers it. */
const CLUSTER_NAME = /^[A-Za-z0-9]([A-Za-z0-9._:\/@-]{0,251}[A-Za-z0-9])?$/;
/** Namespaces the cluster keeps for itself: cluster-base would take them over (and prune) as the environment's own. */
const SYSTEM_NAMESPACE = /^(kube-.*|default)$/;

/** What each required option looks like, for the error that lists the missing ones. */
const EXAMPLES = {
  cluster: 'https://qa.eks.eu-west-1.example.internal',
  namespace: 'qa',
  domain: 'qa.example.com',
  'certificate-arn': 'arn:aws:acm:eu-west-1:123456789012:certificate/<id>',
  'secrets-role': 'arn:aws:iam::123456789012:role/berth-qa-external-secrets',
  'alb-group': 'berth-qa',
  'vpc-cidr': '10.40.0.0/16',
} as const;

export function normalizeEnvironmentOptions(
  workspace: Workspace,
  exists: (path: string) => boolean,
  options: EnvironmentGeneratorSchema,
): NormalizedEnvironment {
  const strings: [keyof EnvironmentGeneratorSchema, string, string][] = [
    ['cluster', 'cluster', EXAMPLES.cluster],
    ['kubeVersion', 'kube-version', '1.36.0'],
    ['namespace', 'namespace', EXAMPLES.namespace],
    ['domain', 'domain', EXAMPLES.domain],
    ['region', 'region', 'eu-west-1'],
    ['vpcCidr', 'vpc-cidr', EXAMPLES['vpc-cidr']],
    ['certificateArn', 'certificate-arn', EXAMPLES['certificate-arn']],
    ['secretsRole', 'secrets-role', EXAMPLES['secrets-role']],
    ['albGroup', 'alb-group', EXAMPLES['alb-group']],
    ['clusterName', 'cluster-name', 'berth-qa'],
    ['vpcId', 'vpc-id', 'vpc-0a1b2c3d4e5f60004'],
    ['promotesFrom', 'promotes-from', 'dev'],
    ['before', 'before', 'stage'],
  ];
  // every text option is one line before any other check, so no message quotes a multi-line value
  for (const [key, option, example] of strings) lineOption(option, options[key], 2048, example);

  const name = options.name;
  const problem = nameProblem(name, MAX_ENVIRONMENT_NAME);
  if (problem)
    throw optionError('name', `${JSON.stringify(name)} ${problem}.`, 'choose a name like "qa" or "prod-eu".');
  if (exists(`environments/${name}`))
    throw optionError('name', `environment "${name}" already exists (environments/${name}).`, 'choose another name.');
  const { source, before } = chainPlace(workspace, options);
  const others = workspace.environments;

  const cluster = options.cluster === undefined ? undefined : clusterOf(options.cluster);
  const kubeVersion = (options.kubeVersion ?? source.cluster.kubeVersion).replace(/^v/, '');
  if (!KUBE_VERSION.test(kubeVersion))
    throw optionError(
      'kube-version',
      `"${options.kubeVersion}" is not a Kubernetes version.`,
      'pass a version like 1.33.0.',
    );

  if (options.namespace !== undefined) {
    const namespaceProblem = nameProblem(options.namespace, 63);
    if (namespaceProblem)
      throw optionError('namespace', `"${options.namespace}" ${namespaceProblem}.`, 'pass a DNS-1123 label.');
    if (SYSTEM_NAMESPACE.test(options.namespace) || options.namespace === workspace.settings.argocdNamespace) {
      throw optionError(
        'namespace',
        `"${options.namespace}" is a namespace the cluster or Argo CD uses for itself; cluster-base would take it over.`,
        `pass a namespace of the environment's own, e.g. --namespace ${name}.`,
      );
    }
    const sharing = others.find((env) => env.namespace === options.namespace);
    if (sharing)
      throw optionError(
        'namespace',
        `"${options.namespace}" is ${sharing.name}'s namespace.`,
        `pass a namespace of the environment's own, e.g. --namespace ${name}.`,
      );
  }
  if (options.domain !== undefined) {
    if (!isDnsName(options.domain))
      throw optionError(
        'domain',
        `"${options.domain}" is not a DNS name.`,
        'pass a lower-case DNS name such as qa.example.com.',
      );
    const sharing = others.find((env) => env.domain === options.domain);
    if (sharing)
      throw optionError(
        'domain',
        `"${options.domain}" is ${sharing.name}'s domain; two environments would serve the same host names.`,
        `pass a domain of its own, e.g. --domain ${name}.${options.domain}.`,
      );
  }
  const region = options.region ?? source.region;
  if (!REGION.test(region))
    throw optionError('region', `"${region}" is not an AWS region name.`, 'pass a region such as eu-west-1.');
  if (options.vpcCidr !== undefined && !CIDR.test(options.vpcCidr))
    throw optionError(
      'vpc-cidr',
      `"${options.vpcCidr}" is not an IPv4 CIDR.`,
      'pass the VPC range of the new cluster, e.g. 10.40.0.0/16.',
    );
  if (options.certificateArn !== undefined) {
    const arn = CERTIFICATE_ARN.exec(options.certificateArn);
    if (!arn)
      throw optionError(
        'certificate-arn',
        `"${options.certificateArn}" is not an ACM certificate ARN.`,
        `pass the certificate for the new domain, e.g. ${EXAMPLES['certificate-arn']}.`,
      );
    if (arn[2] !== region)
      throw optionError(
        'certificate-arn',
        `the certificate is in ${arn[2]}, but the environment runs in ${region}; an ALB can only use a certificate of its own region.`,
        `pass a certificate from ${region}, or --region ${arn[2]}.`,
      );
  }
  if (options.secretsRole !== undefined && !ROLE_ARN.test(options.secretsRole)) {
    throw optionError(
      'secrets-role',
      `"${options.secretsRole}" is not an IAM role ARN.`,
      `pass the role External Secrets assumes in the new cluster, e.g. ${EXAMPLES['secrets-role']}.`,
    );
  }
  if (options.albGroup !== undefined) {
    if (!ALB_GROUP.test(options.albGroup))
      throw optionError(
        'alb-group',
        `"${options.albGroup}" is not an ALB group name (lower-case letters, digits, "-" and ".", at most 63).`,
        `pass e.g. --alb-group berth-${name}.`,
      );
    const sharing = others.find((env) => env.ingress.groupName === options.albGroup);
    if (sharing)
      throw optionError(
        'alb-group',
        `"${options.albGroup}" is ${sharing.name}'s ALB group; the new environment's Ingresses would join ${sharing.name}'s load balancer.`,
        `pass a group of its own, e.g. --alb-group berth-${name}.`,
      );
  }

  if (options.promotion !== undefined && !['push', 'pr'].includes(options.promotion))
    throw optionError(
      'promotion',
      `${JSON.stringify(options.promotion)} is not a promotion mode.`,
      'pass --promotion push or --promotion pr.',
    );
  if (options.autoSync !== undefined && typeof options.autoSync !== 'boolean')
    throw optionError(
      'auto-sync',
      `is ${JSON.stringify(options.autoSync)}, not true or false.`,
      'pass --auto-sync or --no-auto-sync.',
    );

  const given: Record<keyof typeof EXAMPLES, unknown> = {
    cluster,
    namespace: options.namespace,
    domain: options.domain,
    'certificate-arn': options.certificateArn,
    'secrets-role': options.secretsRole,
    'alb-group': options.albGroup,
    'vpc-cidr': options.vpcCidr,
  };
  requireOptions(
    (Object.keys(EXAMPLES) as (keyof typeof EXAMPLES)[])
      .filter((option) => given[option] === undefined)
      .map((option) => ({ option, example: EXAMPLES[option] })),
    `${name} needs its own cluster, namespace, domain, certificate, secrets role, VPC and ALB group (nothing is copied from ${source.name})`,
  );
  if (options.clusterName !== undefined && !/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/.test(options.clusterName))
    throw optionError(
      'cluster-name',
      `"${options.clusterName}" is not an EKS cluster name.`,
      'pass the name EKS lists, e.g. berth-qa.',
    );
  if (options.vpcId !== undefined && !/^vpc-[0-9a-f]{8,17}$/.test(options.vpcId))
    throw optionError('vpc-id', `"${options.vpcId}" is not a VPC id.`, 'pass it like vpc-0a1b2c3d4e5f60004.');
  // the add-on charts read the VPC (the load balancer controller): a new cluster's is never the source's
  if (source.aws?.vpcId && options.vpcId === undefined)
    throw optionError(
      'vpc-id',
      `${name} needs the id of its own cluster's VPC (${source.name} has aws.vpcId; the add-ons read it).`,
      'pass --vpc-id vpc-... (aws eks describe-cluster --query cluster.resourcesVpcConfig.vpcId).',
    );
  return {
    name,
    source,
    before,
    clusterName: options.clusterName,
    vpcId: options.vpcId,
    cluster: cluster!,
    kubeVersion,
    namespace: options.namespace!,
    domain: options.domain!,
    region,
    vpcCidr: options.vpcCidr!,
    certificateArn: options.certificateArn!,
    secretsRoleArn: options.secretsRole!,
    albGroup: options.albGroup!,
    autoSync: options.autoSync,
    promotion: options.promotion,
  };
}

/** Where the new environment goes: after --promotes-from, and before --before (which must promote from it). */
function chainPlace(
  workspace: Workspace,
  options: EnvironmentGeneratorSchema,
): { source: Environment; before?: Environment } {
  const known = workspace.environments.map((env) => env.name);
  const find = (name: string | undefined) => workspace.environments.find((env) => env.name === name);
  const before = options.before === undefined ? undefined : find(options.before);
  if (options.before !== undefined && !before)
    throw optionError(
      'before',
      `"${options.before}" is not an environment (known: ${known.join(', ')}).`,
      `pass one of ${known.join(', ')}.`,
    );
  if (before && options.before === options.promotesFrom) {
    throw optionError(
      'before',
      `${before.name} cannot promote from ${options.name} while ${options.name} promotes from ${before.name}: that is a cycle.`,
      `pass --before the environment that promotes from ${before.name} (${successors(workspace, before.name) || 'none does'}).`,
    );
  }
  const sourceName = options.promotesFrom ?? before?.promotesFrom ?? undefined;
  if (sourceName === undefined) {
    if (before)
      throw optionError(
        'before',
        `${before.name} is the first environment (it promotes from none); the new one would take images from the registry in its place.`,
        `add the new environment after ${before.name}: --promotes-from ${before.name}.`,
      );
    throw optionError(
      'promotes-from',
      'names no environment: a new environment takes its versions by promotion from another.',
      `pass --promotes-from ${known[0] ?? 'dev'}.`,
    );
  }
  const source = find(sourceName);
  if (!source)
    throw optionError(
      'promotes-from',
      `"${sourceName}" is not an environment (known: ${known.join(', ')}).`,
      `pass one of ${known.join(', ')}.`,
    );
  if (before && before.promotesFrom !== source.name) {
    throw optionError(
      'before',
      `${before.name} promotes from ${before.promotesFrom ?? 'no environment'}, not ${source.name}, so ${options.name} cannot sit between them.`,
      `pass --before ${successors(workspace, source.name) || '<an environment that promotes from ' + source.name + '>'}, or --promotes-from ${before.promotesFrom ?? before.name}.`,
    );
  }
  return { source, before };
}

function successors(workspace: Workspace, name: string): string {
  return workspace.environments
    .filter((env) => env.promotesFrom === name)
    .map((env) => env.name)
    .join(' or ');
}

/** An https API server URL, or a cluster name registered in Argo CD; never a wildcard, plain http, a file or link-local. */
function clusterOf(value: string): { server: string } | { name: string } {
  const fix = `pass the API server URL Argo CD knows the cluster by (e.g. ${EXAMPLES.cluster}) or the cluster's name in Argo CD.`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch (cause) {
      throw optionError('cluster', `"${value}" is not a URL.`, fix, cause);
    }
    if (url.protocol !== 'https:')
      throw optionError(
        'cluster',
        `"${value}" is not an https URL; Argo CD would talk to the cluster unencrypted or not at all.`,
        fix,
      );
    if (url.username || url.password)
      throw optionError(
        'cluster',
        'the URL holds credentials; they would be written into env.yaml and every AppProject.',
        'pass the URL without user and password; Argo CD keeps cluster credentials in its own Secret.',
      );
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (host.includes('*') || /^169\.254\./.test(host) || /^fe[89ab][0-9a-f]:/i.test(host))
      throw optionError('cluster', `"${value}" names a wildcard or link-local host, not a cluster.`, fix);
    return { server: value };
  }
  if (!CLUSTER_NAME.test(value))
    throw optionError('cluster', `"${value}" is neither an https URL nor a cluster name.`, fix);
  return { name: value };
}
