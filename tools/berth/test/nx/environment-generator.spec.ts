// nx g berth:environment: a new environment of its own in the promotion chain, and refusal of bad input.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { environmentGenerator } from '../../src/nx/generators/environment/generator';
import { applyDerivedFiles } from '../../src/nx/sync/generator';
import { treeFiles } from '../../src/nx/tree-files';
import { loadWorkspace } from '../../src/workspace/load';
import { QA, exampleTree, snapshot } from './workspace-tree';

const read = (tree: ReturnType<typeof exampleTree>, path: string) => parse(tree.read(path, 'utf-8') ?? 'null');

describe('berth:environment generator', () => {
  it('adds qa after dev with overlays, projects, root and Applications', async () => {
    const tree = exampleTree();
    await environmentGenerator(tree, QA);
    expect(read(tree, 'environments/qa/env.yaml')).toMatchObject({
      name: 'qa',
      promotesFrom: 'dev',
      namespace: 'qa',
      domain: 'qa.example.com',
      ingress: { groupName: 'berth-qa' },
    });
    expect(tree.read('environments/qa/env.yaml', 'utf-8')).toContain('# pinned so rendering matches the cluster');
    expect(read(tree, 'environments/qa/service-a.yaml').image.tag).toBe(
      read(tree, 'environments/dev/service-a.yaml').image.tag,
    );
    expect(read(tree, 'apps/service-a/app.yaml').environments).toEqual(['dev', 'qa', 'stage', 'prod']);
    expect(read(tree, 'argocd/bootstrap/qa.yaml').spec.source.path).toBe('argocd/apps/qa');
    expect(read(tree, 'argocd/apps/qa/service-b.yaml').spec.destination.namespace).toBe('qa');
    expect(tree.exists('argocd/apps/qa/cluster-base.yaml')).toBe(true);
    expect(tree.exists('argocd/projects/qa.yaml')).toBe(true);
  });

  it('writes the commented promotion gates example for each link it changes: into qa from dev, into stage from qa', async () => {
    const tree = exampleTree();
    await environmentGenerator(tree, { ...QA, promotesFrom: undefined, before: 'stage' });
    const qa = tree.read('environments/qa/env.yaml', 'utf-8')!;
    expect(qa).toMatch(
      /\npromotion:\n {2}mode: push\n {2}# Gates a promotion into qa must pass \(docs\/promotion-gates\.md\)/,
    );
    expect(qa).toContain('  #   healthy: true            # dev runs the version Synced and Healthy\n');
    expect(read(tree, 'environments/qa/env.yaml').promotion).toEqual({ mode: 'push' });
    const stage = tree.read('environments/stage/env.yaml', 'utf-8')!;
    expect(read(tree, 'environments/stage/env.yaml').promotesFrom).toBe('qa');
    expect(stage).toContain('# Gates a promotion into stage must pass');
    expect(stage).toContain('healthy and soak ask Argo CD about qa (ARGOCD_SERVER');
    expect(stage).not.toContain('about dev');
  });

  it("writes an env.yaml of its own: nothing of dev's cluster, certificate, role, VPC or ALB; versions by promotion only", async () => {
    const tree = exampleTree();
    await environmentGenerator(tree, QA);
    const text = tree.read('environments/qa/env.yaml', 'utf-8')!;
    const env = parse(text);
    expect(text.split('\n')[0]).toBe(
      '# The qa environment: where it runs, how Argo CD syncs it, how versions reach it.',
    );
    expect(text).not.toContain('The dev environment');
    expect(env.cluster.server).toBe(QA.cluster);
    expect(env.vpcCidr).toBe('10.40.0.0/16');
    expect(env.ingress.certificateArn).toBe(QA.certificateArn);
    expect(env.secrets).toEqual({ store: 'aws-secrets-manager', prefix: 'berth/qa/', roleArn: QA.secretsRole });
    expect(env.imageUpdates).toEqual({ enabled: false });
    expect(text).toMatch(
      /# versions arrive here by berth promote, never straight from the registry\nimageUpdates:\n {2}enabled: false/,
    );
    // cluster facts the source knows are defaults: the same kube version and API versions
    const dev = read(tree, 'environments/dev/env.yaml');
    expect(env.cluster.kubeVersion).toBe(dev.cluster.kubeVersion);
    expect(env.cluster.apiVersions).toEqual(dev.cluster.apiVersions);
    expect(text).toContain('kubeVersion: "1.36.0"');
    for (const value of [
      dev.cluster.server,
      dev.ingress.certificateArn,
      dev.secrets.roleArn,
      dev.vpcCidr,
      dev.ingress.groupName,
      dev.aws.vpcId,
      dev.addons['aws-load-balancer-controller'].roleArn,
    ])
      expect(text).not.toContain(value);
    // the add-ons' facts are qa's own: its cluster, VPC and roles
    expect(env.aws).toEqual({ accountId: '123456789012', clusterName: 'berth-qa', vpcId: QA.vpcId });
    expect(env.addons['aws-load-balancer-controller']).toEqual({
      roleArn: 'arn:aws:iam::123456789012:role/berth-qa-aws-load-balancer-controller',
      identity: 'irsa',
    });
    expect(env.chartUpdates).toEqual({ enabled: false });
    // the image updater stays in dev: it is not promoted anywhere, and qa takes no images from the registry
    expect(read(tree, 'apps/berth-image-updater/app.yaml').environments).toEqual(['dev']);
    expect(tree.exists('environments/qa/berth-image-updater.yaml')).toBe(false);
    expect(loadWorkspace(treeFiles(tree)).environments.find((e) => e.name === 'qa')!.imageUpdates).toEqual({
      enabled: false,
    });
    // stage still promotes from dev: qa is a branch of dev
    expect(read(tree, 'environments/stage/env.yaml').promotesFrom).toBe('dev');
    expect(applyDerivedFiles(tree)).toBe('');
  });

  it('--before stage inserts qa into the chain: dev -> qa -> stage -> prod', async () => {
    const tree = exampleTree();
    const stageBefore = tree.read('environments/stage/env.yaml', 'utf-8')!;
    await environmentGenerator(tree, { ...QA, promotesFrom: undefined, before: 'stage' });
    expect(read(tree, 'environments/qa/env.yaml').promotesFrom).toBe('dev');
    const stage = tree.read('environments/stage/env.yaml', 'utf-8')!;
    expect(parse(stage).promotesFrom).toBe('qa');
    // only that line and the gates example that named dev changed: other comments and the layout stay
    expect(stage).toBe(
      stageBefore
        .replace('promotesFrom: dev', 'promotesFrom: qa')
        .replace('ask Argo CD about dev', 'ask Argo CD about qa')
        .replace('# dev runs the version', '# qa runs the version'),
    );
    expect(loadWorkspace(treeFiles(tree)).environments.map((env) => `${env.promotesFrom ?? '-'}>${env.name}`)).toEqual([
      '->dev',
      'dev>qa',
      'qa>stage',
      'stage>prod',
    ]);
    expect(read(tree, 'apps/postgres/app.yaml').environments).toEqual(['dev', 'qa', 'stage', 'prod']);
    expect(read(tree, 'apps/berth-image-updater/app.yaml').environments).toEqual(['dev']);
    expect(applyDerivedFiles(tree)).toBe('');
  });

  it('names a cluster registered in Argo CD instead of a server URL', async () => {
    const tree = exampleTree();
    await environmentGenerator(tree, { ...QA, cluster: 'qa-eu-west-1', kubeVersion: '1.34.1' });
    const env = read(tree, 'environments/qa/env.yaml');
    expect(env.cluster.name).toBe('qa-eu-west-1');
    expect(env.cluster.server).toBeUndefined();
    expect(env.cluster.kubeVersion).toBe('1.34.1');
    expect(read(tree, 'argocd/apps/qa/service-a.yaml').spec.destination).toEqual({
      name: 'qa-eu-west-1',
      namespace: 'qa',
    });
  });

  it('keeps the list style of each app.yaml it edits', async () => {
    const tree = exampleTree();
    const block = tree
      .read('apps/service-c/app.yaml', 'utf-8')!
      .replace('environments: [dev, stage, prod]', 'environments:\n  - dev\n  - stage\n  - prod');
    tree.write('apps/service-c/app.yaml', block);
    await environmentGenerator(tree, QA);
    expect(tree.read('apps/service-c/app.yaml', 'utf-8')).toBe(block.replace('  - dev\n', '  - dev\n  - qa\n'));
    expect(tree.read('apps/service-a/app.yaml', 'utf-8')).toContain('environments: [dev, qa, stage, prod]\n');
  });

  it('refuses without the options that make it its own, naming each one', async () => {
    const tree = exampleTree();
    const before = snapshot(tree);
    const error = await environmentGenerator(tree, { name: 'qa', promotesFrom: 'dev', namespace: 'qa' }).catch(
      (caught) => caught,
    );
    expect(error.field).toBe('--cluster, --domain, --certificate-arn, --secrets-role, --alb-group, --vpc-cidr');
    expect(error.message).toMatch(/are missing: qa needs its own cluster/);
    expect(error.fix).toMatch(
      /--cluster https:\/\/.* --domain qa\.example\.com .*run without --no-interactive to be asked/,
    );
    expect(snapshot(tree)).toEqual(before);
  });

  it.each([
    ['an existing environment', { name: 'stage', promotesFrom: 'dev' }, /environment "stage" already exists/],
    ['an unknown source', { name: 'qa', promotesFrom: 'test' }, /--promotes-from: "test" is not an environment/],
    ['a name that is not a DNS label', { name: 'QA_1', promotesFrom: 'dev' }, /--name: "QA_1" is not a DNS-1123 label/],
    ['a name too long', { name: 'q'.repeat(21), promotesFrom: 'dev' }, /limit is 20/],
    [
      'a bad domain',
      { name: 'qa', promotesFrom: 'dev', domain: 'qa..example' },
      /--domain: "qa..example" is not a DNS name/,
    ],
    ['no source at all', { ...QA, promotesFrom: undefined }, /--promotes-from: names no environment/],
    [
      '--before an unknown environment',
      { ...QA, before: 'uat' },
      /--before: "uat" is not an environment \(known: dev, stage, prod\)/,
    ],
    [
      '--before its own source (a cycle)',
      { ...QA, before: 'dev' },
      /--before: dev cannot promote from qa while qa promotes from dev: that is a cycle/,
    ],
    [
      '--before an environment that promotes from another',
      { ...QA, before: 'prod' },
      /--before: prod promotes from stage, not dev/,
    ],
    [
      '--before the first environment',
      { ...QA, promotesFrom: undefined, before: 'dev' },
      /--before: dev is the first environment/,
    ],
    ["dev's ALB group", { ...QA, albGroup: 'berth-dev' }, /--alb-group: "berth-dev" is dev's ALB group/],
    ["stage's domain", { ...QA, domain: 'stage.example.com' }, /--domain: "stage.example.com" is stage's domain/],
    ["prod's namespace", { ...QA, namespace: 'prod' }, /--namespace: "prod" is prod's namespace/],
    [
      'kube-system',
      { ...QA, namespace: 'kube-system' },
      /--namespace: "kube-system" is a namespace the cluster or Argo CD uses/,
    ],
    ["Argo CD's namespace", { ...QA, namespace: 'argocd' }, /--namespace: "argocd" is a namespace/],
    ['a plain http cluster', { ...QA, cluster: 'http://qa.example.internal' }, /--cluster: .* is not an https URL/],
    ['a wildcard cluster', { ...QA, cluster: 'https://*' }, /--cluster: .*(wildcard|not a URL)/],
    ['a link-local cluster', { ...QA, cluster: 'https://169.254.169.254' }, /--cluster: .*link-local/],
    [
      'a cluster URL with credentials',
      { ...QA, cluster: 'https://admin:hunter2@qa.example.internal' },
      /--cluster: the URL holds credentials/,
    ],
    ['a cluster that is a file', { ...QA, cluster: 'file:///etc/passwd' }, /--cluster: .* is not an https URL/],
    [
      'a certificate ARN that is not one',
      { ...QA, certificateArn: 'arn:aws:iam::123456789012:role/x' },
      /--certificate-arn: .* is not an ACM certificate ARN/,
    ],
    [
      'a certificate from another region',
      { ...QA, certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc' },
      /--certificate-arn: the certificate is in us-east-1, but the environment runs in eu-west-1/,
    ],
    [
      'a secrets role that is not a role ARN',
      { ...QA, secretsRole: 'berth-qa' },
      /--secrets-role: "berth-qa" is not an IAM role ARN/,
    ],
    [
      'a VPC range that is not a CIDR',
      { ...QA, vpcCidr: '10.400.0.0/16' },
      /--vpc-cidr: "10.400.0.0\/16" is not an IPv4 CIDR/,
    ],
    [
      'a kube version that is not one',
      { ...QA, kubeVersion: 'latest' },
      /--kube-version: "latest" is not a Kubernetes version/,
    ],
  ])('rejects %s and leaves every file untouched', async (_case, options, message) => {
    const tree = exampleTree();
    const before = snapshot(tree);
    await expect(environmentGenerator(tree, options as never)).rejects.toThrow(message);
    expect(snapshot(tree)).toEqual(before);
  });
});
