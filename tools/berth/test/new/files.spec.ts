// What berth new writes: a complete workspace for the options given, derived files current, one first commit.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { derivedFiles } from '../../src/argocd/derived';
import { planSync } from '../../src/argocd/sync-plan';
import { buildProgram } from '../../src/cli/main';
import { installedAssets } from '../../src/new/assets';
import { commitSubject, createRepository } from '../../src/new/create';
import { normalizeNewOptions } from '../../src/new/options';
import { emptyFiles, overlayFiles } from '../../src/new/overlay-files';
import { planRepository } from '../../src/new/plan';
import { loadWorkspace } from '../../src/workspace/load';

const repoRoot = join(__dirname, '../../../..');
const OPTIONS = {
  org: 'acme',
  repoUrl: 'git@github.com:acme/gitops.git',
  awsAccount: '210987654321',
  region: 'ap-southeast-2',
  domain: 'acme.io',
  envs: 'dev,qa,uat,prod',
};
const REGISTRY = '210987654321.dkr.ecr.ap-southeast-2.amazonaws.com';
const assets = installedAssets();

function plan(extra: { example?: boolean; envs?: string; region?: string } = {}) {
  const repo = normalizeNewOptions({ ...OPTIONS, ...extra, dir: '/nonexistent/berth-new-plan' });
  return planRepository(repo, assets);
}
const yaml = (files: Map<string, string>, path: string) => parse(files.get(path)!);
const documents = (files: Map<string, string>, path: string) =>
  parseAllDocuments(files.get(path)!).map((document) => document.toJS());

