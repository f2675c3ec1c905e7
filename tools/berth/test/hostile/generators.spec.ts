// Hostile generator options: each is refused naming the option and the fix with the tree untouched, or stays inert data.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BerthError } from '../../src/errors';
import { environmentGenerator } from '../../src/nx/generators/environment/generator';
import { serviceGenerator } from '../../src/nx/generators/service/generator';
import type { ServiceGeneratorSchema } from '../../src/nx/generators/service/schema';
import { treeFiles } from '../../src/nx/tree-files';
import { loadWorkspace } from '../../src/workspace/load';
import { QA, exampleTree, snapshot } from '../nx/workspace-tree';

const IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders';
const SERVICE: ServiceGeneratorSchema = { name: 'orders', image: IMAGE };
const SCHEDULED: ServiceGeneratorSchema = { name: 'report', kind: 'scheduled', schedule: '30 2 * * *', image: IMAGE };
const INJECTED_PIN = 't\npins:\n  dev: {version: 9.9.9, reason: injected}';

type Generator = 'service' | 'environment';
interface Refusal {
  name: string;
  generator: Generator;
  options: Record<string, unknown>;
  /** The option the error must name. */
  option: string;
  message: RegExp;
}

const service = (
  name: string,
  options: Record<string, unknown>,
  option: string,
  message: RegExp,
  base = SERVICE,
): Refusal => ({ name, generator: 'service', options: { ...base, ...options }, option, message });
const environment = (name: string, options: Record<string, unknown>, option: string, message: RegExp): Refusal => ({
  name,
  generator: 'environment',
  options: { ...QA, ...options },
  option,
  message,
});

