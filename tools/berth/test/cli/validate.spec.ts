// berth validate on the command line: green on the example, and a precise, non-zero report for each kind of breakage.
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceGenerator } from '../../src/nx/generators/service/generator';
import { berthAsync, copyExample, edit } from './workspace';

/** The storage-class findings of a run, one line each. */
const storageClassFindings = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => line.startsWith('[storage-class]'))
    .sort();

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
    // the add-ons' upstream charts cannot be fetched here: named, with the command that fetches each, and no failure
    expect(run.stdout).toMatch(
      /validated 16 Applications, 15 not rendered \(chart not cached\), \d+ objects against \d+ checks: valid/,
    );
    expect(run.stdout).toContain(
      'prod/metrics-server: not rendered: chart metrics-server 3.14.0 from https://kubernetes-sigs.github.io/metrics-server is not cached — run: npx berth chart-fetch https://kubernetes-sigs.github.io/metrics-server metrics-server 3.14.0',
    );
    expect(run.status).toBe(0);
  });

  it('says that it renders into dist/rendered, and what it rewrote there', async () => {
    const dir = scratch();
    const first = await berthAsync(dir, 'validate');
    expect(first.stdout).toMatch(
      /^rendered into dist\/rendered\/, as berth render does: 16 files rewritten with helm, 0 current$/m,
    );
    const again = await berthAsync(dir, 'validate');
    expect(again.stdout).toMatch(/^rendered from dist\/rendered\/ \(16 files current, nothing rewritten\)$/m);
    edit(dir, 'environments/dev/service-a.yaml', (text) => text.replace(/tag: .*/, 'tag: "7.7.7"'));
    const edited = await berthAsync(dir, 'validate', '--json');
    expect(JSON.parse(edited.stdout).rendering).toEqual({ out: 'dist/rendered', rendered: 1, unchanged: 15 });
    expect(readFileSync(join(dir, 'dist/rendered/dev/service-a.yaml'), 'utf8')).toContain('service-a:7.7.7');
  });

  it("lists the example platform's placeholders as warnings, in the summary and in --json, and still passes", async () => {
    const text = await berthAsync(example, 'validate');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(
      /^placeholders to replace before this deploys \(warnings, not failures\):\n {2}environments\/dev\/env.yaml\n {4}cluster.server: "https:\/\/dev.eks.eu-west-1.example.internal" is a placeholder/m,
    );
    expect(text.stdout).toMatch(/: valid, \d+ placeholders to replace \(warnings\)/);
    const json = await berthAsync(example, 'validate', '--json');
    expect(json.status).toBe(0);
    const report = JSON.parse(json.stdout);
    expect(report.findings).toEqual([]);
    expect(report.warnings).toContainEqual({
      rule: 'placeholder',
      object: 'environments/prod/env.yaml',
      field: 'ingress.certificateArn',
      message: expect.stringMatching(/123456789012 is an example AWS account id; its id is all zeros/),
      fix: expect.stringMatching(/ACM certificate/),
    });
    expect(report.warnings).toContainEqual(
      expect.objectContaining({ object: 'charts/service-a/values.yaml', field: 'image.repository' }),
    );
  });

  it('reports a latest tag with environment, Application, object, field and fix', async () => {
    const dir = scratch();
    edit(dir, 'environments/dev/service-a.yaml', (text) => text.replace(/tag: .*/, 'tag: latest'));
    const run = await berthAsync(dir, 'validate');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /\[image-tag\] dev > dev-service-a > Deployment\/service-a > spec.template.spec.containers\[0\].image: image ".*service-a:latest" uses the mutable tag latest.\n\s+fix: set image.tag to a version in environments\/dev\/service-a.yaml/,
    );
  });

  it('reports a password committed in an overlay', async () => {
    const dir = scratch();
    edit(dir, 'environments/stage/service-b.yaml', (text) => `${text}\nenv:\n  DB_PASSWORD: hunter2\n`);
    const run = await berthAsync(dir, 'validate', '--env', 'stage');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /\[plaintext-secrets\] environments\/stage\/service-b.yaml > env.DB_PASSWORD: "DB_PASSWORD" holds a literal value/,
    );
  });

  it('reports derived files that no longer match app.yaml', async () => {
    const dir = scratch();
    edit(dir, 'apps/service-c/app.yaml', (text) =>
      text.replace('environments: [dev, stage, prod]', 'environments: [dev, stage]'),
    );
    const run = await berthAsync(dir, 'validate', '--env', 'dev');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /\[sync\] argocd\/apps\/prod\/service-c.yaml: is not derived from apps\/ or environments\//,
    );
  });

  it('reports two services claiming one host and path', async () => {
    const dir = scratch();
    edit(dir, 'charts/service-c/values.yaml', (text) =>
      text.replace(/host: .*/, 'host: api').replace(/path: .*/, 'path: /a'),
    );
    const run = await berthAsync(dir, 'validate', '--env', 'dev');
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /\[ingress-conflict\] dev > dev-service-\w > Ingress\/service-\w > spec.rules\[0\].http.paths\[0\]: claims api.dev.example.com\/a/,
    );
  });

  it('reports a chart template that helm lint rejects', async () => {
    const dir = scratch();
    mkdirSync(join(dir, 'charts/service-a/templates'), { recursive: true });
    writeFileSync(
      join(dir, 'charts/service-a/templates/extra.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Values.missing.key }}\n',
    );
    const run = await berthAsync(dir, 'validate', '--env', 'dev');
    expect(run.status).toBe(1);
    expect(run.stdout + run.stderr).toMatch(/service-a/);
    expect(run.stdout + run.stderr).toMatch(/missing/);
  });

  describe('one service validates as it validates in the whole platform', () => {
    it('passes postgres alone: the gp3 class of each environment comes from its cluster-base', async () => {
      const run = await berthAsync(example, 'validate', '--service', 'postgres');
      expect(run.stdout).not.toMatch(/\[storage-class\]/);
      expect(run.stdout).toMatch(/validated 3 Applications, \d+ objects against \d+ checks: valid/);
      expect(run.status).toBe(0);
    });

    it('fails a storage class nobody provides, alone and in full, with the same findings', async () => {
      const dir = scratch();
      edit(dir, 'charts/postgres/values.yaml', (text) =>
        text.replace('storageClassName: gp3', 'storageClassName: gp3-fast'),
      );
      const [alone, full] = [
        await berthAsync(dir, 'validate', '--service', 'postgres'),
        await berthAsync(dir, 'validate'),
      ];
      expect(alone.status).toBe(1);
      expect(full.status).toBe(1);
      expect(storageClassFindings(alone.stdout)).toHaveLength(3);
      expect(storageClassFindings(alone.stdout)[0]).toMatch(
        /^\[storage-class\] \w+ > \w+-postgres > StatefulSet\/postgres > spec.volumeClaimTemplates\[0\].spec.storageClassName: names storage class "gp3-fast", which \w+ does not have \(has: gp2, gp3\)/,
      );
      expect(storageClassFindings(full.stdout)).toEqual(storageClassFindings(alone.stdout));
    });

    it('passes a new stateful service alone, as nx g berth:service writes it', async () => {
      const dir = scratch();
      const tree = new FsTree(dir, false, 'berth validate test');
      await serviceGenerator(tree, {
        name: 'ledger',
        kind: 'stateful',
        storage: '50Gi',
        image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/ledger',
        tag: '0.1.0',
        port: 5432,
      });
      flushChanges(dir, tree.listChanges());
      const run = await berthAsync(dir, 'validate', '--service', 'ledger');
      expect(run.stdout).toMatch(/validated 3 Applications, \d+ objects against \d+ checks: valid/);
      expect(run.status).toBe(0);
      // the library chart's default class, which only cluster-base provides
      expect(readFileSync(join(dir, 'dist/rendered/dev/ledger.yaml'), 'utf8')).toMatch(/storageClassName: gp3\n/);
    });
  });
});
