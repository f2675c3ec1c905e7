// One registry down stops only its own services: the real Distribution registry answers for the rest, exit code 3.
// And the --dry-run patch is one `git apply` takes whole.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berthAsync, git } from '../cli/workspace';
import { pushImage, startRegistry, type RunningRegistry } from '../registry/support/registry';
import { gitOpsRepository, type GitOpsRepository } from './support';
import { closedPort } from '../support/closed-port';

describe('berth image-update with one registry down', () => {
  let registry: RunningRegistry;
  let gitops: GitOpsRepository;
  let down: string;
  const day = (n: number) => new Date(Date.UTC(2026, 10, n));
  const overlay = (env: string, service: string) =>
    readFileSync(join(gitops.work, 'environments', env, `${service}.yaml`), 'utf8');

  beforeAll(async () => {
    registry = await startRegistry();
    for (const tag of ['1.4.3', '1.4.4']) await pushImage(registry.url, 'service-a', tag, day(1));
    await pushImage(registry.url, 'service-b', '2.1.0', day(1));
    for (const tag of ['0.9.2', '0.9.3']) await pushImage(registry.url, 'service-c', tag, day(1));
    await pushImage(registry.url, 'berth-image-updater', '0.1.0', day(1));
    gitops = gitOpsRepository(registry.host);
    // postgres comes from a registry that cannot be reached, as public.ecr.aws is without internet
    down = `127.0.0.1:${await closedPort()}`;
    const values = join(gitops.work, 'charts/postgres/values.yaml');
    writeFileSync(values, readFileSync(values, 'utf8').replace(/repository: \S+/, `repository: ${down}/postgres`));
    git(gitops.work, 'commit', '-qam', 'postgres from elsewhere');
    git(gitops.work, 'push', '-q', 'origin', 'main');
  });
  afterAll(async () => registry?.stop());

  it('--dry-run decides every other service, lists the failed one with its registry and error, exits 3, writes nothing', async () => {
    const head = git(gitops.work, 'rev-parse', 'HEAD');
    const run = await berthAsync(gitops.work, 'image-update', '--dry-run');
    expect(run.status, run.stderr).toBe(3);
    expect(run.stdout).toMatch(/^dev\s+service-a\s+1\.4\.3\s+1\.4\.4\s+bumped$/m);
    expect(run.stdout).toMatch(/^dev\s+service-c\s+0\.9\.2\s+0\.9\.3\s+bumped$/m);
    expect(run.stdout).toMatch(new RegExp(`^dev\\s+postgres\\s+16\\.4\\s+-\\s+registry failed: ${down}$`, 'm'));
    expect(run.stderr).toContain(
      '1 service not updated because their registry failed (exit code 3; the others were updated)',
    );
    expect(run.stderr).toMatch(
      new RegExp(
        `dev/postgres \\(${down}\\): cannot reach registry ${down} at http://${down}/v2/postgres/tags/list\\?n=1000 \\(ECONNREFUSED\\) while listing tags of ${down}/postgres`,
      ),
    );
    expect(run.stderr).toMatch(/Fix: check the host, the port and the network/);
    expect(git(gitops.work, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(gitops.work, 'status', '--porcelain')).toBe('');

    // the output is a patch git takes as it is: one diff --git section per overlay, each line ending in a newline
    const patch = run.stdout.slice(run.stdout.indexOf('diff --git'));
    expect(patch.match(/^diff --git /gm)).toHaveLength(2);
    expect(patch).toMatch(
      /^diff --git a\/environments\/dev\/service-a\.yaml b\/environments\/dev\/service-a\.yaml\n--- a\/environments\/dev\/service-a\.yaml\n\+\+\+ b\/environments\/dev\/service-a\.yaml\n@@ /m,
    );
    expect(patch.endsWith('\n')).toBe(true);
    const check = spawnSync('git', ['apply', '--check', '-v'], {
      cwd: gitops.work,
      input: run.stdout,
      encoding: 'utf8',
    });
    expect(check.status, check.stderr).toBe(0);
    expect(check.stderr).toContain('Checking patch environments/dev/service-a.yaml...');
    expect(check.stderr).toContain('Checking patch environments/dev/service-c.yaml...');
  });

  it('--json carries the failures', async () => {
    const run = await berthAsync(gitops.work, 'image-update', '--dry-run', '--json');
    expect(run.status).toBe(3);
    const report = JSON.parse(run.stdout);
    expect(report.partial).toBe(true);
    expect(report.failures).toEqual([
      expect.objectContaining({
        environment: 'dev',
        service: 'postgres',
        repository: `${down}/postgres`,
        registry: down,
        error: expect.stringMatching(/^cannot reach registry .* while listing tags of/),
        fix: expect.stringMatching(/check the host/),
      }),
    ]);
    expect(report.services.map((service: { service: string }) => service.service).sort()).toEqual([
      'berth-image-updater',
      'service-a',
      'service-b',
      'service-c',
    ]);
  });

  it('commits and pushes the services whose registry answered, leaves the failed one as it was, exits 3', async () => {
    const before = overlay('dev', 'postgres');
    const run = await berthAsync(gitops.work, 'image-update', '--push');
    expect(run.status, run.stderr).toBe(3);
    expect(run.stdout).toMatch(/2 images bumped in 1 commit [0-9a-f]{12}, pushed/);
    expect(overlay('dev', 'postgres')).toBe(before);
    expect(git(gitops.work, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      'environments/dev/service-a.yaml',
      'environments/dev/service-c.yaml',
    ]);
    expect(git(gitops.work, 'status', '--porcelain')).toBe('');
    expect(git(gitops.work, 'rev-parse', 'HEAD')).toBe(git(gitops.work, 'rev-parse', 'origin/main'));
    // nothing else is new: the next pass still names the registry, and commits nothing
    const again = await berthAsync(gitops.work, 'image-update');
    expect(again.status).toBe(3);
    expect(again.stdout).toMatch(/nothing new from the registries that answered: no new images, no commit/);
  });
});
