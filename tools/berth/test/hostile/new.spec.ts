// Hostile options to `berth new`: each is refused, naming the option and the fix, with nothing written; or it is
// written as inert data (the files parse back to exactly the value given, and no key, tag or anchor appears).
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { BerthError } from '../../src/errors';
import { installedAssets } from '../../src/new/assets';
import { createRepository } from '../../src/new/create';
import { normalizeNewOptions, type NewOptions } from '../../src/new/options';
import { planRepository } from '../../src/new/plan';
import { renderYamlTemplate, yamlInline } from '../../src/new/yaml-template';
import { berthAsync } from '../cli/workspace';

const GOOD: Omit<NewOptions, 'dir'> = {
  org: 'acme',
  repoUrl: 'https://github.com/acme/platform-gitops.git',
  awsAccount: '210987654321',
  region: 'eu-west-1',
  domain: 'acme.io',
  envs: 'dev,prod',
};

/** [option, value, what the message says]: every one must be refused. */
const REFUSED: [keyof NewOptions, string, RegExp][] = [
  ['org', 'acme\npins:\n  dev: 1', /not a DNS-1123 label/],
  ['org', 'acme: x', /not a DNS-1123 label/],
  ['org', '{{org}}', /not a DNS-1123 label/],
  ['org', '"acme"', /not a DNS-1123 label/],
  ['org', '!!binary acme', /not a DNS-1123 label/],
  ['org', '&anchor', /not a DNS-1123 label/],
  ['domain', 'acme.io\nregion: us-east-1', /not a DNS domain/],
  ['domain', 'acme.io: x', /not a DNS domain/],
  ['domain', '{{domain}}.io', /not a DNS domain/],
  ['domain', '!!str acme.io', /not a DNS domain/],
  ['domain', "'acme.io'", /not a DNS domain/],
  ['repoUrl', 'https://github.com/acme/x.git\npins:\n  dev: 1', /not a git URL/],
  ['repoUrl', 'https://github.com/acme/x.git # comment', /not a git URL/],
  ['repoUrl', 'https://github.com/{{acme}}/x.git', /not a git URL/],
  ['repoUrl', 'https://github.com/acme/x".git', /not a git URL/],
  ['repoUrl', '!!js/function x', /not a git URL/],
  ['repoUrl', 'https://github.com/acme/x.git\r\nrevision: evil', /not a git URL/],
  [
    'repoUrl',
    'https://x-access-token:ghp_0123456789abcdef@github.com/acme/x.git',
    /holds .*; it would be written into berth.yaml and every AppProject/,
  ],
  [
    'repoUrl',
    'https://ghp_0123456789abcdef@github.com/acme/x.git',
    /holds .*; it would be written into berth.yaml and every AppProject/,
  ],
  ['envs', 'dev,stage\nprod', /not a DNS-1123 label/],
  ['envs', 'dev,prod: x', /not a DNS-1123 label/],
  ['envs', 'dev,{{x}}', /not a DNS-1123 label/],
  ['envs', 'dev,"prod"', /not a DNS-1123 label/],
  ['envs', 'dev,!!binary', /not a DNS-1123 label/],
  ['envs', 'dev,kube-system', /a namespace the cluster uses for itself/],
  ['envs', 'dev,*prod', /not a DNS-1123 label/],
  ['awsAccount', '210987654321\nx: y', /not an AWS account id/],
  ['region', 'eu-west-1\nx: y', /not an AWS region/],
  ['npmRegistry', 'https://npm.example.com/\n//npm.example.com/:_authToken=stolen', /not an http\(s\) URL/],
  ['npmRegistry', 'https://npm.example.com/ always-auth=true', /not an http\(s\) URL/],
  ['npmRegistry', 'file:///etc/passwd', /not an http\(s\) URL/],
  ['npmRegistry', 'https://user:secret@npm.example.com/', /holds credentials/],
];

const OPTION_NAMES: Record<string, string> = {
  org: '--org',
  domain: '--domain',
  repoUrl: '--repo-url',
  envs: '--envs',
  awsAccount: '--aws-account',
  region: '--region',
  npmRegistry: '--npm-registry',
};

