// Finding the workspace upwards from where berth starts, as git finds .git: real folders on disk.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findWorkspaceRoot, workspaceRoot } from '../../src/workspace/root';

describe('findWorkspaceRoot', () => {
  const top = mkdtempSync(join(tmpdir(), 'berth-root-'));
  const workspace = join(top, 'platform');
  mkdirSync(join(workspace, 'environments/dev'), { recursive: true });
  mkdirSync(join(workspace, 'charts/service-a/templates'), { recursive: true });
  writeFileSync(join(workspace, 'berth.yaml'), 'repoURL: https://github.com/acme/platform-gitops.git\n');
  // a service chart's template may be called berth.yaml too: it is no workspace
  writeFileSync(join(workspace, 'charts/service-a/templates/berth.yaml'), '{{- include "common.all" . }}\n');
  // a berth.yaml being written (no repoURL yet) still marks the root when environments/ is beside it
  const fresh = join(top, 'fresh');
  mkdirSync(join(fresh, 'environments'), { recursive: true });
  writeFileSync(join(fresh, 'berth.yaml'), '');
  // a folder called berth.yaml is no settings file
  const odd = join(top, 'odd');
  mkdirSync(join(odd, 'berth.yaml'), { recursive: true });
  afterAll(() => rmSync(top, { recursive: true, force: true }));

  it.each([
    ['the root itself', 'platform', 'platform'],
    ['an environment folder', 'platform/environments/dev', 'platform'],
    ['a chart template folder that holds a berth.yaml template', 'platform/charts/service-a/templates', 'platform'],
    ['a workspace without repoURL yet, from inside', 'fresh/environments', 'fresh'],
  ])('from %s', (_what, start, expected) => {
    expect(findWorkspaceRoot(join(top, start))).toBe(join(top, expected));
  });

  it('is undefined outside every workspace, and the start is where the loader then says so', () => {
    expect(findWorkspaceRoot(top)).toBeUndefined();
    expect(findWorkspaceRoot(join(odd, 'berth.yaml'))).toBeUndefined();
    expect(workspaceRoot(top)).toBe(top);
  });
});
