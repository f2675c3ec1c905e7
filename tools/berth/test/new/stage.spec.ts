// The package is staged with the example platform as committed: a working tree's uncommitted pins never ship.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, stagePackage } from '../../scripts/stage';

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
    writeFileSync(join(checkout, overlay), `${readFileSync(join(checkout, overlay), 'utf8')}chartRevision: ${'a'.repeat(40)}\n`);
    writeFileSync(join(checkout, app), `${readFileSync(join(checkout, app), 'utf8')}pins:\n  prod: { reason: INC-1 }\n`);
    writeFileSync(join(checkout, 'charts/common/templates/_uncommitted.tpl'), '{{- define "common.uncommitted" -}}{{- end -}}\n');
    staged = join(scratch, 'staged');
    await stagePackage(staged, checkout, PACKAGE_ROOT);
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

  it('names the package by its scope and lists only runtime dependencies', () => {
    const manifest = JSON.parse(readFileSync(join(staged, 'package.json'), 'utf8'));
    expect(manifest.name).toBe(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')).name);
    expect(manifest.dependencies).not.toHaveProperty('berth');
    expect(manifest.dependencies).not.toHaveProperty('@swc/core');
  });
});
