// Placeholders: example hosts, example AWS accounts and all-zero ids are warnings naming file, field and what to set;
// real values are not. End to end on a repository made by `berth new`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRepository } from '../../src/new/create';
import { findPlaceholders, generatedVpcCidr, placeholderReasons } from '../../src/validate/placeholders';
import { berthAsync } from '../cli/workspace';

describe('placeholderReasons', () => {
  it.each([
    [
      'https://dev.eks.eu-west-1.example.internal',
      /dev.eks.eu-west-1.example.internal is a name reserved for examples/,
    ],
    ['example.com', /example.com is a name reserved for examples/],
    ['dev.example.org', /reserved for examples/],
    ['*.example.net', /\*\.example\.net is a name reserved/],
    ['https://registry.test/v2', /registry.test is a name reserved/],
    ['api.cluster.invalid', /reserved for examples/],
    ['arn:aws:acm:eu-west-1:210987654321:certificate/00000000-0000-0000-0000-000000000000', /^its id is all zeros$/],
    [
      'arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-000000000003',
      /123456789012 is an example AWS account id; its id is all zeros/,
    ],
    ['arn:aws:iam::000000000000:role/x', /000000000000 is an example AWS account id/],
    ['arn:aws:iam::111122223333:role/x', /111122223333 is an example/],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders', /123456789012 is an example AWS account id/],
    ['vpc-0123456789abcdef0', /vpc-0123456789abcdef0 is an example VPC id/],
    ['subnet-12345678', /example subnet id/],
    ['sg-00000000', /example security group id/],
    ['192.0.2.0/24', /reserved for documentation/],
    ['2001:db8::/32', /reserved for documentation/],
  ])('%s is a placeholder', (value, reason) => {
    expect(placeholderReasons(value).join('; ')).toMatch(reason);
  });

  it.each([
    'https://kubernetes.default.svc',
    'https://A1B2C3.gr7.eu-west-1.eks.amazonaws.com',
    'in-cluster',
    'acme.io',
    'examples.io',
    'my-example-app.io',
    'arn:aws:acm:eu-west-1:210987654321:certificate/4f1d2c3b-0000-4a5b-8c9d-1234567890ab',
    'arn:aws:iam::210987654321:role/acme-dev-external-secrets',
    '1234567890123',
    '10.0.0.0/16',
    '192.0.20.0/24',
    'vpc-0a1b2c3d4e5f67890',
    'public.ecr.aws/docker/library/postgres',
    'https://github.com/acme/platform-gitops.git',
    '',
  ])('%s is not', (value) => {
    expect(placeholderReasons(value)).toEqual([]);
  });
});

describe('findPlaceholders', () => {
  const envYaml = [
    'name: qa',
    'cluster:',
    '  server: https://qa.eks.eu-west-1.example.internal',
    'domain: qa.acme.io',
    `vpcCidr: ${generatedVpcCidr(1)}`,
    'ingress:',
    '  certificateArn: arn:aws:acm:eu-west-1:210987654321:certificate/00000000-0000-0000-0000-000000000000',
    'serviceAccount:',
    '  annotations:',
    '    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/x',
    'hosts: [api.acme.io, www.example.com]',
    '',
  ].join('\n');

  it('names the file, the field and what to set for each placeholder', () => {
    const found = findPlaceholders('environments/qa/env.yaml', envYaml, { environmentIndex: 1 });
    expect(found.map((warning) => `${warning.object} ${warning.field}`)).toEqual([
      'environments/qa/env.yaml cluster.server',
      'environments/qa/env.yaml vpcCidr',
      'environments/qa/env.yaml ingress.certificateArn',
      'environments/qa/env.yaml serviceAccount.annotations["eks.amazonaws.com/role-arn"]',
      'environments/qa/env.yaml hosts[1]',
    ]);
    expect(found.every((warning) => warning.rule === 'placeholder')).toBe(true);
    expect(found[0].fix).toMatch(/API server URL of the cluster/);
    expect(found[1].message).toBe(
      '"10.20.0.0/16" is a placeholder: it is the CIDR `berth new` writes for this environment.',
    );
    expect(found[1].fix).toMatch(/CIDR of the cluster's VPC/);
    expect(found[2].fix).toMatch(/ACM certificate/);
    expect(found[3].fix).toMatch(/IAM role/);
  });

  it('takes a CIDR for real where berth new would not have written it', () => {
    expect(
      findPlaceholders('environments/qa/env.yaml', envYaml, { environmentIndex: 0 }).map((warning) => warning.field),
    ).not.toContain('vpcCidr');
    expect(findPlaceholders('environments/qa/values.yaml', 'vpcCidr: 10.20.0.0/16\n')).toEqual([]);
  });

  it('says nothing about a file that does not parse, or holds no strings', () => {
    expect(findPlaceholders('x.yaml', 'a: [unclosed\n')).toEqual([]);
    expect(findPlaceholders('x.yaml', 'replicas: 3\n')).toEqual([]);
    expect(findPlaceholders('x.yaml', '')).toEqual([]);
  });
});

describe('berth validate on a repository made by berth new', () => {
  const parent = mkdtempSync(join(tmpdir(), 'berth-placeholders-'));
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('passes, and lists the all-zero certificate ARNs, example cluster URLs and generated CIDRs as warnings', async () => {
    const dir = join(parent, 'platform');
    await createRepository({
      org: 'acme',
      repoUrl: 'https://github.com/acme/gitops.git',
      awsAccount: '210987654321',
      region: 'eu-west-1',
      domain: 'acme.io',
      envs: 'dev,prod',
      dir,
      example: true,
    });
    const run = await berthAsync(dir, 'validate', '--json');
    expect(run.status, run.stdout + run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.findings).toEqual([]);
    const fields = report.warnings
      .filter((warning: { object: string }) => warning.object.endsWith('env.yaml'))
      .map((warning: { object: string; field: string }) => `${warning.object} ${warning.field}`);
    // the account and the domain given are real; the rest berth new could only guess
    expect(fields).toEqual([
      'environments/dev/env.yaml cluster.server',
      'environments/dev/env.yaml vpcCidr',
      'environments/dev/env.yaml ingress.certificateArn',
      'environments/prod/env.yaml cluster.server',
      'environments/prod/env.yaml vpcCidr',
      'environments/prod/env.yaml ingress.certificateArn',
    ]);
    const text = await berthAsync(dir, 'validate');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(
      /environments\/dev\/env.yaml\n {4}cluster.server: "https:\/\/dev.eks.eu-west-1.example.internal" is a placeholder: [^\n]+\n {6}fix: set the API server URL/,
    );
    expect(text.stdout).toMatch(/: valid, \d+ placeholders to replace \(warnings\)/);
  });
});
