// berth image-update end to end: Debian's Distribution registry, bare git remotes, the real CLI.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { pushImage, startRegistry, type RunningRegistry } from '../registry/support/registry';
import { berth, berthAsync, git } from '../cli/workspace';
import { gitOpsRepository, type GitOpsRepository } from './support';

const day = (n: number) => new Date(Date.UTC(2026, 10, n));

describe('berth image-update', () => {
  let registry: RunningRegistry;
  let gitops: GitOpsRepository;
  const push = (name: string, tag: string, n = 1) => pushImage(registry.url, name, tag, day(n));

  beforeAll(async () => {
    registry = await startRegistry();
    for (const tag of ['1.4.2', '1.4.3', '1.4.4', '1.5.0-rc.1', 'latest']) await push('service-a', tag);
    await push('service-b', '2.1.0');
    await push('berth-image-updater', '0.1.0');
    for (const tag of ['0.9.1', '0.9.2']) await push('service-c', tag);
    for (const tag of ['16.4', '16.5', '17.0']) await push('postgres', tag);
    gitops = gitOpsRepository(registry.host);
  });
  afterAll(async () => registry?.stop());

  const overlay = (dir: string, env: string, service: string) =>
    readFileSync(join(dir, 'environments', env, `${service}.yaml`), 'utf8');

  it('--dry-run prints the diff it would commit and writes nothing', () => {
    const head = git(gitops.work, 'rev-parse', 'HEAD');
    const run = berth(gitops.work, 'image-update', '--dry-run');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^--- a\/environments\/dev\/service-a.yaml$/m);
    expect(run.stdout).toMatch(/^-  tag: "1.4.3"$/m);
    expect(run.stdout).toMatch(/^\+  tag: "1.4.4"$/m);
    expect(run.stdout).toMatch(/^\+  tag: "16.5"$/m);
    expect(git(gitops.work, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(gitops.work, 'status', '--porcelain')).toBe('');
  });

  it('bumps dev by the policies, in one commit with a trailer block per service, touching only the tag', () => {
    const before = overlay(gitops.work, 'dev', 'service-a');
    const run = berth(gitops.work, 'image-update');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^dev\s+service-a\s+1.4.3\s+1.4.4\s+bumped$/m);
    expect(run.stdout).toMatch(/^dev\s+postgres\s+16.4\s+16.5\s+bumped$/m); // app.yaml holds postgres to ~16
    expect(run.stdout).toMatch(/^dev\s+service-b\s+2.1.0\s+-\s+up to date$/m);
    expect(overlay(gitops.work, 'dev', 'service-a')).toBe(before.replace('"1.4.3"', '"1.4.4"'));
    expect(overlay(gitops.work, 'stage', 'service-a')).not.toContain('1.4.4'); // stage takes versions by promotion
    const message = git(gitops.work, 'log', '-1', '--format=%B');
    expect(message).toMatch(/^chore\(dev\): bump 2 images\n/);
    expect(message).toContain(
      'Berth-Service: service-a\nBerth-Env: dev\nBerth-Action: bump\nBerth-From: 1.4.3\nBerth-To: 1.4.4',
    );
    expect(message).toContain(
      'Berth-Service: postgres\nBerth-Env: dev\nBerth-Action: bump\nBerth-From: 16.4\nBerth-To: 16.5',
    );
    expect(git(gitops.work, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      'environments/dev/postgres.yaml',
      'environments/dev/service-a.yaml',
    ]);
  });

  it('refuses an environment that takes versions only by promotion', () => {
    const run = berth(gitops.work, 'image-update', '--env', 'prod');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /environments\/prod\/env.yaml: imageUpdates.enabled: prod takes versions by promotion only/,
    );
  });

  it('says "up to date" and commits nothing on a second pass', () => {
    const head = git(gitops.work, 'rev-parse', 'HEAD');
    const run = berth(gitops.work, 'image-update');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/up to date: no new images, no commit/);
    expect(git(gitops.work, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('--explain says why each tag was taken or rejected; --json reports the same', async () => {
    const run = berth(gitops.work, 'image-update', '--service', 'service-a', '--dry-run', '--explain');
    expect(run.stdout).toMatch(/\* 1\.4\.4\s+selected/);
    expect(run.stdout).toMatch(/ latest\s+.*not a version/);
    expect(run.stdout).toMatch(/ 1\.5\.0-rc\.1\s+.*pre-release/);
    const json = JSON.parse(
      berth(gitops.work, 'image-update', '--service', 'service-a', '--dry-run', '--json', '--explain').stdout,
    );
    expect(json.services[0]).toMatchObject({
      environment: 'dev',
      service: 'service-a',
      status: 'current',
      from: { tag: '1.4.4' },
    });
    expect(json.services[0].candidates.find((candidate: { tag: string }) => candidate.tag === 'latest').taken).toBe(
      false,
    );
  });

  it('holds a pinned service, says why, and moves it again after unpin', async () => {
    const pin = berth(gitops.work, 'pin', 'service-a', '--env', 'dev', '--reason', 'INC-42: 1.4.5 leaks memory');
    expect(pin.stdout).toMatch(/pinned service-a at 1.4.4 in dev/);
    expect(parse(readFileSync(join(gitops.work, 'apps/service-a/app.yaml'), 'utf8')).pins.dev).toMatchObject({
      version: '1.4.4',
      reason: 'INC-42: 1.4.5 leaks memory',
    });
    expect(git(gitops.work, 'log', '-1', '--format=%B')).toMatch(
      /^chore\(dev\): pin service-a at 1.4.4\n[\s\S]*Berth-Action: pin/,
    );
    await push('service-a', '1.4.5', 3);
    const held = berth(gitops.work, 'image-update');
    expect(held.stdout).toMatch(/^dev\s+service-a\s+1.4.4\s+-\s+pinned: pinned at 1.4.4: INC-42: 1.4.5 leaks memory/m);
    expect(overlay(gitops.work, 'dev', 'service-a')).toContain('"1.4.4"');
    expect(berth(gitops.work, 'unpin', 'service-a', '--env', 'dev').stdout).toMatch(/unpinned service-a in dev/);
    expect(parse(readFileSync(join(gitops.work, 'apps/service-a/app.yaml'), 'utf8')).pins).toBeUndefined();
    expect(berth(gitops.work, 'image-update').stdout).toMatch(/^dev\s+service-a\s+1.4.4\s+1.4.5\s+bumped$/m);
  });

  it('pins at a named version, moving the overlay there; refuses a bad version or environment', () => {
    const run = berth(gitops.work, 'pin', 'service-c', '--env', 'dev', '--version', '0.9.1');
    expect(run.status).toBe(0);
    expect(overlay(gitops.work, 'dev', 'service-c')).toContain('"0.9.1"');
    expect(berth(gitops.work, 'pin', 'service-c', '--env', 'dev', '--version', '0.9.1"\nx: y').stderr).toMatch(
      /not a pinned image tag/,
    );
    expect(berth(gitops.work, 'pin', 'service-c', '--env', 'qa').stderr).toMatch(/--env qa is not an environment/);
    expect(berth(gitops.work, 'unpin', 'service-b', '--env', 'dev').stderr).toMatch(/service-b is not pinned in dev/);
  });

  it('--commit-per-service makes one commit for each bumped service', async () => {
    await push('service-b', '2.2.0', 4);
    await push('service-c', '0.9.9', 4);
    berth(gitops.work, 'unpin', 'service-c', '--env', 'dev');
    const before = git(gitops.work, 'rev-parse', 'HEAD');
    const run = berth(gitops.work, 'image-update', '--commit-per-service');
    expect(run.stdout).toMatch(/2 images bumped in 2 commits/);
    expect(git(gitops.work, 'log', '--format=%s', `${before}..HEAD`).split('\n').sort()).toEqual([
      'chore(dev): bump service-b to 2.2.0',
      'chore(dev): bump service-c to 0.9.9',
    ]);
  });

  it('refuses to commit an overlay someone is editing, and changes nothing', async () => {
    await push('service-b', '2.3.0', 6);
    const path = join(gitops.work, 'environments/dev/service-b.yaml');
    const edited = `${readFileSync(path, 'utf8')}# half-done edit\n`;
    writeFileSync(path, edited);
    const head = git(gitops.work, 'rev-parse', 'HEAD');
    const run = berth(gitops.work, 'image-update');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /environments\/dev\/service-b.yaml has uncommitted changes that berth's commit would take along/,
    );
    expect(readFileSync(path, 'utf8')).toBe(edited);
    expect(git(gitops.work, 'rev-parse', 'HEAD')).toBe(head);
    git(gitops.work, 'checkout', '--', 'environments/dev/service-b.yaml');
  });

  it('five updaters racing on one remote, each bumping another service, lose nothing and keep history linear', async () => {
    const services = ['service-a', 'service-b', 'service-c', 'postgres'];
    for (const [index, service] of services.entries())
      await push(service, service === 'postgres' ? '16.9' : `${index + 3}.0.0`, 5);
    const racers = [...services, 'service-a'].map((service, index) => ({
      service,
      dir: gitops.clone(`racer-${index}`),
    }));
    // the fifth racer bumps service-a too: whoever loses recomputes and finds it already done
    const runs = await Promise.all(
      racers.map(({ service, dir }) => berthAsync(dir, 'image-update', '--service', service, '--push')),
    );
    for (const run of runs) expect(run.status, run.stderr).toBe(0);
    const check = gitops.clone('check');
    expect(git(check, 'rev-list', '--merges', '--count', 'HEAD')).toBe('0');
    const tags = Object.fromEntries(
      services.map((service) => [service, parse(overlay(check, 'dev', service)).image.tag]),
    );
    expect(tags).toEqual({ 'service-a': '3.0.0', 'service-b': '4.0.0', 'service-c': '5.0.0', postgres: '16.9' });
    const subjects = git(check, 'log', '--format=%s')
      .split('\n')
      .filter((subject) => subject.startsWith('chore(dev)'));
    expect(subjects.sort()).toEqual([
      'chore(dev): bump postgres to 16.9',
      'chore(dev): bump service-a to 3.0.0',
      'chore(dev): bump service-b to 4.0.0',
      'chore(dev): bump service-c to 5.0.0',
    ]);
  });
});
