// berth promote end to end with the real CLI: bare remotes, several clones, pushes that race.
import { describe, expect, it } from 'vitest';
import { promote } from '../../src/promote/command';
import { berth, berthAsync, edit, git } from '../cli/workspace';
import {
  application,
  appYaml,
  overlay,
  overlayPath,
  overlayValues,
  platform,
  setTag,
  staleDerivedFiles,
} from './support';

const COMMIT = /^[0-9a-f]{40}$/;

describe('berth promote', () => {
  it('copies the source version and chart revision into the target as one pushed commit with trailers', () => {
    const { work, remote } = platform();
    const charts = git(work, 'log', '-1', '--format=%H', '--', 'charts/service-a', 'charts/common');
    const before = overlay(work, 'stage', 'service-a');
    const run = berth(work, 'promote', 'service-a', '--to', 'stage');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^service-a\s+1\.4\.2\s+1\.4\.3\s+branch -> [0-9a-f]{12}\s+promoted$/m);
    expect(run.stdout).toMatch(/promoted 1 service from dev to stage in commit [0-9a-f]{12}, pushed/); // stage's env.yaml: promotion.mode push
    // only the version's bytes change; the comment stays
    expect(overlay(work, 'stage', 'service-a')).toBe(
      before.replace('"1.4.2"', '"1.4.3"') + `chartRevision: "${charts}"\n`,
    );
    // Argo CD reads one repository at one revision per Application: the pinned chart's source carries the values
    const promoted = application(work, 'stage', 'service-a');
    expect(promoted.spec.sources).toBeUndefined();
    expect(promoted.spec.source).toMatchObject({ path: 'charts/service-a', targetRevision: charts });
    expect(promoted.spec.source.helm.valueFiles).toBeUndefined();
    expect(promoted.spec.source.helm.valuesObject).toMatchObject({
      image: { tag: '1.4.3' },
      chartRevision: charts,
      environment: { name: 'stage', namespace: 'stage' },
    });
    expect(promoted.metadata.annotations['berth.dev/values-from']).toBe(
      'environments/stage/values.yaml,environments/stage/service-a.yaml',
    );
    expect(git(work, 'log', '-1', '--format=%B')).toBe(
      [
        'chore(stage): promote service-a 1.4.3 from dev',
        '',
        'Berth-Service: service-a',
        'Berth-Env: stage',
        'Berth-Action: promote',
        'Berth-From: 1.4.2',
        'Berth-To: 1.4.3',
        'Berth-Source-Env: dev',
        `Berth-Chart-Revision: ${charts}`,
      ].join('\n'),
    );
    // the Argo CD Application moved in the same commit, so nx sync:check stays green
    expect(git(work, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      'argocd/apps/stage/service-a.yaml',
      'environments/stage/service-a.yaml',
    ]);
    expect(staleDerivedFiles(work)).toEqual([]);
    expect(git(remote, 'rev-parse', 'main')).toBe(git(work, 'rev-parse', 'HEAD'));

    // a second promotion of the same version is a no-op
    const again = berth(work, 'promote', 'service-a', '--to', 'stage');
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^service-a\s+1\.4\.3\s+1\.4\.3\s+\S+ -> \S+\s+already there$/m);
    expect(again.stdout).toMatch(/nothing to promote from dev to stage: no commit/);
    expect(git(work, 'rev-parse', 'HEAD')).toBe(git(remote, 'rev-parse', 'main'));
  });

  it("push: false (the API's local mode) commits without pushing, even where env.yaml says pull requests", async () => {
    const { work, remote } = platform();
    const head = git(remote, 'rev-parse', 'main');
    const report = await promote({ root: work, services: ['service-a'], to: 'prod', push: false });
    expect(report).toMatchObject({ mode: 'commit', pushed: false, commit: git(work, 'rev-parse', 'HEAD') });
    expect(git(work, 'log', '-1', '--format=%s')).toBe('chore(prod): promote service-a 1.4.2 from stage');
    expect(git(remote, 'rev-parse', 'main')).toBe(head);
  });

  it('refuses a source that skips an environment, and says which way versions go', () => {
    const { work } = platform();
    const head = git(work, 'rev-parse', 'HEAD');
    const skip = berth(work, 'promote', 'service-a', '--to', 'prod', '--from', 'dev');
    expect(skip.status).toBe(1);
    expect(skip.stderr).toMatch(/prod promotes from stage; promoting from dev would skip stage\./);
    expect(skip.stderr).toMatch(/Fix: promote to stage first/);
    expect(berth(work, 'promote', 'service-a', '--to', 'stage', '--from', 'prod').stderr).toMatch(
      /stage promotes from dev; prod is not on its way \(dev -> stage\)/,
    );
    expect(berth(work, 'promote', 'service-a', '--to', 'dev').stderr).toMatch(
      /dev is the first environment: nothing promotes into it/,
    );
    expect(berth(work, 'promote', 'service-a', '--to', 'qa').stderr).toMatch(/--to qa is not an environment/);
    expect(berth(work, 'promote', 'service-z', '--to', 'stage').stderr).toMatch(/service-z is not a service/);
    expect(berth(work, 'promote', '--to', 'stage').stderr).toMatch(/no service to promote/);
    expect(berth(work, 'promote', 'service-a', '--all', '--to', 'stage').stderr).toMatch(
      /name services or pass --all, not both/,
    );
    expect(berth(work, 'promote', 'service-a', '--to', 'stage', '--push', '--pr').stderr).toMatch(
      /--push and --pr contradict each other/,
    );
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(work, 'status', '--porcelain')).toBe('');
  });

  it('refuses a --version the source does not run', () => {
    const { work } = platform();
    const run = berth(work, 'promote', 'service-a', '--to', 'stage', '--version', '1.5.0');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /environments\/dev\/service-a\.yaml: image\.tag: dev runs service-a 1\.4\.3, not 1\.5\.0/,
    );
    expect(overlayValues(work, 'stage', 'service-a').image.tag).toBe('1.4.2');
    const named = berth(work, 'promote', 'service-a', '--to', 'stage', '--version', '1.4.3');
    expect(named.status, named.stderr).toBe(0);
    expect(overlayValues(work, 'stage', 'service-a').image.tag).toBe('1.4.3');
  });

  it('refuses a downgrade without --allow-downgrade, and copies a digest or removes a stale one', () => {
    const { work } = platform();
    setTag(work, 'stage', 'service-b', '9.0.0', true);
    const refused = berth(work, 'promote', 'service-b', '--to', 'stage');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /environments\/stage\/service-b\.yaml: image\.tag: stage runs service-b 9\.0\.0, newer than dev's 2\.1\.0: promoting would downgrade it\.\nFix: pass --allow-downgrade/,
    );
    expect(overlayValues(work, 'stage', 'service-b').image.tag).toBe('9.0.0');

    // dev follows a digest; stage's stale digest of 9.0.0 must not survive the move
    const digest = `sha256:${'d'.repeat(64)}`;
    edit(work, overlayPath('dev', 'service-b'), (text) => text.replace(/tag: .*/, `$&\n  digest: "${digest}"`));
    edit(work, overlayPath('stage', 'service-b'), (text) =>
      text.replace(/tag: .*/, `$&\n  digest: "sha256:${'9'.repeat(64)}"`),
    );
    git(work, 'commit', '-qam', 'test: digests');
    git(work, 'push', '-q', 'origin', 'main');
    const allowed = berth(work, 'promote', 'service-b', '--to', 'stage', '--allow-downgrade');
    expect(allowed.status, allowed.stderr).toBe(0);
    expect(overlayValues(work, 'stage', 'service-b').image).toEqual({ tag: '2.1.0', digest });
    expect(git(work, 'log', '-1', '--format=%B')).toContain(
      `Berth-From: 9.0.0\nBerth-To: 2.1.0\nBerth-Digest: ${digest}\nBerth-Source-Env: dev`,
    );
    edit(work, overlayPath('dev', 'service-b'), (text) => text.replace(/\n {2}digest: .*/, ''));
    setTag(work, 'dev', 'service-b', '2.1.1', true);
    expect(berth(work, 'promote', 'service-b', '--to', 'stage').status).toBe(0);
    expect(overlayValues(work, 'stage', 'service-b').image).toEqual({ tag: '2.1.1' });
  });

  it("refuses a pinned target with the pin's reason and the way out", () => {
    const { work } = platform();
    expect(berth(work, 'pin', 'service-a', '--env', 'stage', '--reason', 'INC-9: load test running').status).toBe(0);
    const run = berth(work, 'promote', 'service-a', '--to', 'stage');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /apps\/service-a\/app\.yaml: pins\.stage: service-a is pinned in stage at 1\.4\.2 \(INC-9: load test running\), so it is not promoted\.\nFix: .*berth unpin service-a --env stage/,
    );
    expect(overlayValues(work, 'stage', 'service-a').image.tag).toBe('1.4.2');
  });

  it('refuses a service that does not run in the source or the target', () => {
    const { work } = platform();
    edit(work, 'apps/service-c/app.yaml', (text) => text.replace(/environments: .*/, 'environments: [stage, prod]'));
    git(work, 'commit', '-qam', 'test: service-c skips dev');
    const run = berth(work, 'promote', 'service-c', '--to', 'stage');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      /apps\/service-c\/app\.yaml: environments: service-c does not run in dev, so it cannot be promoted from it\./,
    );
    expect(berth(work, 'promote', 'service-c', '--to', 'dev').stderr).toMatch(/nothing promotes into it/);
  });

  it('--all promotes every service whose source is ahead and reports the rest', () => {
    const { work } = platform();
    expect(berth(work, 'promote', 'service-b', '--to', 'stage').status).toBe(0); // already there below
    setTag(work, 'stage', 'postgres', '17.0', true); // stage ahead: a downgrade to skip
    edit(work, 'apps/service-c/app.yaml', (text) => text.replace(/environments: .*/, 'environments: [stage, prod]'));
    git(work, 'commit', '-qam', 'test: service-c skips dev');
    git(work, 'push', '-q', 'origin', 'main');
    const run = berth(work, 'promote', '--all', '--to', 'stage');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^service-a\s+1\.4\.2\s+1\.4\.3\s+branch -> \S+\s+promoted$/m);
    expect(run.stdout).toMatch(/^service-b\s+2\.1\.0\s+2\.1\.0\s+\S+ -> \S+\s+already there$/m);
    expect(run.stdout).toMatch(
      /^postgres\s+17\.0\s+16\.4\s+branch -> \S+\s+downgrade skipped: 17\.0 is newer than dev's 16\.4/m,
    );
    expect(run.stdout).toMatch(/^service-c\s+0\.9\.1\s+-\s+-\s+not in source: does not run in dev$/m);
    expect(git(work, 'log', '-1', '--format=%s')).toBe('chore(stage): promote service-a 1.4.3 from dev');

    // JSON says the same; a pin is reported, not an error
    expect(berth(work, 'pin', 'postgres', '--env', 'stage', '--reason', 'major upgrade under test').status).toBe(0);
    setTag(work, 'dev', 'service-a', '1.4.4');
    setTag(work, 'dev', 'service-b', '2.1.1', true);
    const json = JSON.parse(berth(work, 'promote', '--all', '--to', 'stage', '--json').stdout);
    const status = Object.fromEntries(
      json.services.map((service: { service: string; status: string }) => [service.service, service.status]),
    );
    expect(status).toMatchObject({
      'service-a': 'promote',
      'service-b': 'promote',
      postgres: 'pinned',
      'service-c': 'missing',
    });
    expect(json).toMatchObject({
      source: 'dev',
      target: 'stage',
      mode: 'push',
      pushed: true,
      commit: expect.stringMatching(COMMIT),
    });
    const message = git(work, 'log', '-1', '--format=%B');
    expect(message).toMatch(/^chore\(stage\): promote 2 services from dev\n/);
    expect(message).toContain(
      'Berth-Service: service-a\nBerth-Env: stage\nBerth-Action: promote\nBerth-From: 1.4.3\nBerth-To: 1.4.4',
    );
    expect(message).toContain(
      'Berth-Service: service-b\nBerth-Env: stage\nBerth-Action: promote\nBerth-From: 2.1.0\nBerth-To: 2.1.1',
    );
    expect(staleDerivedFiles(work).filter((path) => !path.includes('service-c'))).toEqual([]); // service-c's dev Application: the test's own edit
  });

  it('a chart revision that is not on the remote yet is refused before anything is written', () => {
    const { work } = platform();
    edit(work, 'charts/service-a/values.yaml', (text) => `${text}# a local chart change\n`);
    git(work, 'commit', '-qam', 'test: unpushed chart change');
    const head = git(work, 'rev-parse', 'HEAD');
    const run = berth(work, 'promote', 'service-a', '--to', 'stage', '--push');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/service-a would deploy the charts of [0-9a-f]{12}, which is not on origin\/main yet/);
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(work, 'status', '--porcelain')).toBe('');
    git(work, 'push', '-q', 'origin', 'main');
    expect(berth(work, 'promote', 'service-a', '--to', 'stage', '--push').status).toBe(0);
    expect(overlayValues(work, 'stage', 'service-a').chartRevision).toBe(head);
  });

  it('two promotions racing on one remote both land, in a linear history', async () => {
    const gitops = platform();
    const [first, second] = [gitops.clone('racer-a'), gitops.clone('racer-b')];
    const runs = await Promise.all([
      berthAsync(first, 'promote', 'service-a', '--to', 'stage', '--push'),
      berthAsync(second, 'promote', 'service-b', '--to', 'stage', '--push'),
    ]);
    for (const run of runs) expect(run.status, run.stderr).toBe(0);
    const check = gitops.clone('check');
    expect(git(check, 'rev-list', '--merges', '--count', 'HEAD')).toBe('0');
    expect(git(check, 'log', '--format=%s', '-2').split('\n').sort()).toEqual([
      'chore(stage): promote service-a 1.4.3 from dev',
      'chore(stage): promote service-b 2.1.0 from dev',
    ]);
    expect(overlayValues(check, 'stage', 'service-a').image.tag).toBe('1.4.3');
    expect(overlayValues(check, 'stage', 'service-b').image.tag).toBe('2.1.0');
    for (const service of ['service-a', 'service-b'])
      expect(application(check, 'stage', service).spec.source.targetRevision).toMatch(COMMIT);
    expect(staleDerivedFiles(check)).toEqual([]);
    expect(appYaml(check, 'service-a').pins).toBeUndefined();
  });
});