describe('berth new: hostile options', () => {
  let parent: string;
  beforeAll(() => {
    parent = mkdtempSync(join(tmpdir(), 'berth-hostile-new-'));
  });
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it.each(REFUSED)(
    'refuses --%s %j, naming the option and the fix, and writes nothing',
    async (option, value, says) => {
      const before = readdirSync(parent);
      const dir = join(parent, 'repo');
      const error = await createRepository({ ...GOOD, [option]: value, dir }).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(BerthError);
      const { field, fix, message } = error as BerthError;
      expect(field).toBe(OPTION_NAMES[option]);
      expect(message).toMatch(says);
      expect(fix).toMatch(/\w/);
      expect(message).toContain('Fix: ');
      // the value is quoted in the message, never reproduced raw across lines
      expect(message.split('\n')[0]).toContain(OPTION_NAMES[option]);
      expect(readdirSync(parent)).toEqual(before);
    },
  );

  it.each([
    ['--org', 'acme\nx: y'],
    ['--repo-url', 'https://github.com/acme/x.git\nrevision: evil'],
    ['--npm-registry', 'https://u:p@npm.example.com/'],
  ])('on the command line, %s %j exits 1 with the option and the fix, and writes nothing', async (option, value) => {
    const cli = mkdtempSync(join(parent, 'cli-'));
    const args = [
      'new',
      'repo',
      '--org',
      'acme',
      '--repo-url',
      'https://github.com/acme/x.git',
      '--aws-account',
      '210987654321',
      '--region',
      'eu-west-1',
      '--domain',
      'acme.io',
    ];
    const at = args.indexOf(option);
    if (at >= 0) args[at + 1] = value;
    else args.push(option, value);
    const result = await berthAsync(cli, ...args);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${option}: `);
    expect(result.stderr).toContain('Fix: ');
    expect(readdirSync(cli)).toEqual([]);
  });

  /** URLs that are valid and odd: YAML indicators in places a splice would have made them mean something. */
  const INERT_URLS = [
    "https://git.example.com/a'b/c&d*e!f.git",
    'https://git.example.com/acme/x.git#!!binary',
    'https://git.example.com/acme/%7B%7Bx%7D%7D.git?a=b:c',
    'git@git.example.com:acme/[x],y.git',
    'ssh://git@git.example.com:2222/acme/@x.git',
  ];

  it.each(INERT_URLS)('writes the repository URL %j as data: every file reads back exactly that string', (repoUrl) => {
    const files = planRepository(
      normalizeNewOptions({ ...GOOD, repoUrl, dir: join(parent, 'never-written') }),
      installedAssets(),
    );
    expect(parse(files.get('berth.yaml')!)).toEqual({
      repoURL: repoUrl,
      revision: 'main',
      argocdNamespace: 'argocd',
      libraryChart: 'common',
    });
    for (const env of ['dev', 'prod']) {
      expect(parse(files.get(`argocd/bootstrap/${env}.yaml`)!).spec.source.repoURL).toBe(repoUrl);
      expect(parse(files.get(`argocd/apps/${env}/cluster-base.yaml`)!).spec.source.repoURL).toBe(repoUrl);
      for (const project of parseAllDocuments(files.get(`argocd/projects/${env}.yaml`)!))
        expect(project.toJS().spec.sourceRepos).toEqual([repoUrl]);
    }
    // every YAML file berth new writes is one clean document: no tags, no anchors, no parse warnings
    for (const [path, text] of files) {
      if (!/\.ya?ml$/.test(path) || path.includes('/templates/')) continue; // helm templates are Go templates
      for (const document of parseAllDocuments(text)) {
        expect(document.errors, path).toEqual([]);
        expect(document.warnings, path).toEqual([]);
      }
    }
    expect(files.get('README.md')).toContain(`\`${repoUrl}\``);
  });

  it('writes env.yaml as exactly the data berth decided, with the comments around it', () => {
    const files = planRepository(
      normalizeNewOptions({ ...GOOD, envs: 'dev,qa,prod', dir: join(parent, 'never-written') }),
      installedAssets(),
    );
    const qa = files.get('environments/qa/env.yaml')!;
    expect(qa).toMatch(/^# The qa environment:/);
    expect(parse(qa)).toMatchObject({
      name: 'qa',
      promotesFrom: 'dev',
      namespace: 'qa',
      domain: 'qa.acme.io',
      ingress: { groupName: 'acme-qa' },
      imageUpdates: { enabled: false },
      promotion: { mode: 'push' },
    });
    // the constraint starts with a YAML indicator; serialised, it stays a string
    expect(parse(files.get('environments/dev/env.yaml')!).imageUpdates).toEqual({
      strategy: 'semver',
      constraint: '>=0.0.0',
    });
  });

  /** Values no option check lets through, handed straight to the templates: the second line of defence. */
  const HOSTILE_VALUES = [
    'dev\npins:\n  dev: { tag: 1.0.0 }',
    'a: b',
    '{{name}}',
    '"quoted"',
    "'single'",
    '!!binary aGk=',
    '&anchor',
    '*alias',
    '- item',
    '# comment',
    'x #y',
    'null',
    'true',
    '1.10',
    '>=1',
    '|',
    '',
    ' padded ',
    'tab\there',
    'crlf\r\nkey: v',
  ];

  it.each(HOSTILE_VALUES)('lays out %j inertly in env.yaml and berth.yaml, even past the option checks', (value) => {
    const dir = join(__dirname, '../../src/new/files');
    const envWith = (value: string) => ({
      name: value,
      promotesFrom: value,
      cluster: { server: value, kubeVersion: value, apiVersions: [value, 'v1'], storageClasses: [value] },
      argocd: { version: value },
      namespace: value,
      domain: value,
      region: value,
      aws: { accountId: value },
      vpcCidr: value,
      ingress: { groupName: value, scheme: value, certificateArn: value, sslPolicy: value },
      secrets: { store: value, prefix: value, roleArn: value },
      sync: { automated: true, prune: true, selfHeal: true },
      imageUpdates: { strategy: value, constraint: value },
      promotion: { mode: value },
    });
    const env = envWith(value);
    const text = renderYamlTemplate(dir, 'env.yaml.hbs', env, { imageUpdates: true });
    expect(parse(text)).toEqual(env);
    // comments that mention the value stay comments: one line each, as many lines as with a plain value
    const plain = renderYamlTemplate(dir, 'env.yaml.hbs', envWith('plain'), { imageUpdates: true });
    expect(text.split('\n')).toHaveLength(plain.split('\n').length);
    const settings = { repoURL: value, revision: value, argocdNamespace: value, libraryChart: value };
    expect(parse(renderYamlTemplate(dir, 'berth.yaml.hbs', settings))).toEqual(settings);
    expect(yamlInline(value)).not.toContain('\n');
  });

  it('refuses a folder that is not empty, writing nothing into it', async () => {
    const dir = join(parent, 'occupied');
    mkdirSync(dir);
    mkdirSync(join(dir, 'keep'));
    await expect(createRepository({ ...GOOD, dir })).rejects.toThrow(/<dir>: .*exists and is not empty/);
    expect(readdirSync(dir)).toEqual(['keep']);
  });
});
