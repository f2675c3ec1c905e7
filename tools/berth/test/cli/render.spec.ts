// berth render on the command line: files per Application, the summary, the cache, and errors that name the culprit.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { berth, berthAsync, copyExample, edit } from './workspace';

describe('berth render', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyExample();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes one file per Application and prints environment x service', async () => {
    const run = await berthAsync(dir, 'render');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    for (const env of ['dev', 'stage', 'prod']) {
      for (const app of ['service-a', 'service-b', 'service-c', 'postgres', 'cluster-base']) {
        expect(existsSync(join(dir, 'dist/rendered', env, `${app}.yaml`)), `${env}/${app}`).toBe(true);
      }
    }
    expect(run.stdout).toMatch(/^ENV\s+SERVICE\s+KIND\s+REPLICAS\s+IMAGE\s+OBJECTS\s+FILE/m);
    expect(run.stdout).toMatch(
      /^dev\s+postgres\s+StatefulSet\s+1\s+\S+postgres:\S+\s+\d+\s+dist\/rendered\/dev\/postgres.yaml$/m,
    );
    expect(run.stdout).toMatch(/^prod\s+service-a\s+Deployment\s+3-\d+\s+/m);
    expect(run.stdout).toMatch(/rendered 16 Applications \(16 with helm, 0 unchanged\)/);
    const kinds = parseAllDocuments(readFileSync(join(dir, 'dist/rendered/dev/postgres.yaml'), 'utf8')).map(
      (document) => document.toJS().kind,
    );
    expect(kinds).toEqual(expect.arrayContaining(['StatefulSet', 'Service', 'PodDisruptionBudget', 'ExternalSecret']));
  });

  it('renders again only what changed', async () => {
    const untouched = statSync(join(dir, 'dist/rendered/dev/service-b.yaml')).mtimeMs;
    expect((await berthAsync(dir, 'render')).stdout).toMatch(/\(0 with helm, 16 unchanged\)/);
    edit(dir, 'environments/dev/service-a.yaml', (text) => text.replace(/tag: .*/, 'tag: "9.9.9"'));
    const run = await berthAsync(dir, 'render');
    expect(run.stdout).toMatch(/\(1 with helm, 15 unchanged\)/);
    expect(readFileSync(join(dir, 'dist/rendered/dev/service-a.yaml'), 'utf8')).toContain('service-a:9.9.9');
    expect(statSync(join(dir, 'dist/rendered/dev/service-b.yaml')).mtimeMs).toBe(untouched);
  });

  it('renders a selection and reports JSON', async () => {
    const run = await berthAsync(dir, 'render', '--env', 'stage', '--service', 'postgres', '--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      expect.objectContaining({
        environment: 'stage',
        service: 'postgres',
        workload: 'StatefulSet',
        file: 'dist/rendered/stage/postgres.yaml',
      }),
    ]);
  });

  it('names the Application and the missing value file, and writes nothing', async () => {
    const broken = copyExample();
    rmSync(join(broken, 'environments/stage/service-c.yaml'));
    const run = await berthAsync(broken, 'render');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /argocd\/apps\/stage\/service-c.yaml: spec.sources\[\].helm.valueFiles: names the value file environments\/stage\/service-c.yaml, which does not exist/,
    );
    expect(run.stderr).toMatch(/Fix: /);
    expect(existsSync(join(broken, 'dist'))).toBe(false);
  });

  it('refuses a value file outside the repository', async () => {
    const hostile = copyExample();
    edit(hostile, 'argocd/apps/dev/service-a.yaml', (text) =>
      text.replace('$values/environments/dev/service-a.yaml', '$values/../../../etc/passwd'),
    );
    const run = await berthAsync(hostile, 'render', '--env', 'dev');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/"\$values\/..\/..\/..\/etc\/passwd" points outside the repository/);
  });

  it('names the template error of the one broken Application', async () => {
    const broken = copyExample();
    edit(broken, 'environments/prod/service-b.yaml', (text) => text.replace(/tag: .*/, 'tag: ""'));
    const run = await berthAsync(broken, 'render');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/argocd\/apps\/prod\/service-b.yaml \(Application prod-service-b\)/);
    expect(run.stderr).toMatch(/image.tag/);
  });

  it('rejects an unknown environment', async () => {
    const run = await berthAsync(dir, 'render', '--env', 'qa');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--env qa is not an environment.*\nFix: use one of: dev, stage, prod/);
  });

  it('prints help for every command', () => {
    expect(berth(dir, '--help').stdout).toMatch(/render.*\n.*validate/s);
    expect(berth(dir, 'render', '--help').stdout).toMatch(/--env <env>/);
    writeFileSync(join(dir, 'unused'), '');
  });
});
