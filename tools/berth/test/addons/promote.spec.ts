// An add-on's chart version moves like a service's image: promote, rollback, pin and status with the real CLI, a bare
// remote and the example platform; each move is one commit with Berth-* trailers and Berth-Kind: chart.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { berth, edit, git } from '../cli/workspace';
import { appYaml, overlay, platform, staleDerivedFiles } from '../promote/support';

const ADDON = 'kube-prometheus-stack';
const source = (dir: string, env: string) =>
  parse(readFileSync(join(dir, `argocd/apps/${env}/${ADDON}.yaml`), 'utf8')).spec.sources[0];

/** dev moves kube-prometheus-stack to `version` as berth chart-update would (its commit and trailers), pushed. */
function bumpDev(work: string, version: string): void {
  edit(work, `environments/dev/${ADDON}.yaml`, (text) =>
    text.replace(/chartVersion: ".*"/, `chartVersion: "${version}"`),
  );
  // the Application follows the overlay in the same commit (what nx sync writes)
  edit(work, `argocd/apps/dev/${ADDON}.yaml`, (text) =>
    text.replace(/targetRevision: \d[^\n]*/, `targetRevision: ${version}`),
  );
  expect(staleDerivedFiles(work)).toEqual([]);
  const from = parse(git(work, 'show', `HEAD:environments/dev/${ADDON}.yaml`)).berth.chartVersion;
  const trailers = `Berth-Service: ${ADDON}\nBerth-Env: dev\nBerth-Action: bump\nBerth-From: ${from}\nBerth-To: ${version}\nBerth-Kind: chart`;
  git(work, 'commit', '-qam', `chore(dev): bump ${ADDON} to ${version}\n\n${trailers}`);
  git(work, 'push', '-q', 'origin', 'main');
}