const refusals: Refusal[] = [
  service('an owner that injects a pin', { owner: INJECTED_PIN }, '--owner', /holds a line break; it must be one line/),
  service('an owner with a carriage return', { owner: 'team\rpins: {}' }, '--owner', /line break/),
  service('an owner with a tab', { owner: 'team\tweb' }, '--owner', /control character U\+0009/),
  service('an owner with a NUL byte', { owner: 'team\u0000' }, '--owner', /control character U\+0000/),
  service(
    'an owner with a Unicode line separator',
    { owner: 'team\u2028pins: {}' },
    '--owner',
    /control character U\+2028/,
  ),
  service('an owner far too long', { owner: 'x'.repeat(5000) }, '--owner', /5000 characters long; the limit is 100/),
  service('an image that injects a key', { image: `${IMAGE}\nreplicas: 99` }, '--image', /line break/),
  service(
    'an image holding Helm template text',
    { image: '{{ .Values.secret }}' },
    '--image',
    /is not an image repository/,
  ),
  service('an image with a YAML tag', { image: '!!binary aGVsbG8=' }, '--image', /is not an image repository/),
  service('an image with a quote', { image: `${IMAGE}"` }, '--image', /is not an image repository/),
  service(
    'an ingress path that injects a host',
    { ingressPath: '/orders\n  host: evil.example.net' },
    '--ingress-path',
    /line break/,
  ),
  service(
    'an ingress path holding Helm template text',
    { ingressPath: '/{{ .Release.Name }}' },
    '--ingress-path',
    /is not an HTTP path/,
  ),
  service('an ingress path with a quote and colon', { ingressPath: '/a": b' }, '--ingress-path', /is not an HTTP path/),
  service(
    'an ingress host that is a URL',
    { ingressHost: 'https://evil.example.net/' },
    '--ingress-host',
    /is not a host name/,
  ),
  service(
    'a schedule that injects a key',
    { schedule: '30 2 * * *\nreplicas: 99' },
    '--schedule',
    /line break/,
    SCHEDULED,
  ),
  service(
    'a schedule with minute 61',
    { schedule: '61 * * * *' },
    '--schedule',
    /minute field "61" goes above 59/,
    SCHEDULED,
  ),
  service(
    'a schedule with hour 25 and weekday 9',
    { schedule: '30 25 * * 9' },
    '--schedule',
    /hour field "25" goes above 23.*day of week field "9" goes above 6/,
    SCHEDULED,
  ),
  service(
    'a schedule holding Helm template text',
    { schedule: '{{ now }} * * * *' },
    '--schedule',
    /not a cron schedule/,
    SCHEDULED,
  ),
  service(
    'a schedule with a time zone prefix',
    { schedule: 'CRON_TZ=Europe/Berlin 30 2 * * *' },
    '--schedule',
    /refuses TZ= or CRON_TZ=/,
    SCHEDULED,
  ),
  service(
    'a schedule the library chart does not take',
    { schedule: '@every 5m' },
    '--schedule',
    /library chart takes only/,
    SCHEDULED,
  ),
  service(
    'a schedule split by non-breaking spaces',
    { schedule: '30\u00a02 * * *' },
    '--schedule',
    /other than spaces/,
    SCHEDULED,
  ),
  service('a tag that injects a key', { tag: '1.0"\nreplicas: 99' }, '--tag', /is not a pinned image tag/),
  service(
    'a storage size with a flow mapping',
    { kind: 'stateful', storage: '{size: 1Ti}' },
    '--storage',
    /is not a volume size/,
  ),
  service('a name that climbs out with ../', { name: '../orders' }, '--name', /is not a DNS-1123 label/),
  service('a name with a slash', { name: 'orders/../../etc' }, '--name', /is not a DNS-1123 label/),
  service('an upper-case name', { name: 'Orders' }, '--name', /is not a DNS-1123 label/),
  service(
    'a name too long for a Helm release',
    { name: 'a'.repeat(54) },
    '--name',
    /54 characters long; the limit is 53/,
  ),
  service('a name that injects a key', { name: 'orders\npins: {}' }, '--name', /is not a DNS-1123 label/),
  service('a kind that injects a key', { kind: 'stateless\nreplicas: 9' }, '--kind', /is not a kind/),
  service('a name that is YAML', { name: 'orders: {}' }, '--name', /is not a DNS-1123 label/),
  service('an environment list that climbs out', { envs: 'dev,../prod' }, '--envs', /"..\/prod" is not an environment/),
  service('a dependency that injects a key', { dependsOn: 'postgres\nowner: x' }, '--depends-on', /line break/),
  environment('an environment name that climbs out', { name: '../qa' }, '--name', /is not a DNS-1123 label/),
  environment(
    'an environment name that injects a key',
    { name: 'qa\nimageUpdates: {}' },
    '--name',
    /is not a DNS-1123 label/,
  ),
  environment('an upper-case environment name', { name: 'QA' }, '--name', /is not a DNS-1123 label/),
  environment('an environment name too long', { name: 'q'.repeat(21) }, '--name', /limit is 20/),
  environment('a domain that injects a key', { domain: 'qa.example.com\nimageUpdates: {}' }, '--domain', /line break/),
  environment(
    'a cluster that injects a name',
    { cluster: 'https://qa.example.internal\n  name: prod' },
    '--cluster',
    /line break/,
  ),
  environment('a wildcard cluster', { cluster: '*' }, '--cluster', /neither an https URL nor a cluster name/),
  environment(
    'an ALB group holding Helm template text',
    { albGroup: '{{ .Values.x }}' },
    '--alb-group',
    /is not an ALB group name/,
  ),
  environment(
    'a secrets role with a quote',
    { secretsRole: 'arn:aws:iam::123456789012:role/x"' },
    '--secrets-role',
    /is not an IAM role ARN/,
  ),
  environment(
    'a certificate ARN with a YAML tag',
    { certificateArn: '!!str arn:aws:acm:eu-west-1:123456789012:certificate/x' },
    '--certificate-arn',
    /is not an ACM certificate ARN/,
  ),
  environment('a namespace that is kube-system', { namespace: 'kube-system' }, '--namespace', /uses for itself/),
  environment('a namespace that climbs out', { namespace: '../dev' }, '--namespace', /is not a DNS-1123 label/),
  environment('a promotion mode that is YAML', { promotion: 'pr\nsync: {}' }, '--promotion', /is not a promotion mode/),
  environment('a VPC range with a comment', { vpcCidr: '10.40.0.0/16 # ok' }, '--vpc-cidr', /is not an IPv4 CIDR/),
];

function run(generator: Generator, tree: ReturnType<typeof exampleTree>, options: Record<string, unknown>) {
  return generator === 'service'
    ? serviceGenerator(tree, options as never)
    : environmentGenerator(tree, options as never);
}