describe('berth new: the files', () => {
  const files = plan();

  it('is an Nx workspace that depends on this berth and the nx its plugin is built for', () => {
    const manifest = JSON.parse(files.get('package.json')!);
    const rootNx = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).devDependencies.nx;
    const berth = JSON.parse(readFileSync(join(repoRoot, 'tools/berth/package.json'), 'utf8'));
    // the scoped package under the alias berth: the bin, nx.json's plugin and berth:service keep their names
    expect(berth.name).toMatch(/^@[a-z0-9-]+\/berth$/);
    expect(manifest).toMatchObject({
      name: 'gitops',
      private: true,
      devDependencies: { berth: `npm:${berth.name}@${berth.version}`, nx: rootNx },
    });
    expect(JSON.parse(files.get('nx.json')!)).toMatchObject({
      plugins: ['berth'],
      sync: { globalGenerators: ['berth:sync'] },
    });
    expect(JSON.parse(files.get('tsconfig.base.json')!).compilerOptions.strict).toBe(true);
    expect(files.get('.gitignore')).toMatch(/^node_modules$/m);
    expect(yaml(files, 'berth.yaml')).toEqual({
      repoURL: OPTIONS.repoUrl,
      revision: 'main',
      argocdNamespace: 'argocd',
      libraryChart: 'common',
    });
  });

  it('ships the library chart and cluster-base exactly as this repository has them', () => {
    const charts = [...files.keys()].filter((path) => /^charts\/(common|cluster-base)\//.test(path));
    expect(charts).toContain('charts/common/templates/_all.tpl');
    expect(charts).toContain('charts/cluster-base/values.schema.json');
    for (const path of charts) expect(files.get(path), path).toBe(readFileSync(join(repoRoot, path), 'utf8'));
  });

  it('has no services, an empty umbrella, and argocd/ complete for every environment', () => {
    expect([...files.keys()].filter((path) => path.startsWith('apps/'))).toEqual([]);
    expect(yaml(files, 'charts/platform/Chart.yaml').dependencies).toEqual([]);
    for (const env of ['dev', 'qa', 'uat', 'prod']) {
      const projects = documents(files, `argocd/projects/${env}.yaml`);
      expect(projects.map((project) => project.metadata.name)).toEqual([env, `${env}-cluster`, `${env}-root`]);
      for (const project of projects) expect(project.spec.sourceRepos).toEqual([OPTIONS.repoUrl]);
      expect(yaml(files, `argocd/bootstrap/${env}.yaml`).spec.source).toMatchObject({
        repoURL: OPTIONS.repoUrl,
        path: `argocd/apps/${env}`,
      });
      expect(yaml(files, `argocd/apps/${env}/cluster-base.yaml`).spec.source.repoURL).toBe(OPTIONS.repoUrl);
    }
    // nothing is stale: nx sync:check passes on the first commit
    const workspace = overlayFiles(emptyFiles('/'), files);
    expect(planSync(workspace, derivedFiles(workspace, loadWorkspace(workspace))).write.size).toBe(0);
  });

  it('chains the environments in the order given, with domains, ALB groups and ARNs from the options', () => {
    const envs = ['dev', 'qa', 'uat', 'prod'].map((env) => yaml(files, `environments/${env}/env.yaml`));
    expect(envs.map((env) => env.promotesFrom)).toEqual([null, 'dev', 'qa', 'uat']);
    expect(envs.map((env) => env.domain)).toEqual(['dev.acme.io', 'qa.acme.io', 'uat.acme.io', 'acme.io']);
    expect(envs.map((env) => env.namespace)).toEqual(['dev', 'qa', 'uat', 'prod']);
    expect(envs.map((env) => env.ingress.groupName)).toEqual(['acme-dev', 'acme-qa', 'acme-uat', 'acme-prod']);
    expect(envs.map((env) => env.sync.automated)).toEqual([true, true, true, false]);
    expect(envs.map((env) => env.imageUpdates)).toEqual([
      { strategy: 'semver', constraint: '>=0.0.0' },
      { enabled: false },
      { enabled: false },
      { enabled: false },
    ]);
    expect(envs.map((env) => env.promotion.mode)).toEqual(['push', 'push', 'push', 'pr']);
    // every environment promoted into carries the commented gates example for its own link; the first none
    const texts = ['dev', 'qa', 'uat', 'prod'].map((env) => files.get(`environments/${env}/env.yaml`)!);
    expect(texts[0]).not.toContain('# gates:');
    expect(texts[3]).toMatch(
      /\n {2}mode: pr\n {2}# Gates a promotion into prod must pass \(docs\/promotion-gates\.md\)/,
    );
    expect(texts[3]).toContain('  #   healthy: true            # uat runs the version Synced and Healthy\n');
    expect(texts[1]).toContain('healthy and soak ask Argo CD about dev (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN).');
    for (const env of envs) {
      expect(env.region).toBe('ap-southeast-2');
      expect(env.ingress.certificateArn).toMatch(/^arn:aws:acm:ap-southeast-2:210987654321:certificate\//);
      expect(env.secrets).toEqual({
        store: 'aws-secrets-manager',
        prefix: `acme/${env.name}/`,
        roleArn: `arn:aws:iam::210987654321:role/acme-${env.name}-external-secrets`,
      });
      expect(env.cluster.kubeVersion).toMatch(/^\d+\.\d+\.\d+$/);
      expect(env.cluster.apiVersions).toContain('external-secrets.io/v1');
    }
    // each environment's values.yaml comes from the example tier it resembles
    expect(yaml(files, 'environments/dev/values.yaml').replicas).toBe(1);
    expect(yaml(files, 'environments/uat/values.yaml').replicas).toBe(2);
    expect(yaml(files, 'environments/prod/values.yaml').autoscaling.enabled).toBe(true);
    expect(files.get('environments/qa/values.yaml')).toMatch(/^# What every service gets in qa:/);
  });

  it('uses the partition of the region in ARNs and the ECR host', () => {
    const gov = plan({ region: 'us-gov-west-1', envs: 'dev' });
    expect(yaml(gov, 'environments/dev/env.yaml').secrets.roleArn).toBe(
      'arn:aws-us-gov:iam::210987654321:role/acme-dev-external-secrets',
    );
    const china = plan({ region: 'cn-north-1', envs: 'dev', example: true });
    expect(yaml(china, 'charts/service-a/values.yaml').image.repository).toBe(
      '210987654321.dkr.ecr.cn-north-1.amazonaws.com.cn/service-a',
    );
  });

  it('makes a single environment the first and the production one at once', () => {
    const single = plan({ envs: 'live' });
    expect(yaml(single, 'environments/live/env.yaml')).toMatchObject({
      promotesFrom: null,
      domain: 'acme.io',
      sync: { automated: true },
      imageUpdates: { strategy: 'semver' },
      promotion: { mode: 'push' },
    });
  });

  it("names the scope's registry in .npmrc when given one, and says how in its README either way", () => {
    const scope = assets.packageName.split('/')[0];
    const settings = (text: string) => text.split('\n').filter((line) => line && !line.startsWith(';'));
    expect(settings(files.get('.npmrc')!)).toEqual(['legacy-peer-deps=true']);
    expect(files.get('.npmrc')).toContain(`; ${scope}:registry=https://npm.example.com/`);
    expect(files.get('README.md')).toContain(`${scope}:registry=https://npm.example.com/`);
    expect(files.get('README.md')).toContain(`npm install -D berth@npm:${assets.packageName}@latest`);
    const withRegistry = planRepository(
      normalizeNewOptions({ ...OPTIONS, npmRegistry: 'http://127.0.0.1:4873', dir: '/nonexistent/berth-new-plan' }),
      assets,
    );
    expect(settings(withRegistry.get('.npmrc')!)).toEqual([
      `${scope}:registry=http://127.0.0.1:4873/`,
      'legacy-peer-deps=true',
    ]);
    expect(withRegistry.get('README.md')).toContain(`${scope}:registry=http://127.0.0.1:4873/`);
  });

  it('says how to set it up in its README, with the options it was made with', () => {
    const readme = files.get('README.md')!;
    expect(readme).toMatch(/```sh\nnpm install {2,}#.*\nnpx berth validate {2,}#.*\n```/);
    expect(readme).toContain(`--image ${REGISTRY}/api`);
    expect(readme).toContain('npx berth upgrade');
    expect(readme).toContain('`qa`: qa.acme.io');
  });

  it('has a CI workflow that calls only berth commands and nx commands that exist', () => {
    const workflow = parse(files.get('.github/workflows/validate.yml')!);
    const runs: string[] = workflow.jobs.validate.steps.map((step: { run?: string }) => step.run).filter(Boolean);
    expect(runs).toEqual(['npm ci', 'npx nx sync:check', 'npx berth validate']);
    const program: Command = buildProgram();
    expect(program.commands.map((command) => command.name())).toContain('validate');
  });

  it('with --example holds the example platform in the new environments, images in the new registry', () => {
    const example = plan({ example: true, envs: 'dev,prod' });
    for (const service of ['postgres', 'service-a', 'service-b', 'service-c']) {
      expect(yaml(example, `apps/${service}/app.yaml`).environments).toEqual(['dev', 'prod']);
      expect(example.has(`argocd/apps/prod/${service}.yaml`)).toBe(true);
      expect(yaml(example, `charts/${service}/Chart.yaml`).dependencies[0]).toMatchObject({
        name: 'common',
        version: yaml(example, 'charts/common/Chart.yaml').version,
      });
    }
    expect(example.get('apps/service-b/app.yaml')).toContain('environments: [dev, prod]');
    expect(yaml(example, 'charts/service-a/values.yaml').image.repository).toBe(
      '210987654321.dkr.ecr.ap-southeast-2.amazonaws.com/service-a',
    );
    expect(yaml(example, 'charts/postgres/values.yaml').image.repository).toBe(
      'public.ecr.aws/docker/library/postgres',
    );
    expect(yaml(example, 'environments/prod/service-a.yaml').image.tag).toBe(
      parse(readFileSync(join(repoRoot, 'environments/prod/service-a.yaml'), 'utf8')).image.tag,
    );
    expect(example.get('environments/prod/service-a.yaml')).toMatch(/^# service-a in prod:/);
    expect(
      yaml(example, 'charts/platform/Chart.yaml').dependencies.map((dependency: { name: string }) => dependency.name),
    ).toEqual(['postgres', 'service-a', 'service-b', 'service-c', 'common']);
  });
});

describe("berth new: the example from shipped files that carry this repository's history", () => {
  it('drops chart revisions and pins, which name commits and incidents the new repository does not have', () => {
    const shipped = mkdtempSync(join(tmpdir(), 'berth-new-shipped-'));
    try {
      for (const dir of ['apps', 'charts', 'environments'])
        cpSync(join(repoRoot, dir), join(shipped, dir), { recursive: true });
      const overlay = join(shipped, 'environments/prod/service-a.yaml');
      writeFileSync(overlay, `${readFileSync(overlay, 'utf8')}chartRevision: ${'b'.repeat(40)}\n`);
      const app = join(shipped, 'apps/service-a/app.yaml');
      writeFileSync(app, `${readFileSync(app, 'utf8')}pins:\n  prod: { reason: INC-7 }\n`);
      const repo = normalizeNewOptions({
        ...OPTIONS,
        envs: 'dev,prod',
        example: true,
        dir: '/nonexistent/berth-new-plan',
      });
      const files = planRepository(repo, { ...assets, root: shipped });
      expect(yaml(files, 'environments/prod/service-a.yaml')).toEqual({
        image: { tag: parse(readFileSync(join(repoRoot, 'environments/prod/service-a.yaml'), 'utf8')).image.tag },
      });
      expect(files.get('environments/prod/service-a.yaml')).toMatch(/^# service-a in prod:/);
      expect(yaml(files, 'apps/service-a/app.yaml')).not.toHaveProperty('pins');
    } finally {
      rmSync(shipped, { recursive: true, force: true });
    }
  });
});

describe('berth new: the repository', () => {
  let parent: string;
  beforeAll(() => {
    parent = mkdtempSync(join(tmpdir(), 'berth-new-repo-'));
  });
  afterAll(() => rmSync(parent, { recursive: true, force: true }));
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

  it('is one commit on main with every file, and a clean working tree', async () => {
    const result = await createRepository({ ...OPTIONS, dir: join(parent, 'made/here') });
    const dir = join(parent, 'made/here');
    expect(git(dir, 'log', '--format=%s')).toBe(commitSubject(assets.berthVersion));
    expect(git(dir, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(result.commit);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'ls-files').split('\n').sort()).toEqual(result.files);
    // the sibling it was built in is gone
    expect(readdirSync(join(parent, 'made'))).toEqual(['here']);
  });

  it('fills an empty directory', async () => {
    mkdirSync(join(parent, 'empty'));
    await createRepository({ ...OPTIONS, envs: 'dev', dir: join(parent, 'empty') });
    expect(readdirSync(join(parent, 'empty')).sort()).toEqual([
      '.git',
      '.github',
      '.gitignore',
      '.npmrc',
      'README.md',
      'argocd',
      'berth.yaml',
      'charts',
      'environments',
      'nx.json',
      'package.json',
      'tsconfig.base.json',
    ]);
  });

  it('leaves nothing behind when git cannot commit (no identity)', async () => {
    const saved = { ...process.env };
    for (const key of Object.keys(process.env))
      if (/^GIT_(AUTHOR|COMMITTER)_/.test(key) || key === 'EMAIL') delete process.env[key];
    Object.assign(process.env, {
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'user.useConfigOnly',
      GIT_CONFIG_VALUE_0: 'true',
    });
    try {
      await expect(createRepository({ ...OPTIONS, dir: join(parent, 'anonymous/repo') })).rejects.toThrow(
        /git does not know who you are/,
      );
    } finally {
      process.env = saved;
    }
    expect(readdirSync(parent).sort()).not.toContain('anonymous');
  });
});
