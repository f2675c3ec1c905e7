// berth validate on the command line: green on the example, and a precise, non-zero report for each kind of breakage.
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berthAsync, copyExample, edit } from './workspace';

describe('berth validate', () => {
  const dirs: string[] = [];
  const scratch = () => {
    const dir = copyExample();
    dirs.push(dir);
    return dir;
  };
  let example: string;
  beforeAll(() => {
    example = scratch();
  });
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('passes the example platform in every environment', async () => {
    const run = await berthAsync(example, 'validate');
    expect(run.stdout).toMatch(/validated 16 Applications, \d+ objects against \d+ checks: valid/);
    expect(run.status).toBe(0);
  });

  it('reports a latest tag with environment, Application, object, field and fix', async () => {
    const dir = scratch();
    edit(dir, 'environments/dev/service-a.yaml', (text) => text.replace(/tag: .*/, 'tag: latest'));
    const run = await berthAsync(dir, 'validate');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\[image-tag\] dev > dev-service-a > Deployment\/service-a > spec.template.spec.containers\[0\].image: image ".*service-a:latest" uses the mutable tag latest.\n\s+fix: set image.tag to a version in environments\/dev\/service-a.yaml/);
  });

  it('reports a password committed in an overlay', async () => {
    const dir = scratch();
    edit(dir, 'environments/stage/service-b.yaml', (text) => `${text}\nenv:\n  DB_PASSWORD: hunter2\n`);
    const run = await berthAsync(dir, 'validate', '--env', 'stage');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\[plaintext-secrets\] environments\/stage\/service-b.yaml > env.DB_PASSWORD: "DB_PASSWORD" holds a literal value/);
  });

  it('reports derived files that no longer match app.yaml', async () => {
    const dir = scratch();
    edit(dir, 'apps/service-c/app.yaml', (text) => text.replace('environments: [dev, stage, prod]', 'environments: [dev, stage]'));
    const run = await berthAsync(dir, 'validate', '--env', 'dev');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\[sync\] argocd\/apps\/prod\/service-c.yaml: is not derived from apps\/ or environments\//);
  });

  it('reports two services claiming one host and path', async () => {
    const dir = scratch();
    edit(dir, 'charts/service-c/values.yaml', (text) => text.replace(/host: .*/, 'host: api').replace(/path: .*/, 'path: /a'));
    const run = await berthAsync(dir, 'validate', '--env', 'dev');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/\[ingress-conflict\] dev > dev-service-\w > Ingress\/service-\w > spec.rules\[0\].http.paths\[0\]: claims api.dev.example.com\/a/);
  });

  it('reports a chart template that helm lint rejects', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'charts/service-a/templates'), { recursive: true });
    writeFileSync(join(dir, 'charts/service-a/templates/extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.missing.key }}\n');
    const run = await berthAsync(dir, 'validate', '--env', 'dev');
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/service-a/);
    expect(run.stdout + run.stderr).toMatch(/missing/);
  });
});
