// An add-on's app.yaml and the env.yaml facts it reads, as loadWorkspace checks them: a table of bad inputs, each
// refused with the file, the field and the fix, and the example's add-ons as they load.
import { describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import type { WorkspaceFiles } from '../../src/workspace/files';
import { example, replaceLine } from './support';
import { diskFiles } from '../../src/workspace/files';
import { loadWorkspace } from '../../src/workspace/load';
import { isAddon } from '../../src/workspace/model';
import { repo } from '../cli/workspace';

const APP = 'apps/kube-prometheus-stack/app.yaml';
const DEV = 'environments/dev/env.yaml';

function refusal(files: WorkspaceFiles): BerthError {
  try {
    loadWorkspace(files);
  } catch (error) {
    if (error instanceof BerthError) return error;
    throw error;
  }
  throw new Error('loadWorkspace accepted the workspace');
}

describe('an add-on as loadWorkspace reads it', () => {
  it('reads every field of the example add-ons', () => {
    const workspace = loadWorkspace(diskFiles(repo));
    const addons = workspace.services.filter(isAddon);
    expect(addons.map((addon) => addon.name)).toEqual([
      'aws-ebs-csi-driver',
      'aws-load-balancer-controller',
      'external-secrets',
      'kube-prometheus-stack',
      'metrics-server',
    ]);
    const stack = addons.find((addon) => addon.name === 'kube-prometheus-stack')!;
    expect(stack.addon).toMatchObject({
      chart: { name: 'kube-prometheus-stack', repo: 'oci://ghcr.io/prometheus-community/charts' },
      namespace: 'monitoring',
      serverSideApply: true,
      providedByAutoMode: false,
      environmentValues: {},
    });
    expect(stack.addon.serves).toContain('monitoring.coreos.com/v1/ServiceMonitor');
    const alb = addons.find((addon) => addon.name === 'aws-load-balancer-controller')!;
    expect(alb.addon.environmentValues).toEqual({
      clusterName: 'clusterName',
      region: 'region',
      vpcId: 'vpcId',
      'serviceAccount.annotations.eks\\.amazonaws\\.com/role-arn': 'roleArn',
    });
    expect(alb.addon.providedByAutoMode).toBe(true);
    const prod = workspace.environments.find((env) => env.name === 'prod')!;
    expect(prod.aws).toEqual({ accountId: '123456789012', clusterName: 'berth-prod', vpcId: 'vpc-0a1b2c3d4e5f60003' });
    expect(prod.addons['aws-ebs-csi-driver']).toEqual({
      roleArn: 'arn:aws:iam::123456789012:role/berth-prod-aws-ebs-csi-driver',
      identity: 'pod-identity',
    });
    expect(prod.cluster).toMatchObject({ autoMode: false, preInstalled: [] });
  });

  // [what, file, change, field, problem, fix]
  const cases: [string, string, (text: string) => string, string, RegExp, RegExp][] = [
    [
      'an http:// chart repository',
      APP,
      replaceLine(/repo: .*/, 'repo: http://charts.example.com'),
      'chart.repo',
      /uses http/,
      /https:\/\/<host>/,
    ],
    [
      'a file:// chart repository',
      APP,
      replaceLine(/repo: .*/, 'repo: file:///etc'),
      'chart.repo',
      /uses file/,
      /oci:\/\//,
    ],
    [
      'a token in the chart URL',
      APP,
      replaceLine(/repo: .*/, 'repo: https://x:ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa@charts.example.com'),
      'chart.repo',
      /holds .*(password|token)/,
      /without credentials/,
    ],
    [
      'a user name in the chart URL',
      APP,
      replaceLine(/repo: .*/, 'repo: oci://robot@ghcr.io/charts'),
      'chart.repo',
      /holds a user name/,
      /without credentials/,
    ],
    [
      'a query in the chart URL',
      APP,
      replaceLine(/repo: .*/, 'repo: https://charts.example.com/?x=1'),
      'chart.repo',
      /query or fragment/,
      /https:\/\//,
    ],
    [
      'a path escaping with ..',
      APP,
      replaceLine(/repo: .*/, 'repo: https://charts.example.com/a/../b'),
      'chart.repo',
      /"\.\."|is not a URL|query/,
      /https:\/\//,
    ],
    [
      'a chart name with a slash',
      APP,
      replaceLine(/  name: kube-prometheus-stack/, '  name: ../../etc'),
      'chart.name',
      /DNS-1123/,
      /chart name/,
    ],
    [
      'no chart',
      APP,
      replaceLine(/chart:\n  name: .*\n  repo: .*\n/, ''),
      'chart.name',
      /non-empty string/,
      /upstream chart/,
    ],
    [
      'a namespace that is no DNS label',
      APP,
      replaceLine(/namespace: monitoring/, 'namespace: Monitoring_1'),
      'namespace',
      /DNS-1123/,
      /DNS-1123/,
    ],
    [
      "an environment's namespace",
      APP,
      replaceLine(/namespace: monitoring/, 'namespace: dev'),
      'namespace',
      /namespace of environment dev/,
      /namespace of its own/,
    ],
    [
      "Argo CD's namespace",
      APP,
      replaceLine(/namespace: monitoring/, 'namespace: argocd'),
      'namespace',
      /Argo CD's namespace/,
      /namespace of its own/,
    ],
    [
      'a served kind without a version',
      APP,
      replaceLine(/  - monitoring.coreos.com\/v1\/ServiceMonitor/, '  - monitoring.coreos.com/ServiceMonitor'),
      'serves',
      /not group\/version\/Kind/,
      /monitoring.coreos.com\/v1\/ServiceMonitor/,
    ],
    [
      'a served core kind',
      APP,
      replaceLine(/  - monitoring.coreos.com\/v1\/ServiceMonitor/, '  - core/v1/Pod'),
      'serves',
      /not group\/version\/Kind/,
      /group\/version\/Kind|monitoring/,
    ],
    [
      'a cluster kind without a group',
      APP,
      replaceLine(/  - apiextensions.k8s.io\/CustomResourceDefinition/, '  - CustomResourceDefinition'),
      'clusterKinds',
      /not group\/Kind/,
      /\/ServiceAccount/,
    ],
    [
      'a namespaced kind in lower case',
      APP,
      replaceLine(/  - \/ConfigMap/, '  - /configmap'),
      'namespacedKinds',
      /not group\/Kind/,
      /apps\/Deployment/,
    ],
    [
      'an unknown environment fact',
      'apps/aws-load-balancer-controller/app.yaml',
      replaceLine(/  vpcId: vpcId/, '  vpcId: subnetIds'),
      'environmentValues.vpcId',
      /must be one of clusterName, region, vpcId, accountId, roleArn/,
      /env.yaml fact/,
    ],
    [
      'a value path into the prototype',
      'apps/aws-load-balancer-controller/app.yaml',
      replaceLine(/  region: region/, '  __proto__.polluted: region'),
      'environmentValues.__proto__.polluted',
      /not a value path/,
      /dotted keys/,
    ],
    [
      'an empty value path segment',
      'apps/aws-load-balancer-controller/app.yaml',
      replaceLine(/  region: region/, '  a..b: region'),
      'environmentValues.a..b',
      /not a value path/,
      /dotted keys/,
    ],
    [
      'serverSideApply as text',
      APP,
      replaceLine(/serverSideApply: true/, 'serverSideApply: "yes"'),
      'serverSideApply',
      /true or false/,
      /true or false/,
    ],
    [
      'imageUpdates on an add-on',
      APP,
      (text) => `${text}imageUpdates: {}\n`,
      'imageUpdates',
      /for services/,
      /chartUpdates/,
    ],
    [
      'an add-on depending on a service',
      APP,
      replaceLine(/dependsOn: \[\]/, 'dependsOn: [postgres]'),
      'dependsOn',
      /not an add-on/,
      /only add-ons/,
    ],
    [
      'an IRSA add-on without its role',
      DEV,
      replaceLine(/    roleArn: arn:aws:iam::123456789012:role\/berth-dev-aws-load-balancer-controller\n/, ''),
      'addons.aws-load-balancer-controller.roleArn',
      /is not set, but aws-load-balancer-controller's chart reads it/,
      /pod-identity/,
    ],
    [
      'a role ARN that is no ARN',
      DEV,
      replaceLine(
        /roleArn: arn:aws:iam::123456789012:role\/berth-dev-aws-load-balancer-controller/,
        'roleArn: "arn:aws:iam::123456789012:role/x\\ninjected: true"',
      ),
      'addons.aws-load-balancer-controller.roleArn',
      /is not an IAM role ARN/,
      /arn:aws:iam::<account>:role/,
    ],
    [
      'a role of another account',
      DEV,
      replaceLine(
        /arn:aws:iam::123456789012:role\/berth-dev-aws-load-balancer-controller/,
        'arn:aws:iam::999999999999:role/berth-dev-aws-load-balancer-controller',
      ),
      'addons.aws-load-balancer-controller.roleArn',
      /names account 999999999999, but aws.accountId is 123456789012/,
      /environment's account/,
    ],
    [
      'an identity that is neither',
      DEV,
      replaceLine(/identity: irsa\n  aws-ebs/, 'identity: kiam\n  aws-ebs'),
      'addons.aws-load-balancer-controller.identity',
      /one of irsa, pod-identity/,
      /irsa, pod-identity/,
    ],
    [
      'settings for an add-on that does not exist',
      DEV,
      replaceLine(/addons:\n/, 'addons:\n  cert-manager:\n    identity: irsa\n'),
      'addons.cert-manager',
      /not an add-on/,
      /use one of: aws-ebs-csi-driver/,
    ],
    [
      'an add-on name escaping a folder',
      DEV,
      replaceLine(/addons:\n/, 'addons:\n  ../x:\n    identity: irsa\n'),
      'addons',
      /DNS-1123/,
      /name of an add-on/,
    ],
    [
      'a cluster name the chart reads, missing',
      DEV,
      replaceLine(/  clusterName: berth-dev\n/, ''),
      'aws.clusterName',
      /is not set, but aws-load-balancer-controller's chart reads it/,
      /set aws.clusterName for dev/,
    ],
    [
      'a cluster name with a space',
      DEV,
      replaceLine(/clusterName: berth-dev/, 'clusterName: "berth dev"'),
      'aws.clusterName',
      /not an EKS cluster name/,
      /letters, digits/,
    ],
    [
      'a VPC id that is no VPC id',
      DEV,
      replaceLine(/vpcId: vpc-0a1b2c3d4e5f60001/, 'vpcId: subnet-0a1b2c3d'),
      'aws.vpcId',
      /not a VPC id/,
      /vpc-0a1b2c3d4e5f60001/,
    ],
    [
      'a pre-installed kind without a version',
      DEV,
      replaceLine(/preInstalled: \[\]/, 'preInstalled: [cert-manager.io/Certificate]'),
      'cluster.preInstalled[0]',
      /is not an API kind \(group\/version\/Kind\)/,
      /cert-manager\.io\/v1\/Certificate/,
    ],
    [
      'autoMode as a string',
      DEV,
      replaceLine(/autoMode: false/, 'autoMode: "false"'),
      'cluster.autoMode',
      /true or false/,
      /true or false/,
    ],
  ];

  it.each(cases)('refuses %s, naming file, field and fix', (_what, file, change, field, problem, fix) => {
    const error = refusal(example({ [file]: change }));
    expect({ file: error.file, field: error.field }).toEqual({ file, field });
    expect(error.problem).toMatch(problem);
    expect(error.fix).toMatch(fix);
    // the message never repeats a credential it refused
    expect(error.message).not.toMatch(/ghp_a{10}/);
  });

  it('refuses a hostile app.yaml (an alias bomb) as YAML before reading any field', () => {
    const bomb = `name: kube-prometheus-stack\nkind: addon\na: &a [x, x, x, x, x, x, x, x, x]\n${Array.from(
      { length: 9 },
      (_, i) =>
        `${'b'.repeat(i + 1)}: &${'b'.repeat(i + 1)} [${Array(9)
          .fill(i ? '*' + 'b'.repeat(i) : '*a')
          .join(', ')}]`,
    ).join('\n')}\n`;
    const error = refusal(example({ [APP]: bomb }));
    expect(error.file).toBe(APP);
    expect(error.message).toMatch(/alias/i);
  });

  it('takes an add-on under EKS Pod Identity without a role ARN: the association gives it', () => {
    const files = example({
      [DEV]: replaceLine(
        /    roleArn: arn:aws:iam::123456789012:role\/berth-dev-aws-load-balancer-controller\n    identity: irsa/,
        '    identity: pod-identity',
      ),
    });
    const dev = loadWorkspace(files).environments.find((env) => env.name === 'dev')!;
    expect(dev.addons['aws-load-balancer-controller']).toEqual({ roleArn: undefined, identity: 'pod-identity' });
  });
});