describe('hostile generator options', () => {
  it('has a table of at least 20 refusals', () => {
    expect(refusals.length).toBeGreaterThanOrEqual(20);
  });

  it.each(refusals)(
    'refuses $name, naming $option and the fix, and writes nothing',
    async ({ generator, options, option, message }) => {
      const tree = exampleTree();
      const before = snapshot(tree);
      const error = await run(generator, tree, options).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(BerthError);
      const berthError = error as BerthError;
      expect(berthError.field).toBe(option);
      expect(berthError.message.startsWith(`${option}: `)).toBe(true);
      expect(berthError.message).toMatch(message);
      expect(berthError.fix ?? '').toMatch(/\S{3}/);
      // a refusal quotes the value on one line: the message cannot be forged either
      expect(berthError.problem).not.toMatch(/\n/);
      expect(snapshot(tree)).toEqual(before);
    },
  );

  const inertOwners = [
    ['a colon and a space', 'team: web'],
    ['quotes of both kinds', `team "web" 'a'`],
    ['a YAML tag', '!!js/function "() => 1"'],
    ['an anchor and an alias', '&owner *owner'],
    ['a comment marker', '# nobody'],
    ['Helm template text', '{{ .Values.image.tag }}'],
    ['a flow mapping', '{pins: {dev: {version: 9.9.9}}}'],
    ['a document marker', '--- pins: x'],
    ['a value YAML 1.1 reads as a boolean', 'yes'],
    ['a value YAML reads as a number', '1e3'],
  ];
  it.each(inertOwners)('keeps an owner with %s as inert data', async (_case, owner) => {
    const tree = exampleTree();
    await serviceGenerator(tree, { ...SERVICE, owner });
    const app = parse(tree.read('apps/orders/app.yaml', 'utf-8')!);
    expect(app.owner).toBe(owner);
    expect(Object.keys(app).sort()).toEqual(['dependsOn', 'environments', 'imageUpdates', 'kind', 'name', 'owner']);
    const loaded = loadWorkspace(treeFiles(tree)).services.find((candidate) => candidate.name === 'orders')!;
    expect(loaded.owner).toBe(owner);
    expect(loaded.pins).toEqual({});
  });

  it('keeps values YAML 1.1 (what Helm reads) would turn into booleans as strings', async () => {
    const tree = exampleTree();
    await serviceGenerator(tree, { ...SERVICE, image: 'yes', ingressHost: 'on', owner: 'no' });
    const values = tree.read('charts/orders/values.yaml', 'utf-8')!;
    for (const version of ['1.1', '1.2'] as const) {
      expect(parse(values, { version })).toMatchObject({ image: { repository: 'yes' }, ingress: { host: 'on' } });
      expect(parse(tree.read('apps/orders/app.yaml', 'utf-8')!, { version }).owner).toBe('no');
    }
  });

  it('keeps environment values YAML 1.1 would read as booleans or numbers as strings', async () => {
    const tree = exampleTree();
    await environmentGenerator(tree, {
      ...QA,
      name: 'on',
      namespace: 'yes',
      kubeVersion: '1.30',
      domain: 'on.example.com',
      albGroup: 'berth-on',
    });
    for (const version of ['1.1', '1.2'] as const) {
      expect(parse(tree.read('environments/on/env.yaml', 'utf-8')!, { version })).toMatchObject({
        name: 'on',
        namespace: 'yes',
        cluster: { kubeVersion: '1.30' },
      });
      expect(parse(tree.read('apps/service-a/app.yaml', 'utf-8')!, { version }).environments).toEqual([
        'dev',
        'on',
        'stage',
        'prod',
      ]);
    }
  });

  it('keeps an ingress path and a schedule exactly as given', async () => {
    const tree = exampleTree();
    await serviceGenerator(tree, { ...SERVICE, ingressPath: '/a_b.c~d-e/f' });
    expect(parse(tree.read('charts/orders/values.yaml', 'utf-8')!).ingress.path).toBe('/a_b.c~d-e/f');
    await serviceGenerator(tree, { ...SCHEDULED, schedule: '*/15 9-17 * JAN-JUN MON-FRI' });
    expect(parse(tree.read('charts/report/values.yaml', 'utf-8')!).schedule).toBe('*/15 9-17 * JAN-JUN MON-FRI');
  });
});