describe('an add-on promoted, rolled back and shown', () => {
  it('promote moves berth.chartVersion and the Application in one pushed commit with Berth-Kind: chart', () => {
    const { work, remote } = platform();
    bumpDev(work, '92.2.0');
    const before = overlay(work, 'stage', ADDON);
    const run = berth(work, 'promote', ADDON, '--to', 'stage');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^kube-prometheus-stack\s+92\.1\.0\s+92\.2\.0\s+.*promoted$/m);
    // only the version's bytes, in the one home of that fact
    expect(overlay(work, 'stage', ADDON)).toBe(before.replace('chartVersion: "92.1.0"', 'chartVersion: "92.2.0"'));
    expect(source(work, 'stage')).toMatchObject({ targetRevision: '92.2.0', path: '.' });
    expect(git(work, 'log', '-1', '--format=%B')).toBe(
      [
        'chore(stage): promote kube-prometheus-stack 92.2.0 from dev',
        '',
        'Berth-Service: kube-prometheus-stack',
        'Berth-Env: stage',
        'Berth-Action: promote',
        'Berth-From: 92.1.0',
        'Berth-To: 92.2.0',
        'Berth-Source-Env: dev',
        'Berth-Kind: chart',
      ].join('\n'),
    );
    expect(git(work, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      `argocd/apps/stage/${ADDON}.yaml`,
      `environments/stage/${ADDON}.yaml`,
    ]);
    expect(staleDerivedFiles(work)).toEqual([]);
    expect(git(remote, 'rev-parse', 'main')).toBe(git(work, 'rev-parse', 'HEAD'));
    // again: already there
    const again = berth(work, 'promote', ADDON, '--to', 'stage');
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/already there/);
  });

  it('refuses to promote an older chart version over a newer one without --allow-downgrade', () => {
    const { work } = platform();
    bumpDev(work, '91.0.0');
    const head = git(work, 'rev-parse', 'HEAD');
    const run = berth(work, 'promote', ADDON, '--to', 'stage');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/stage runs kube-prometheus-stack 92\.1\.0, newer than dev's 91\.0\.0/);
    expect(run.stderr).toMatch(/environments\/stage\/kube-prometheus-stack\.yaml: berth\.chartVersion/);
    expect(git(work, 'rev-parse', 'HEAD')).toBe(head);
  });

  it('rollback restores the chart version that ran before, pins it, and promotion then leaves it', () => {
    const { work } = platform();
    bumpDev(work, '92.2.0');
    expect(berth(work, 'promote', ADDON, '--to', 'stage').status).toBe(0);
    const run = berth(work, 'rollback', ADDON, '--env', 'stage', '--push');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/rolled back kube-prometheus-stack in stage from 92\.2\.0 to 92\.1\.0/);
    expect(overlay(work, 'stage', ADDON)).toContain('chartVersion: "92.1.0"');
    expect(source(work, 'stage').targetRevision).toBe('92.1.0');
    expect(appYaml(work, ADDON).pins.stage).toMatchObject({ version: '92.1.0', reason: 'rolled back from 92.2.0' });
    const message = git(work, 'log', '-1', '--format=%B');
    expect(message).toMatch(/^fix\(stage\): roll back kube-prometheus-stack to 92\.1\.0\n/);
    expect(message).toContain('Berth-Action: rollback\nBerth-From: 92.2.0\nBerth-To: 92.1.0');
    expect(message).toContain('Berth-Kind: chart');
    expect(git(work, 'show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      `apps/${ADDON}/app.yaml`,
      `argocd/apps/stage/${ADDON}.yaml`,
      `environments/stage/${ADDON}.yaml`,
    ]);
    expect(staleDerivedFiles(work)).toEqual([]);
    const held = berth(work, 'promote', ADDON, '--to', 'stage');
    expect(held.status).toBe(1);
    expect(held.stderr).toMatch(/kube-prometheus-stack is pinned in stage at 92\.1\.0/);
  });

  it('pins an add-on at another chart version only with --force, moving its Application with it', () => {
    const { work } = platform();
    const refused = berth(work, 'pin', ADDON, '--env', 'dev', '--version', '92.0.0', '--no-push');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/does not ask chart repositories/);
    const run = berth(
      work,
      'pin',
      ADDON,
      '--env',
      'dev',
      '--version',
      '92.0.0',
      '--force',
      '--no-push',
      '--reason',
      'grafana regression',
    );
    expect(run.status, run.stderr).toBe(0);
    expect(source(work, 'dev').targetRevision).toBe('92.0.0');
    expect(git(work, 'log', '-1', '--format=%B')).toContain('Berth-Kind: chart');
    expect(staleDerivedFiles(work)).toEqual([]);
  });

  it('status shows the chart version of every add-on per environment, in text, JSON and the HTML board', () => {
    const { work } = platform();
    bumpDev(work, '92.2.0');
    const json = berth(work, 'status', '--json');
    expect(json.status, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout);
    const stack = report.services.find((service: { name: string }) => service.name === ADDON);
    expect(stack).toMatchObject({
      kind: 'addon',
      chart: { name: ADDON, repo: 'oci://ghcr.io/prometheus-community/charts' },
    });
    expect(stack.cells.dev).toMatchObject({ version: '92.2.0', chartVersion: '92.2.0', chartRevision: null });
    expect(stack.cells.stage).toMatchObject({ version: '92.1.0', chartVersion: '92.1.0', behind: 1 });
    const services = report.services.find((service: { name: string }) => service.name === 'service-a');
    expect(services).toMatchObject({ kind: 'stateless', chart: null });
    expect(services.cells.dev.chartVersion).toBeNull();

    const text = berth(work, 'status');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^kube-prometheus-stack \(add-on\)\s+92\.2\.0\s+92\.1\.0 \(-1\)\s+92\.1\.0\s*$/m);
    expect(text.stdout).toMatch(/^metrics-server \(add-on\)\s+3\.14\.0\s+3\.14\.0\s+3\.14\.0\s*$/m);
    expect(text.stdout).toMatch(/^kube-prometheus-stack\s+dev\s+92\.2\.0\s+chart 92\.2\.0\s/m);

    const board = berth(work, 'status', '--html', 'board.html');
    expect(board.status, board.stderr).toBe(0);
    const html = readFileSync(join(work, 'board.html'), 'utf8');
    expect(html).toContain('add-on: chart kube-prometheus-stack');
    expect(html).toContain('chart 92.2.0');
  });
});
