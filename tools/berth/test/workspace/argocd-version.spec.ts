// env.yaml's argocd.version: the Argo CD that syncs the cluster, which picks the Helm berth renders with.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import type { WorkspaceFiles } from '../../src/workspace/files';
import { loadEnvironment } from '../../src/workspace/load';

const repo = join(__dirname, '../../../..');
const devEnv = readFileSync(join(repo, 'environments/dev/env.yaml'), 'utf8');

/** dev's env.yaml with its argocd block replaced by `block` (nothing: no block at all). */
function envWith(block: string): WorkspaceFiles {
  const text = devEnv.replace(/^argocd:\n(?: {2}.*\n)+/m, block);
  expect(text).not.toBe(devEnv);
  return {
    root: '/nowhere',
    read: (path) => (path === 'environments/dev/env.yaml' ? text : undefined),
    list: () => [],
    isDirectory: () => false,
  };
}

function refusal(block: string): BerthError {
  try {
    loadEnvironment(envWith(block), 'dev');
  } catch (error) {
    expect(error).toBeInstanceOf(BerthError);
    return error as BerthError;
  }
  throw new Error('loaded');
}

describe('env.yaml argocd.version', () => {
  it('is stated in the example environments, with a comment', () => {
    expect(devEnv).toMatch(/^argocd:\n {2}# .*Helm.*\n {2}version: "3\.5"$/m);
    const files = envWith('argocd:\n  version: "3.5"\n');
    expect(loadEnvironment(files, 'dev').argocd).toEqual({ version: '3.5' });
  });

  it.each([
    ['', '3.5'],
    ['argocd: {}\n', '3.5'],
    ['argocd:\n  version: "3.4"\n', '3.4'],
    ['argocd:\n  version: "3.5.2"\n', '3.5.2'],
    ['argocd:\n  version: v3.4.9\n', '3.4.9'],
    ['argocd:\n  version: 3.4\n', '3.4'],
  ])('reads %j as %s', (block, version) => {
    expect(loadEnvironment(envWith(block), 'dev').argocd.version).toBe(version);
  });

  it.each([
    ['argocd:\n  version: "3.3"\n', '"3.3"'],
    ['argocd:\n  version: "3.6.0"\n', '"3.6.0"'],
    ['argocd:\n  version: latest\n', '"latest"'],
    ['argocd:\n  version: "3.5\\nkind: Secret"\n', '"3.5\\nkind: Secret"'],
    ['argocd:\n  version: [3.5]\n', '[3.5]'],
  ])('refuses %j, naming the file, the field and the fix', (block, found) => {
    const error = refusal(block);
    expect(error.message).toContain('environments/dev/env.yaml');
    expect(error.message).toContain('argocd.version');
    expect(error.message).toContain(`(found ${found})`);
    expect(error.message).toMatch(/"3\.5" or "3\.4"/);
    expect(error.message).toMatch(/Fix: set it to the Argo CD version that syncs this cluster/);
  });

  it('refuses an argocd that is not a mapping', () => {
    expect(refusal('argocd: "3.4"\n').message).toMatch(/argocd.*must be a mapping/s);
  });
});
