// berth chart-update against a real Helm repository, a real registry and a git bare remote: the newest version within
// the current major, written byte for byte, Chart.lock as helm writes it, one commit with Berth-* trailers.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { derivedFiles } from '../../src/argocd/derived';
import { planSync } from '../../src/argocd/sync-plan';
import { diskFiles } from '../../src/workspace/files';
import { loadWorkspace } from '../../src/workspace/load';
import { berthWith, git, repo } from '../cli/workspace';
import { helm, startChartRepos, type ChartRepos } from './support/chart-repos';

describe('berth chart-update', () => {
  let repos: ChartRepos;
  let scratch: string;
  let work: string;
  let remote: string;
  let env: NodeJS.ProcessEnv;
  const chartYaml = () => readFileSync(join(work, 'charts/service-c/Chart.yaml'), 'utf8');

  beforeAll(async () => {
    repos = await startChartRepos(
      ['1.2.0', '1.3.0', '1.4.0-rc.1', '2.0.0'].map((version) => ({ name: 'kvstore', version })),
    );
    repos.publish(['3.1.0', '3.2.0', '4.0.0'].map((version) => ({ name: 'metrics', version })));
    scratch = mkdtempSync(join(tmpdir(), 'berth-chart-update-'));
    work = join(scratch, 'work');
    remote = join(scratch, 'remote.git');
    for (const dir of ['charts', 'environments', 'argocd', 'apps', 'berth.yaml'])
      cpSync(join(repo, dir), join(work, dir), { recursive: true });
    writeFileSync(
      join(work, 'charts/service-c/Chart.yaml'),
      `${chartYaml()}  # the cache the service reads through
  - name: kvstore
    version: 1.2.0
    repository: ${repos.helmRepo}
  - name: metrics
    alias: exporter
    version: "3.1.0"
    repository: ${repos.ociRepo}
`,
    );
    helm(['dependency', 'update', '--plain-http', join(work, 'charts/service-c')], { env: repos.helmEnv });
    rmSync(join(work, 'charts/service-c/charts'), { recursive: true, force: true });
    git(scratch, 'init', '-q', '--bare', '-b', 'main', remote);
    git(work, 'init', '-q', '-b', 'main');
    git(work, 'add', '-A');
    git(work, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'the example platform');
    git(work, 'remote', 'add', 'origin', remote);
    git(work, 'push', '-q', '-u', 'origin', 'main');
    env = {
      BERTH_CHART_CACHE: join(scratch, 'cache'),
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    };
  }, 180_000);

  afterAll(async () => {
    await repos.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('--dry-run shows the newest version within the current major of each dependency and writes nothing', () => {
    const before = chartYaml();
    const run = berthWith({ cwd: work, env }, 'chart-update', '--service', 'service-c', '--dry-run');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/dev\s+service-c\s+kvstore \(dependency\)\s+1\.2\.0\s+update\s+1\.2\.0 -> 1\.3\.0/);
    expect(run.stdout).toMatch(/dev\s+service-c\s+metrics \(dependency\)\s+3\.1\.0\s+update\s+3\.1\.0 -> 3\.2\.0/);
    expect(run.stdout).toContain('-    version: 1.2.0\n+    version: "1.3.0"');
    expect(chartYaml()).toBe(before);
  });

  it('commits Chart.yaml byte for byte and Chart.lock as helm writes it, with Berth-Kind: chart, and pushes', () => {
    const before = chartYaml();
    const run = berthWith({ cwd: work, env }, 'chart-update', '--service', 'service-c', '--push');
    expect(run.status, run.stderr).toBe(0);
    const after = chartYaml();
    expect(after).toBe(
      before.replace('version: 1.2.0', 'version: "1.3.0"').replace('version: "3.1.0"', 'version: "3.2.0"'),
    );
    const message = git(work, 'log', '-1', '--format=%B');
    expect(message).toMatch(/^chore\(dev\): bump 2 charts/);
    expect(message).toContain(
      'Berth-Service: service-c\nBerth-Env: dev\nBerth-Action: bump\nBerth-From: 1.2.0\nBerth-To: 1.3.0\nBerth-Kind: chart\nBerth-Dependency: kvstore',
    );
    expect(
      git(work, 'show', '--stat', '--format=', 'HEAD')
        .split('\n')
        .map((line) => line.trim().split(' ')[0])
        .filter(Boolean)
        .slice(0, 2),
    ).toEqual(['charts/service-c/Chart.lock', 'charts/service-c/Chart.yaml']);
    expect(git(remote, 'rev-parse', 'main')).toBe(git(work, 'rev-parse', 'HEAD'));
    // helm, given the new Chart.yaml, writes the same lock (but the time it was generated)
    const mine = readFileSync(join(work, 'charts/service-c/Chart.lock'), 'utf8');
    const copy = join(scratch, 'helm-copy');
    cpSync(join(work, 'charts'), copy, { recursive: true });
    helm(['dependency', 'update', '--plain-http', join(copy, 'service-c')], { env: repos.helmEnv });
    const helms = readFileSync(join(copy, 'service-c/Chart.lock'), 'utf8');
    const withoutTime = (text: string) => text.replace(/^generated: .*$/m, 'generated: <time>');
    expect(withoutTime(mine)).toBe(withoutTime(helms));
    expect(mine).toMatch(/^generated: "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"\n$/m);
    // and helm's own check accepts it
    helm(['repo', 'add', 'local', repos.helmRepo], { env: repos.helmEnv });
    helm(['dependency', 'build', '--plain-http', join(work, 'charts/service-c')], { env: repos.helmEnv });
    rmSync(join(work, 'charts/service-c/charts'), { recursive: true, force: true });
    // a second pass finds nothing newer
    const again = berthWith({ cwd: work, env }, 'chart-update', '--service', 'service-c', '--dry-run');
    expect(again.stdout).toContain('nothing to change');
  });

  it('an add-on moves berth.chartVersion and its Application in one commit, only where environments take updates', () => {
    // the example's metrics-server, taken from the local registry at 3.1.0 in every environment
    const app = join(work, 'apps/metrics-server/app.yaml');
    writeFileSync(
      app,
      readFileSync(app, 'utf8')
        .replace('  name: metrics-server\n', '  name: metrics\n')
        .replace('  repo: https://kubernetes-sigs.github.io/metrics-server', `  repo: ${repos.ociRepo}`),
    );
    for (const environment of ['dev', 'stage', 'prod']) {
      const overlay = join(work, `environments/${environment}/metrics-server.yaml`);
      writeFileSync(overlay, readFileSync(overlay, 'utf8').replace(/chartVersion: "[^"]+"/, 'chartVersion: "3.1.0"'));
    }
    const files = diskFiles(work);
    for (const [path, content] of planSync(files, derivedFiles(files, loadWorkspace(files))).write)
      writeFileSync(join(work, path), content);
    git(work, 'add', '-A');
    git(
      work,
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-qm',
      'metrics-server from the registry',
    );
    git(work, 'push', '-q', 'origin', 'main');
    const application = (environment: string) =>
      readFileSync(join(work, `argocd/apps/${environment}/metrics-server.yaml`), 'utf8');
    const [stageBefore, prodBefore] = [application('stage'), application('prod')];
    expect(application('dev')).toContain('targetRevision: 3.1.0');

    const run = berthWith({ cwd: work, env }, 'chart-update', '--service', 'metrics-server', '--push');
    expect(run.status, run.stderr + run.stdout).toBe(0);
    expect(readFileSync(join(work, 'environments/dev/metrics-server.yaml'), 'utf8')).toContain('chartVersion: "3.2.0"');
    // Argo CD reads the version from the Application: it moved in the same commit, and nothing else is stale
    expect(application('dev')).toContain('targetRevision: 3.2.0');
    expect(application('stage')).toBe(stageBefore);
    expect(application('prod')).toBe(prodBefore);
    expect(git(work, 'show', '--name-only', '--format=', 'HEAD').split('\n').filter(Boolean).sort()).toEqual([
      'argocd/apps/dev/metrics-server.yaml',
      'environments/dev/metrics-server.yaml',
    ]);
    const after = diskFiles(work);
    expect([...planSync(after, derivedFiles(after, loadWorkspace(after))).write.keys()]).toEqual([]);
    const message = git(work, 'log', '-1', '--format=%B');
    expect(message).toContain(
      'Berth-Service: metrics-server\nBerth-Env: dev\nBerth-Action: bump\nBerth-From: 3.1.0\nBerth-To: 3.2.0\nBerth-Kind: chart',
    );
    expect(git(remote, 'rev-parse', 'main')).toBe(git(work, 'rev-parse', 'HEAD'));
  });
});
