// Hostile paths: links out of the repository, output folders over the sources, files berth did not write.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth, copyExample } from '../cli/workspace';
import { snapshot } from './snapshot';

describe('files berth reads stay inside the repository', () => {
  let outside: string;
  beforeAll(() => {
    outside = mkdtempSync(join(tmpdir(), 'berth-outside-'));
    writeFileSync(join(outside, 'overlay.yaml'), 'image:\n  tag: "6.6.6"\n');
    writeFileSync(join(outside, 'secret.txt'), 'outside content\n');
  });
  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  const cases: [string, (dir: string) => string, RegExp][] = [
    [
      'a symlinked overlay',
      (dir) => link(dir, 'environments/dev/service-a.yaml', join(outside, 'overlay.yaml')),
      /environments\/dev\/service-a.yaml leads outside the repository/,
    ],
    [
      'a symlinked environment values file',
      (dir) => link(dir, 'environments/dev/values.yaml', join(outside, 'overlay.yaml')),
      /environments\/dev\/values.yaml leads outside/,
    ],
    [
      'a symlinked env.yaml',
      (dir) => link(dir, 'environments/dev/env.yaml', join(outside, 'overlay.yaml')),
      /environments\/dev\/env.yaml leads outside/,
    ],
    [
      'a symlinked environment folder',
      (dir) => {
        mkdirSync(join(outside, 'qa'), { recursive: true });
        writeFileSync(
          join(outside, 'qa/env.yaml'),
          readFileSync(join(dir, 'environments/dev/env.yaml'), 'utf8').replace('name: dev', 'name: qa'),
        );
        symlinkSync(join(outside, 'qa'), join(dir, 'environments/qa'));
        return 'environments/qa';
      },
      /environments\/qa leads outside/,
    ],
    [
      'a symlinked chart template',
      (dir) => link(dir, 'charts/service-a/templates/extra.yaml', join(outside, 'secret.txt')),
      /charts\/service-a\/templates\/extra.yaml leads outside/,
    ],
    [
      'a symlinked file a chart reads with .Files.Get',
      (dir) => link(dir, 'charts/service-a/files/ca.pem', join(outside, 'secret.txt')),
      /charts\/service-a\/files leads outside|charts\/service-a\/files\/ca.pem leads outside/,
    ],
    [
      'a symlinked chart',
      (dir) => {
        rmSync(join(outside, 'chart'), { recursive: true, force: true });
        require('node:fs').cpSync(join(dir, 'charts/service-c'), join(outside, 'chart'), { recursive: true });
        rmSync(join(dir, 'charts/service-c'), { recursive: true });
        symlinkSync(join(outside, 'chart'), join(dir, 'charts/service-c'));
        return 'charts/service-c';
      },
      /charts\/service-c leads outside/,
    ],
  ];

  it.each(cases)('refuses %s, naming the link, and writes nothing', (_name, plant, message) => {
    const dir = copyExample();
    plant(dir);
    const before = snapshot(dir);
    for (const command of [
      ['render', '--env', 'dev'],
      ['validate', '--env', 'dev'],
    ]) {
      const run = berth(dir, ...command);
      expect(run.status, `${command.join(' ')}: ${run.stdout}${run.stderr}`).not.toBe(0);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(/Fix: replace the symlink/);
      expect(run.stderr).not.toContain('outside content');
    }
    expect(snapshot(dir)).toEqual(before);
    rmSync(dir, { recursive: true, force: true });
  });

  it('still follows a link that stays inside the repository', () => {
    const dir = copyExample();
    writeFileSync(
      join(dir, 'environments/dev/shared.yaml'),
      readFileSync(join(dir, 'environments/dev/service-c.yaml')),
    );
    rmSync(join(dir, 'environments/dev/service-c.yaml'));
    symlinkSync('shared.yaml', join(dir, 'environments/dev/service-c.yaml'));
    expect(berth(dir, 'render', '--env', 'dev', '--service', 'service-c').status).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });
});

function link(dir: string, path: string, target: string): string {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  rmSync(join(dir, path), { force: true });
  symlinkSync(target, join(dir, path));
  return path;
}

describe('generated output never lands on the sources', () => {
  let dir: string;
  beforeAll(() => {
    dir = copyExample();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    [
      'render',
      '--out',
      'environments',
      /--out: .*environments is inside environments\/, which holds the repository's sources/,
    ],
    ['render', '--out', '.', /--out: .* is the repository root/],
    ['render', '--out', 'charts/service-a', /inside charts\//],
    ['render', '--out', 'argocd/apps', /inside argocd\//],
    ['render', '--out', '..', /holds the repository/],
    ['status', '--html', 'environments/dev/board.html', /--html: .*inside environments\//],
    ['status', '--html', 'charts/index.html', /inside charts\//],
  ])('%s %s %s is refused and nothing is written', (...args) => {
    const message = args.pop() as RegExp;
    const before = snapshot(dir);
    const run = berth(dir, ...(args as string[]));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/Fix: choose a folder of its own/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses a folder of files berth did not render, and never deletes them', () => {
    mkdirSync(join(dir, 'mine/dev'), { recursive: true });
    writeFileSync(join(dir, 'mine/dev/notes.yaml'), 'mine: true\n');
    const before = snapshot(dir);
    const run = berth(dir, 'render', '--env', 'dev', '--out', 'mine');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/--out: mine holds files berth did not render/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('replaces its own folder, and an orphan cleanup leaves files it did not write', () => {
    expect(berth(dir, 'render', '--out', 'out').status).toBe(0);
    expect(existsSync(join(dir, 'out/.berth-rendered'))).toBe(true);
    writeFileSync(join(dir, 'out/dev/orphan.yaml'), readFileSync(join(dir, 'out/dev/service-a.yaml')));
    writeFileSync(join(dir, 'out/dev/hand-written.yaml'), 'kind: ConfigMap\n');
    expect(berth(dir, 'render', '--out', 'out').status).toBe(0);
    expect(existsSync(join(dir, 'out/dev/orphan.yaml'))).toBe(false);
    expect(readFileSync(join(dir, 'out/dev/hand-written.yaml'), 'utf8')).toBe('kind: ConfigMap\n');
  });

  it('a failed render leaves no stale file that looks current', () => {
    expect(berth(dir, 'render', '--env', 'dev').status).toBe(0);
    const overlay = join(dir, 'environments/dev/service-b.yaml');
    const original = readFileSync(overlay, 'utf8');
    writeFileSync(overlay, `${original}\nreplicas: "three"\n`);
    const run = berth(dir, 'render', '--env', 'dev');
    expect(run.status).not.toBe(0);
    expect(existsSync(join(dir, 'dist/rendered/dev/service-b.yaml'))).toBe(false);
    expect(existsSync(join(dir, 'dist/rendered/dev/service-a.yaml'))).toBe(true);
    writeFileSync(overlay, original);
    expect(berth(dir, 'render', '--env', 'dev').status).toBe(0);
    expect(existsSync(join(dir, 'dist/rendered/dev/service-b.yaml'))).toBe(true);
  });
});
