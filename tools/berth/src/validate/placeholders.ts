// Pure: finds example values (example hosts, example AWS account ids, all-zero ids) in a YAML file a person edits.
// They are warnings, not failures: `berth new` and the example platform write them on purpose, to be replaced.
import { readYaml } from '../util/yaml-read';
import type { Finding } from './finding';

/** AWS documentation's example account ids, and the all-zero one. */
const EXAMPLE_ACCOUNTS = ['000000000000', '123456789012', '111122223333', '444455556666'];
// not inside a longer hex run: the last group of an all-zero id is twelve zeros too
const ACCOUNT = new RegExp(`(?<![0-9a-f-])(${EXAMPLE_ACCOUNTS.join('|')})(?![0-9a-f-])`, 'i');
/** A resource id made of zeros: the certificate id `berth new` writes (the example numbers its copies 01, 02...). */
const ZERO_UUID = /(?<![0-9a-f])0{8}-0{4}-0{4}-0{4}-0{9}[0-9a-f]{3}(?![0-9a-f])/i;
/** AWS documentation's example VPC, subnet and security group ids, and all-zero ones. */
const EXAMPLE_RESOURCE_ID = /(?<![\w-])(vpc|subnet|sg)-(0{8}|0{17}|12345678|0123456789abcdef0|1a2b3c4d)(?![\w-])/;
const RESOURCE_KINDS: Record<string, string> = { vpc: 'VPC', subnet: 'subnet', sg: 'security group' };
/** Host names in a value: a URL's host, an image's registry, a bare domain; `*.` for wildcard certificates. */
const HOST = /(?<![\w.-])(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z][a-z0-9-]*(?![\w-])/gi;
/** Names reserved for examples (RFC 2606, RFC 6761): example, example.com/.net/.org, and the .test and .invalid TLDs. */
const RESERVED_LABEL = 'example';
const RESERVED_TLDS = new Set(['example', 'test', 'invalid']);
/** IPv4 blocks reserved for documentation (RFC 5737) and IPv6's (RFC 3849). */
const DOCUMENTATION_NETWORKS =
  /(?<![0-9.])(192\.0\.2|198\.51\.100|203\.0\.113)\.\d{1,3}(\/\d{1,2})?(?![0-9])|(?<![0-9a-f:])2001:db8:/i;

/** Why a value is a placeholder, or nothing when it looks real. `kubernetes.default.svc` is real: Argo CD's own cluster. */
export function placeholderReasons(value: string): string[] {
  const reasons: string[] = [];
  const exampleHosts = (value.match(HOST) ?? []).filter((host) => {
    const labels = host.toLowerCase().replace(/^\*\./, '').split('.');
    return labels.includes(RESERVED_LABEL) || RESERVED_TLDS.has(labels.at(-1)!);
  });
  if (exampleHosts.length) reasons.push(`${[...new Set(exampleHosts)].join(', ')} is a name reserved for examples`);
  const account = ACCOUNT.exec(value)?.[1];
  if (account) reasons.push(`${account} is an example AWS account id`);
  if (ZERO_UUID.test(value)) reasons.push('its id is all zeros');
  const resource = EXAMPLE_RESOURCE_ID.exec(value);
  if (resource) reasons.push(`${resource[0]} is an example ${RESOURCE_KINDS[resource[1]]} id`);
  if (DOCUMENTATION_NETWORKS.test(value)) reasons.push('the address is in a block reserved for documentation');
  return reasons;
}

/** The VPC CIDR `berth new` writes for the environment at `index` of the promotion chain (see new/environments.ts). */
export const generatedVpcCidr = (index: number) => `10.${(10 * (index + 1)) % 250}.0.0/16`;

/** What to set, by the field's last key. */
const FIXES: [RegExp, string][] = [
  [
    /^server$/,
    'set the API server URL of the cluster (aws eks describe-cluster --name <cluster> --query cluster.endpoint), or the name the cluster is registered under in Argo CD.',
  ],
  [/^domain$/, 'set the DNS domain the environment serves (a zone you own; its Ingress hosts are made from it).'],
  [
    /^certificateArn$|certificate-arn$/,
    'set the ARN of the ACM certificate for the domain and *.domain (aws acm list-certificates --region <region>).',
  ],
  [
    /roleArn$|role-arn$/i,
    "set the ARN of the IAM role in the environment's AWS account (aws iam get-role --role-name <name> --query Role.Arn).",
  ],
  [
    /^vpcCidr$/,
    "set the CIDR of the cluster's VPC (aws ec2 describe-vpcs --vpc-ids <id> --query 'Vpcs[0].CidrBlock').",
  ],
  [/^repository$/, 'set the repository the images are pushed to (aws ecr describe-repositories).'],
  [/^repoURL$/, 'set the URL of the repository Argo CD clones.'],
];
const fixFor = (key: string) => FIXES.find(([pattern]) => pattern.test(key))?.[1] ?? 'replace it with the real value.';

/** `.key`, or `["key"]` when the key is not a plain identifier (annotations such as eks.amazonaws.com/role-arn). */
const segment = (key: string) => (/^[A-Za-z_$][\w$-]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`);

function scalars(
  node: unknown,
  path: string,
  visit: (value: string, path: string, key: string) => void,
  key = '',
): void {
  if (Array.isArray(node)) node.forEach((item, index) => scalars(item, `${path}[${index}]`, visit, key));
  else if (node && typeof node === 'object') {
    for (const [name, value] of Object.entries(node))
      scalars(value, `${path}${segment(name)}`.replace(/^\./, ''), visit, name);
  } else if (typeof node === 'string') visit(node, path, key);
}

export interface PlaceholderScope {
  /** For an env.yaml: its place in the promotion chain, to recognise the VPC CIDR `berth new` wrote for it. */
  environmentIndex?: number;
}

/** Every string of a YAML file that holds an example value, as a warning naming the file, the field and what to set. */
export function findPlaceholders(file: string, text: string, scope: PlaceholderScope = {}): Finding[] {
  let contents: unknown;
  try {
    contents = readYaml(text, file);
  } catch {
    return []; // a file that does not parse is reported by the checks that read it
  }
  const warnings: Finding[] = [];
  scalars(contents, '', (value, field, key) => {
    const reasons = placeholderReasons(value);
    if (
      scope.environmentIndex !== undefined &&
      field === 'vpcCidr' &&
      value === generatedVpcCidr(scope.environmentIndex)
    )
      reasons.push('it is the CIDR `berth new` writes for this environment');
    if (!reasons.length) return;
    warnings.push({
      rule: 'placeholder',
      object: file,
      field,
      message: `${JSON.stringify(value)} is a placeholder: ${reasons.join('; ')}.`,
      fix: fixFor(key),
    });
  });
  return warnings;
}
