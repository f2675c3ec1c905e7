// berth rollback end to end: releases made by image-update against the real Distribution registry (and by promotion),
// read back from the history's trailers, returned to, and held by a pin that image-update and promote respect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushImage, startRegistry, type RunningRegistry } from '../registry/support/registry';
import { berth, berthAsync, edit, git } from '../cli/workspace';
import { application, appYaml, overlay, overlayValues, platform, setTag, staleDerivedFiles } from '../promote/support';

describe('berth rollback', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
  });
  afterAll(async () => registry?.stop());

  it('after three releases returns to the second, pins it, and image-update then holds it there', async () => {
    const { work, remote } = platform(registry.host);
    for (const [day, tag] of ['1.5.0', '1.6.0', '1.7.0'].entries()) {
      await pushImage(registry.url, 'service-a', tag, new Date(Date.UTC(2026, 10, day + 1)));
      const bump = berth(work, 'image-update', '--service', 'service-a', '--push');
      expect(bump.stdout, bump.stderr).toMatch(
        new RegExp(`^dev\\s+service-a\\s+\\S+\\s+${tag.replaceAll('.', '\\.')}\\s+bumped$`, 'm'),
      );
    }
    const before = overlay(work, 'dev', 'service-a');

    const run = berth(work, 'rollback', 'service-a', '--env', 'dev', '--push');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /rolled back service-a in dev from 1\.7\.0 to 1\.6\.0 \(as deployed by the bump in [0-9a-f]{12}\)/,
    );
    expect(run.stdout).toMatch(
      /pinned it at 1\.6\.0: image updates and promotions leave it there until `berth unpin service-a --env dev`/,
    );
    expect(overlay(work, 'dev', 'service-a')).toBe(before.replace('"1.7.0"', '"1.6.0"')); // only the version's bytes
    expect(appYaml(work, 'service-a').pins.dev).toMatchObject({ version: '1.6.0', reason: 'rolled back from 1.7.0' });
    expect(git(work, 'log', '-1', '--format=%B')).toBe(
      [
        'fix(dev): roll back service-a to 1.6.0',
        '',
        'Berth-Service: service-a',
        'Berth-Env: dev',
        'Berth-Action: rollback',
        'Berth-From: 1.7.0',
        'Berth-To: 1.6.0',
        'Berth-Reason: rolled back from 1.7.0',
      ].join('\n'),
    );
    expect(git(work, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      'apps/service-a/app.yaml',
      'environments/dev/service-a.yaml',
    ]);
    expect(git(remote, 'rev-parse', 'main')).toBe(git(work, 'rev-parse', 'HEAD'));
    expect(staleDerivedFiles(work)).toEqual([]);

    // 1.7.0 is still the newest tag in the registry, and image-update leaves service-a where the rollback put it
    const head = git(work, 'rev-parse', 'HEAD');
    const update = berth(work, 'image-update', '--service', 'service-a', '--push');
    expect(update.status, update.stderr).toBe(0);
    expect(update.stdout).toMatch(
      /^dev\s+service-a\s+1\.6\.0\s+-\s+pinned: pinned at 1\.6\.0: rolled back from 1\.7\.0 \(berth unpin service-a --env dev releases it\)$/m,
    );
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head);
    expect(overlayValues(work, 'dev', 'service-a').image.tag).toBe('1.6.0');

    // --to must name a version that ran there
    const unknown = berth(work, 'rollback', 'service-a', '--env', 'dev', '--to', '1.4.0');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(
      /service-a never ran 1\.4\.0 in dev \(versions deployed there by berth, oldest first: 1\.5\.0, 1\.6\.0, 1\.7\.0\)/,
    );
    expect(berth(work, 'rollback', 'service-a', '--env', 'dev', '--to', '1.6.0').stderr).toMatch(
      /already runs 1\.6\.0 in dev: nothing to roll back/,
    );
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head);

    // rolling back again goes further back; --to may return to any version that ran, and the pin follows
    expect(berth(work, 'rollback', 'service-a', '--env', 'dev').stdout).toMatch(/from 1\.6\.0 to 1\.5\.0/);
    const json = JSON.parse(berth(work, 'rollback', 'service-a', '--env', 'dev', '--to', '1.7.0', '--json').stdout);
    expect(json).toMatchObject({
      service: 'service-a',
      env: 'dev',
      from: { tag: '1.5.0' },
      to: { tag: '1.7.0' },
      pin: { version: '1.7.0', reason: 'rolled back from 1.5.0' },
      deployedBy: { action: 'bump' },
      versions: ['1.5.0', '1.6.0', '1.7.0'],
      pushed: false,
    });
    expect(appYaml(work, 'service-a').pins.dev.version).toBe('1.7.0');
    expect(berth(work, 'rollback', 'service-x', '--env', 'dev').stderr).toMatch(/service-x is not a service/);
    expect(berth(work, 'rollback', 'service-a', '--env', 'qa').stderr).toMatch(/--env qa is not an environment/);
  });

  it('in a promoted environment returns the chart revision too, moves the Application with it, and blocks promotion until unpin', () => {
    const { work } = platform();
    const promote = () => {
      const run = berth(work, 'promote', 'service-a', '--to', 'stage');
      expect(run.status, run.stderr).toBe(0);
    };
    promote(); // 1.4.3 with the original charts
    const original = overlayValues(work, 'stage', 'service-a').chartRevision!;
    edit(work, 'charts/common/templates/_helpers.tpl', (text) =>
      text.replace(
        'app.kubernetes.io/part-of: berth\n',
        'app.kubernetes.io/part-of: berth\nberth.dev/chart-generation: "2"\n',
      ),
    );
    git(work, 'commit', '-qam', 'feat(charts): a new label');
    const changed = git(work, 'rev-parse', 'HEAD');
    setTag(work, 'dev', 'service-a', '1.5.0', true);
    promote(); // 1.5.0 with the new charts
    setTag(work, 'dev', 'service-a', '1.6.0', true);
    promote(); // 1.6.0
    expect(overlayValues(work, 'stage', 'service-a')).toMatchObject({
      image: { tag: '1.6.0' },
      chartRevision: changed,
    });

    const run = berth(work, 'rollback', 'service-a', '--env', 'stage', '--to', '1.4.3');
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(
        `from 1\\.6\\.0 to 1\\.4\\.3, charts ${changed.slice(0, 12)} -> ${original.slice(0, 12)} \\(as deployed by the promote in`,
      ),
    );
    expect(overlayValues(work, 'stage', 'service-a')).toMatchObject({
      image: { tag: '1.4.3' },
      chartRevision: original,
    });
    expect(application(work, 'stage', 'service-a').spec.source.targetRevision).toBe(original);
    expect(git(work, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      'apps/service-a/app.yaml',
      'argocd/apps/stage/service-a.yaml',
      'environments/stage/service-a.yaml',
    ]);
    expect(git(work, 'log', '-1', '--format=%B')).toContain(
      `Berth-Action: rollback\nBerth-From: 1.6.0\nBerth-To: 1.4.3\nBerth-Chart-Revision: ${original}\nBerth-Reason: rolled back from 1.6.0`,
    );
    expect(staleDerivedFiles(work)).toEqual([]);

    const blocked = berth(work, 'promote', 'service-a', '--to', 'stage');
    expect(blocked.status).toBe(1);
    expect(blocked.stderr).toMatch(
      /service-a is pinned in stage at 1\.4\.3 \(rolled back from 1\.6\.0\), so it is not promoted\.\nFix: .*berth unpin service-a --env stage/,
    );
    expect(berth(work, 'unpin', 'service-a', '--env', 'stage').status).toBe(0);
    promote();
    expect(overlayValues(work, 'stage', 'service-a')).toMatchObject({
      image: { tag: '1.6.0' },
      chartRevision: changed,
    });
  });

  it('undoes the first promotion into an environment: the image tag, digest and charts that ran before come back together', async () => {
    const { work, remote } = platform();
    // stage ran 1.4.2 at a digest, following the branch's charts; dev's 1.4.3 is promoted (pinning those charts), then a
    // chart change lands on the branch: rolling back must pin the charts that ran, not follow the branch to the new ones
    const digest = `sha256:${'7'.repeat(64)}`;
    edit(work, 'environments/stage/service-a.yaml', (text) => text.replace(/tag: .*/, `$&\n  digest: "${digest}"`));
    git(work, 'commit', '-qam', 'test: stage follows a digest');
    git(work, 'push', '-q', 'origin', 'main');
    const chartsBefore = git(work, 'log', '-1', '--format=%H', '--', 'charts/service-a', 'charts/common');
    const promoted = await berthAsync(work, 'promote', 'service-a', '--to', 'stage');
    expect(promoted.status, promoted.stderr).toBe(0);
    const promotion = git(work, 'rev-parse', 'HEAD');
    expect(overlayValues(work, 'stage', 'service-a')).toEqual(
      expect.objectContaining({ image: { tag: '1.4.3' }, chartRevision: chartsBefore }),
    );
    edit(work, 'charts/service-a/values.yaml', (text) => `${text}# a chart change after the promotion\n`);
    git(work, 'commit', '-qam', 'feat(charts): service-a chart change');
    git(work, 'push', '-q', 'origin', 'main');

    const run = await berthAsync(work, 'rollback', 'service-a', '--env', 'stage', '--push');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      `rolled back service-a in stage from 1.4.3 to 1.4.2@${digest.slice(0, 19)} (as it ran before berth's first recorded promote, at ${git(work, 'rev-parse', `${promotion}^`).slice(0, 12)})`,
    );
    expect(overlayValues(work, 'stage', 'service-a')).toEqual(
      expect.objectContaining({ image: { tag: '1.4.2', digest }, chartRevision: chartsBefore }),
    );
    expect(application(work, 'stage', 'service-a').spec.source.targetRevision).toBe(chartsBefore);
    expect(appYaml(work, 'service-a').pins.stage).toMatchObject({ version: '1.4.2', reason: 'rolled back from 1.4.3' });
    expect(git(work, 'log', '-1', '--format=%B')).toContain(
      `Berth-Action: rollback\nBerth-From: 1.4.3\nBerth-To: 1.4.2\nBerth-Digest: ${digest}\nBerth-Chart-Revision: ${chartsBefore}`,
    );
    expect(git(remote, 'rev-parse', 'main')).toBe(git(work, 'rev-parse', 'HEAD'));
    expect(staleDerivedFiles(work)).toEqual([]);

    // nothing ran before that; --to returns to the promoted version, which is listed with the one before it
    const further = await berthAsync(work, 'rollback', 'service-a', '--env', 'stage');
    expect(further.status).toBe(1);
    expect(further.stderr).toMatch(
      /service-a has no version before 1\.4\.2 in stage's history \(versions deployed there by berth: 1\.4\.3\); before those it ran 1\.4\.2/,
    );
    const json = JSON.parse(
      (await berthAsync(work, 'rollback', 'service-a', '--env', 'stage', '--to', '1.4.3', '--json')).stdout,
    );
    expect(json).toMatchObject({
      from: { tag: '1.4.2', digest },
      to: { tag: '1.4.3', chartRevision: chartsBefore },
      deployedBy: { action: 'promote', sha: promotion, ranBefore: false },
    });
  });
});
