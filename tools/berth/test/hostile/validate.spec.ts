// Hostile input to berth validate and berth diff: each refusal exits non-zero, names the file or option, the field
// and the fix, and writes nothing (no dist/rendered, no change to any file).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berthAsync, copyExample, edit, git } from '../cli/workspace';

/** Every file under `dir` with a hash of its content, to prove a refused run wrote nothing. */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (path: string) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) visit(full);
      else files.set(full.slice(dir.length + 1), createHash('sha256').update(readFileSync(full)).digest('hex'));
    }
  };
  visit(dir);
  return files;
}

interface HostileCase {
  name: string;
  args: string[];
  /** Breaks the copy before the run. */
  prepare?: (dir: string) => void;
  /** berth diff needs a repository. */
  repository?: boolean;
  message: RegExp;
}

const CASES: HostileCase[] = [
  {
    name: 'validate --service that names no service',
    args: ['validate', '--service', 'nope'],
    message: /--service nope has no Application in dev, stage, prod\.\nFix: check the name against apps\//,
  },
  {
    name: 'validate --service with a path in it',
    args: ['validate', '--service', '../../etc/passwd'],
    message: /--service \.\.\/\.\.\/etc\/passwd has no Application[\s\S]*Fix: /,
  },
  {
    name: 'validate --env that names no environment',
    args: ['validate', '--env', 'qa'],
    message: /qa is not an environment[\s\S]*Fix: use one of: dev, stage, prod/,
  },
  {
    name: 'validate --env and --service that never meet',
    args: ['validate', '--env', 'stage', '--service', 'berth-image-updater'],
    message: /--service berth-image-updater has no Application in stage[\s\S]*Fix: /,
  },
  {
    name: 'validate with an Application manifest that is not YAML',
    args: ['validate', '--service', 'postgres'],
    prepare: (dir) => edit(dir, 'argocd/apps/dev/cluster-base.yaml', (text) => `${text}\n  bad: [unclosed\n`),
    message: /argocd\/apps\/dev\/cluster-base.yaml[\s\S]*is not valid YAML[\s\S]*Fix: run `npx nx sync`/,
  },
  {
    name: 'validate with an Application manifest that is not an Application',
    args: ['validate'],
    prepare: (dir) =>
      writeFileSync(join(dir, 'argocd/apps/dev/extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n'),
    message:
      /argocd\/apps\/dev\/extra.yaml[\s\S]*kind[\s\S]*is not an Argo CD Application[\s\S]*Fix: keep only Application manifests/,
  },
  {
    name: 'diff --env that is not an environment at either revision',
    args: ['diff', '--env', 'qa'],
    repository: true,
    message: /--env: "qa" is not an environment at either revision\.\nFix: use one of: dev, stage, prod/,
  },
  {
    name: 'diff --base that names no commit',
    args: ['diff', '--base', 'no-such-ref'],
    repository: true,
    message: /--base no-such-ref names no commit in this repository[\s\S]*Fix: /,
  },
];

describe('hostile input to berth validate and berth diff', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it.each(CASES)('$name', async ({ args, prepare, repository, message }) => {
    const dir = copyExample();
    dirs.push(dir);
    prepare?.(dir);
    if (repository) {
      git(dir, 'init', '-q', '-b', 'main');
      git(dir, 'add', '-A');
      git(dir, '-c', 'user.email=ci@example.com', '-c', 'user.name=ci', 'commit', '-qm', 'example');
    }
    const before = snapshot(dir);
    const status = repository ? git(dir, 'status', '--porcelain') : '';
    const run = await berthAsync(dir, ...args);
    expect(run.status, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/^\s+at /m); // a berth error, never a stack
    expect(existsSync(join(dir, 'dist'))).toBe(false);
    expect(snapshot(dir)).toEqual(before);
    if (repository) expect(git(dir, 'status', '--porcelain')).toBe(status);
  });
});
