// Each service is an Nx project whose render and validate targets cache honestly and follow `nx affected`.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berthAsync, edit, git, repo } from '../cli/workspace';

const nxBin = join(repo, 'node_modules/nx/bin/nx.js');

/** nx as a child process that does not block the test worker (a blocked worker misses vitest's RPC deadline). */
function nx(cwd: string, ...args: string[]): Promise<{ status: number | null; output: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [nxBin, ...args], {
      cwd,
      env: {
        ...process.env,
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        CI: 'true',
        NX_TUI: 'false',
        FORCE_COLOR: '0',
        NO_COLOR: '1',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (status) => resolve({ status, output: `${stdout}${stderr}`, stdout }));
  });
}

describe('Nx integration', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'berth-nx-'));
    for (const entry of [
      'apps',
      'charts',
      'environments',
      'argocd',
      'tools',
      'berth.yaml',
      'nx.json',
      'package.json',
      'tsconfig.base.json',
      '.gitignore',
      '.prettierignore',
    ]) {
      cpSync(join(repo, entry), join(dir, entry), {
        recursive: true,
        filter: (source) => !source.includes('node_modules'),
      });
    }
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
    // npm may place some of berth's dependencies in the workspace's own node_modules
    if (existsSync(join(repo, 'tools/berth/node_modules')))
      symlinkSync(join(repo, 'tools/berth/node_modules'), join(dir, 'tools/berth/node_modules'));
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'commit', '-qm', 'example');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('infers render and validate targets whose inputs are everything the output depends on', async () => {
    const project = JSON.parse((await nx(dir, 'show', 'project', 'service-b', '--json')).stdout);
    for (const target of ['render', 'validate']) {
      expect(project.targets[target].cache).toBe(true);
      expect(project.targets[target].inputs).toEqual(
        expect.arrayContaining([
          '{workspaceRoot}/charts/service-b/**/*',
          '{workspaceRoot}/charts/common/**/*',
          '{workspaceRoot}/environments/*/service-b.yaml',
          '{workspaceRoot}/environments/*/env.yaml',
          '{workspaceRoot}/environments/*/values.yaml',
          { runtime: 'node tools/berth/bin/berth.js helm-version' },
        ]),
      );
    }
    expect(project.targets.validate.inputs).toEqual(
      expect.arrayContaining([
        '{workspaceRoot}/charts/cluster-base/**/*',
        '{workspaceRoot}/argocd/apps/*/cluster-base.yaml',
        // which add-on serves the kinds it renders (api-provenance)
        '{workspaceRoot}/apps/*/app.yaml',
      ]),
    );
  });

  it('validates a stateful service alone: its storage class comes from cluster-base', async () => {
    const run = await nx(dir, 'run', 'postgres:validate', '--outputStyle=static');
    expect(run.output).toMatch(/validated 3 Applications, \d+ objects against \d+ checks: valid/);
    expect(run.status).toBe(0);
  });

  it('validates a service, then answers the same run from the cache', async () => {
    const first = await nx(dir, 'run', 'service-b:validate', '--outputStyle=static');
    expect(first.output).toMatch(/validated 3 Applications/);
    expect(first.status).toBe(0);
    const second = await nx(dir, 'run', 'service-b:validate', '--outputStyle=static');
    expect(second.status).toBe(0);
    expect(second.output).toMatch(/local cache|from the cache/);
  });

  it('marks only the services a change touches as affected', async () => {
    edit(dir, 'environments/dev/service-c.yaml', (text) => text.replace(/tag: .*/, 'tag: "0.9.9"'));
    git(dir, '-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'commit', '-qam', 'bump service-c');
    expect(
      (await nx(dir, 'show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD')).output.trim().split('\n'),
    ).toEqual(['service-c']);

    edit(dir, 'charts/common/Chart.yaml', (text) => `${text}\n# touched\n`);
    git(dir, '-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'commit', '-qam', 'touch the library chart');
    const affected = (await nx(dir, 'show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD')).output
      .trim()
      .split('\n')
      .sort();
    expect(affected).toEqual(expect.arrayContaining(['postgres', 'service-a', 'service-b', 'service-c']));
  });

  it('nx sync:check fails when a derived file drifts, and nx sync mends it', async () => {
    edit(dir, 'argocd/apps/prod/service-a.yaml', (text) =>
      text.replace('ServerSideApply=true', 'ServerSideApply=false'),
    );
    const check = await nx(dir, 'sync:check');
    expect(check.status).not.toBe(0);
    expect(check.output).toMatch(/argocd\/apps\/prod\/service-a.yaml/);
    expect((await nx(dir, 'sync')).status).toBe(0);
    expect((await nx(dir, 'sync:check')).status).toBe(0);
  });

  it('nx g berth:service from the command line: derived files follow, and the new service validates', async () => {
    const generate = await nx(
      dir,
      'g',
      'berth:service',
      'api',
      '--image',
      '123456789012.dkr.ecr.eu-west-1.amazonaws.com/api',
      '--port',
      '8080',
      '--service-type',
      'NodePort',
      '--ingress-path',
      '/api',
      '--depends-on',
      'postgres',
      '--monitoring',
      '--no-interactive',
    );
    expect(generate.output, generate.output).toMatch(/CREATE argocd\/apps\/dev\/api.yaml/);
    expect(generate.status).toBe(0);
    expect((await nx(dir, 'sync:check')).status).toBe(0);
    const run = await berthAsync(dir, 'validate', '--service', 'api');
    expect(run.stdout).toMatch(/validated 3 Applications, \d+ objects against \d+ checks: valid/);
  });

  it('nx g berth:service refuses bad input and writes nothing', async () => {
    const before = git(dir, 'status', '--porcelain');
    const generate = await nx(dir, 'g', 'berth:service', 'bad..name', '--image', 'x/y', '--no-interactive');
    expect(generate.status).not.toBe(0);
    expect(generate.output).toMatch(/--name: "bad..name" is not a DNS-1123 label/);
    expect(git(dir, 'status', '--porcelain')).toBe(before);
  });

  it('nx g berth:environment from the command line: refuses without its own cluster and AWS facts, then inserts qa before stage', async () => {
    const before = git(dir, 'status', '--porcelain');
    const refused = await nx(
      dir,
      'g',
      'berth:environment',
      'qa',
      '--promotes-from',
      'dev',
      '--namespace',
      'qa',
      '--no-interactive',
    );
    expect(refused.status).not.toBe(0);
    expect(refused.output).toMatch(
      /--cluster, --domain, --certificate-arn, --secrets-role, --alb-group, --vpc-cidr: are missing/,
    );
    expect(git(dir, 'status', '--porcelain')).toBe(before);

    const generate = await nx(
      dir,
      'g',
      'berth:environment',
      'qa',
      '--before',
      'stage',
      '--server',
      'https://qa.eks.eu-west-1.example.internal',
      '--namespace',
      'qa',
      '--domain',
      'qa.example.com',
      '--vpc-cidr',
      '10.40.0.0/16',
      '--vpc-id',
      'vpc-0a1b2c3d4e5f60004',
      '--alb-group',
      'berth-qa',
      '--certificate-arn',
      'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555',
      '--secrets-role',
      'arn:aws:iam::123456789012:role/berth-qa-external-secrets',
      '--no-interactive',
    );
    expect(generate.output, generate.output).toMatch(/CREATE environments\/qa\/env.yaml/);
    expect(generate.output).toMatch(/UPDATE environments\/stage\/env.yaml/);
    expect(generate.status).toBe(0);
    expect(readFileSync(join(dir, 'environments/qa/env.yaml'), 'utf8')).toMatch(
      /^# The qa environment:[^]*server: https:\/\/qa\.eks[^]*imageUpdates:\n {2}enabled: false/,
    );
    expect(readFileSync(join(dir, 'environments/stage/env.yaml'), 'utf8')).toMatch(/\npromotesFrom: qa\n/);
    expect((await nx(dir, 'sync:check')).status).toBe(0);
    const validate = await berthAsync(dir, 'validate', '--env', 'qa');
    expect(validate.stdout, validate.stdout + validate.stderr).toMatch(/valid/);
    expect(validate.status).toBe(0);
  });
});
