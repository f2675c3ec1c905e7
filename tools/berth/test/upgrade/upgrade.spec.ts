// berth upgrade on a repository made by an older berth: library chart, service charts and derived files in one commit.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { installedAssets, type Assets } from '../../src/new/assets';
import { createRepository } from '../../src/new/create';
import { upgrade } from '../../src/upgrade/command';
import { validate } from '../../src/validate/command';
import { laughs } from '../hostile/laughs';

const repoRoot = join(__dirname, '../../../..');
const SERVICES = ['postgres', 'service-a', 'service-b', 'service-c'];
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const yaml = (dir: string, path: string) => parse(readFileSync(join(dir, path), 'utf8'));
const edit = (dir: string, path: string, change: (text: string) => string) =>
  writeFileSync(join(dir, path), change(readFileSync(join(dir, path), 'utf8')));

describe('berth upgrade', () => {
  let scratch: string;
  let newer: Assets;
  let current: string;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'berth-upgrade-'));
    // what a newer berth ships: library chart 0.2.0 with one more template
    cpSync(join(repoRoot, 'charts/common'), join(scratch, 'shipped/charts/common'), { recursive: true });
    edit(join(scratch, 'shipped'), 'charts/common/Chart.yaml', (text) =>
      text.replace(/^version: .*$/m, 'version: 0.2.0'),
    );
    writeFileSync(
      join(scratch, 'shipped/charts/common/templates/_upgraded.tpl'),
      '{{- define "common.upgraded" -}}true{{- end -}}\n',
    );
    newer = { ...installedAssets(), root: join(scratch, 'shipped'), berthVersion: '0.2.0' };
    current = parse(readFileSync(join(repoRoot, 'charts/common/Chart.yaml'), 'utf8')).version;
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  async function olderRepository(name: string): Promise<string> {
    const dir = join(scratch, name);
    await createRepository({
      dir,
      org: 'acme',
      repoUrl: 'https://github.com/acme/gitops.git',
      awsAccount: '210987654321',
      region: 'eu-west-1',
      domain: 'acme.io',
      example: true,
    });
    // a template the old library had and the new one dropped, and a service chart with a comment to keep
    writeFileSync(join(dir, 'charts/common/templates/_retired.tpl'), '{{- define "common.retired" -}}{{- end -}}\n');
    edit(dir, 'charts/service-a/Chart.yaml', (text) => `# service-a: owned by team-web\n${text}`);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'chore: as an older berth left it');
    return dir;
  }

  it('copies the new library chart, bumps every service chart, regenerates derived files, all in one commit', async () => {
    const dir = await olderRepository('older');
    const before = git(dir, 'rev-parse', 'HEAD');
    const report = await upgrade({ root: dir, assets: newer });

    expect(report.library).toEqual({ name: 'common', from: current, to: '0.2.0' });
    expect(report.services.map((service) => service.name)).toEqual(SERVICES);
    expect(yaml(dir, 'charts/common/Chart.yaml').version).toBe('0.2.0');
    expect(existsSync(join(dir, 'charts/common/templates/_upgraded.tpl'))).toBe(true);
    expect(existsSync(join(dir, 'charts/common/templates/_retired.tpl'))).toBe(false);
    for (const service of SERVICES) {
      const chart = yaml(dir, `charts/${service}/Chart.yaml`);
      expect(chart.dependencies).toEqual([{ name: 'common', version: '0.2.0', repository: 'file://../common' }]);
      expect(chart.version).toBe('0.1.1');
    }
    expect(readFileSync(join(dir, 'charts/service-a/Chart.yaml'), 'utf8')).toMatch(/^# service-a: owned by team-web\n/);
    // derived: the umbrella follows the service charts' versions, and carries the library they include
    expect(
      yaml(dir, 'charts/platform/Chart.yaml').dependencies.map((dependency: { version: string }) => dependency.version),
    ).toEqual([...SERVICES.map(() => '0.1.1'), '0.2.0']);

    expect(git(dir, 'rev-list', '--count', `${before}..HEAD`)).toBe('1');
    expect(git(dir, 'log', '-1', '--format=%s')).toBe('chore: upgrade to berth 0.2.0');
    expect(git(dir, 'log', '-1', '--format=%b')).toContain(`Library chart common ${current} -> 0.2.0.`);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual(report.files);

    // and the upgraded repository is valid: helm renders every service against the new library
    const validation = await validate({ root: dir });
    expect(validation.findings).toEqual([]);
  });

  it('is a no-op when the repository is already current', async () => {
    const dir = await olderRepository('current');
    await upgrade({ root: dir, assets: newer });
    const head = git(dir, 'rev-parse', 'HEAD');
    const again = await upgrade({ root: dir, assets: newer });
    expect(again.files).toEqual([]);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('regenerates stale derived files even when the library chart is current', async () => {
    const dir = await olderRepository('stale');
    edit(dir, 'argocd/apps/dev/service-a.yaml', (text) => text.replace('selfHeal: true', 'selfHeal: false'));
    git(dir, 'commit', '-qam', 'hand edit');
    const report = await upgrade({ root: dir, assets: installedAssets() });
    expect(report.library).toBeUndefined();
    expect(report.derived).toEqual(['argocd/apps/dev/service-a.yaml']);
    expect(readFileSync(join(dir, 'argocd/apps/dev/service-a.yaml'), 'utf8')).toContain('selfHeal: true');
  });

  it('refuses, writing nothing, when files it would change have uncommitted edits', async () => {
    const dir = await olderRepository('dirty');
    edit(dir, 'charts/service-b/Chart.yaml', (text) => `${text}# mine\n`);
    const head = git(dir, 'rev-parse', 'HEAD');
    await expect(upgrade({ root: dir, assets: newer })).rejects.toThrow(
      /uncommitted changes:\n M charts\/service-b\/Chart.yaml/,
    );
    expect(git(dir, 'status', '--porcelain')).toBe('M charts/service-b/Chart.yaml');
    expect(yaml(dir, 'charts/common/Chart.yaml').version).toBe(current);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('refuses to downgrade a library chart newer than the one berth ships', async () => {
    const dir = await olderRepository('ahead');
    edit(dir, 'charts/common/Chart.yaml', (text) => text.replace(/^version: .*$/m, 'version: 9.0.0'));
    await expect(upgrade({ root: dir, assets: newer })).rejects.toThrow(
      /charts\/common\/Chart.yaml: version: is at 9.0.0, newer than the 0.2.0 berth 0.2.0 ships/,
    );
  });

  it('refuses a service chart whose aliases explode, naming it, and writes nothing', async () => {
    const dir = await olderRepository('laughs');
    edit(dir, 'charts/service-c/Chart.yaml', (text) => `${text}${laughs()}`);
    git(dir, 'commit', '-qam', 'a hostile chart');
    const head = git(dir, 'rev-parse', 'HEAD');
    await expect(upgrade({ root: dir, assets: newer })).rejects.toThrow(
      /^charts\/service-c\/Chart\.yaml: expands its aliases/,
    );
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('lists the change on a dry run and writes nothing', async () => {
    const dir = await olderRepository('dry');
    const report = await upgrade({ root: dir, assets: newer, dryRun: true });
    expect(report.files).toContain('charts/common/Chart.yaml');
    expect(report.commit).toBeUndefined();
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });
});
