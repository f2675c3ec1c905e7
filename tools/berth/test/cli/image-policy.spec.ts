// berth image-policy test: try a policy on tags from stdin or from a real registry before committing it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushImage, startRegistry, type RunningRegistry } from '../registry/support/registry';
import { berthWith, repo } from './workspace';

const policy = (input: string, ...args: string[]) =>
  berthWith({ cwd: repo, input }, 'image-policy', 'test', '-', ...args);

describe('berth image-policy test', () => {
  it('picks from tags on stdin and explains every verdict', () => {
    const run = policy('1.0.0\n1.2.0\n2.0.0-rc.1\nlatest\n', '--strategy', 'semver', '--explain');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^selected: 1.2.0$/m);
    expect(run.stdout).toMatch(/^ {2}\* 1\.2\.0\s+selected$/m);
    expect(run.stdout).toMatch(/^ {4}latest\s+not a version$/m);
  });

  it('admits pre-releases only when the constraint names one, ordered rc.9 < rc.10', () => {
    expect(policy('1.0.1-rc.9\n1.0.1-rc.10\n', '--constraint', '>=1.0.0-0').stdout).toMatch(/^selected: 1.0.1-rc.10$/m);
    expect(policy('1.0.1-rc9\n1.0.1-rc10\n', '--constraint', '>=1.0.0-0', '--natural-prerelease').stdout).toMatch(
      /^selected: 1.0.1-rc10$/m,
    );
  });

  it('orders by the time after each tag for newest, and prints JSON', () => {
    const run = policy(
      'b 2026-01-02T00:00:00Z\na 2026-03-01T00:00:00Z\nc 2026-02-01T00:00:00Z\n',
      '--strategy',
      'newest',
      '--json',
    );
    const report = JSON.parse(run.stdout);
    expect(report.selected).toBe('a');
    expect(report.candidates).toHaveLength(3);
  });

  it('filters with --allow-tags, repeated --ignore-tags and --extract', () => {
    const run = policy(
      'build-7\nbuild-12\nbuild-12-debug\nrelease-99\n',
      '--strategy',
      'numerical',
      '--allow-tags',
      '^build-',
      '--ignore-tags',
      '*-debug',
      '--ignore-tags',
      'none',
      '--extract',
      '^build-(\\d+)$',
    );
    expect(run.stdout).toMatch(/^selected: build-12$/m);
  });

  it('exits non-zero on an invalid policy, naming the flag', () => {
    const run = policy('1.0.0\n', '--constraint', '1.0.0p');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/--constraint: "1.0.0p" is not a semver range/);
    expect(policy('1.0.0\n', '--strategy', 'biggest').stderr).toMatch(/--strategy: /);
  });

  it('says so when no tag qualifies', () => {
    const run = policy('0.1.0\n', '--constraint', '^2.0');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/no tag satisfies the policy/);
  });

  describe('against a registry', () => {
    let registry: RunningRegistry;
    beforeAll(async () => {
      registry = await startRegistry();
      for (const [tag, day] of [
        ['1.0.0', 1],
        ['1.1.0', 2],
        ['main', 3],
      ] as const)
        await pushImage(registry.url, 'api', tag, new Date(Date.UTC(2026, 10, day)));
    });
    afterAll(async () => registry?.stop());

    it('lists the repository and reads creation times from the registry when the policy needs them', () => {
      expect(
        berthWith({ cwd: repo }, 'image-policy', 'test', `${registry.host}/api`, '--constraint', '^1.0').stdout,
      ).toMatch(/^selected: 1.1.0$/m);
      expect(
        berthWith({ cwd: repo }, 'image-policy', 'test', `${registry.host}/api`, '--strategy', 'newest').stdout,
      ).toMatch(/^selected: main$/m);
    });
  });
});
