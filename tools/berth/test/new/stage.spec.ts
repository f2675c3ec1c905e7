// The package is staged with the example platform as committed: a working tree's uncommitted pins never ship.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, scopedName, stagePackage } from '../../scripts/stage';
import { installedAssets } from '../../src/new/assets';
import { normalizeNewOptions } from '../../src/new/options';
import { planRepository } from '../../src/new/plan';

const repoRoot = join(__dirname, '../../../..');
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

describe('staging the package', () => {
  let scratch: string;
  let checkout: string;
  let staged: string;
  const overlay = 'environments/stage/service-a.yaml';
  const app = 'apps/service-b/app.yaml';

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'berth-stage-'));
    checkout = join(scratch, 'checkout');
    git(scratch, 'clone', '--quiet', '--no-local', repoRoot, checkout);
    // what a promotion and a pin leave in a working tree: a chart revision of a commit only this clone has
    writeFileSync(
      join(checkout, overlay),
      `${readFileSync(join(checkout, overlay), 'utf8')}chartRevision: ${'a'.repeat(40)}\n`,
    );
    writeFileSync(
      join(checkout, app),
      `${readFileSync(join(checkout, app), 'utf8')}pins:\n  prod: { reason: INC-1 }\n`,
    );
    writeFileSync(
      join(checkout, 'charts/common/templates/_uncommitted.tpl'),
      '{{- define "common.uncommitted" -}}{{- end -}}\n',
    );
    staged = join(scratch, 'staged');
    // under an organisation's own scope, as a registry that binds scopes to owners (GitHub Packages) needs
    await stagePackage(staged, checkout, PACKAGE_ROOT, scopedName('@acme'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('ships the charts and the example as HEAD has them, not the working tree', () => {
    expect(readFileSync(join(staged, 'templates', overlay), 'utf8')).toBe(git(checkout, 'show', `HEAD:${overlay}`));
    expect(readFileSync(join(staged, 'templates', app), 'utf8')).toBe(git(checkout, 'show', `HEAD:${app}`));
    expect(() => readFileSync(join(staged, 'templates/charts/common/templates/_uncommitted.tpl'))).toThrow();
    // and the checkout is as it was: no worktree left registered, the edits still there
    expect(git(checkout, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
    expect(git(checkout, 'status', '--porcelain')).toMatch(/ M environments\/stage\/service-a.yaml/);
  });

  it('names the package by the scope given, lists only runtime dependencies, and new repositories follow that name', () => {
    const manifest = JSON.parse(readFileSync(join(staged, 'package.json'), 'utf8'));
    expect(manifest.name).toBe('@acme/berth');
    expect(manifest.version).toBe(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).version);
    expect(manifest.dependencies).not.toHaveProperty('berth');
    expect(manifest.dependencies).not.toHaveProperty('@swc/core');
    const assets = installedAssets(staged);
    expect(assets.root).toBe(join(staged, 'templates'));
    const files = planRepository(
      normalizeNewOptions({
        org: 'acme',
        repoUrl: 'https://github.com/acme/gitops.git',
        awsAccount: '210987654321',
        region: 'eu-west-1',
        domain: 'acme.io',
        npmRegistry: 'https://npm.pkg.github.com',
        dir: '/nonexistent/berth-stage',
      }),
      assets,
    );
    expect(JSON.parse(files.get('package.json')!).devDependencies.berth).toBe(`npm:@acme/berth@${manifest.version}`);
    expect(files.get('.npmrc')).toContain('\n@acme:registry=https://npm.pkg.github.com/\n');
  });

  it.each(['acme', '@Acme', '@acme/berth', '@acme\n'])('refuses the scope %j', (scope) => {
    expect(() => scopedName(scope)).toThrow(/is not an npm scope/);
  });
});
