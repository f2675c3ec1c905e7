// Every chart under charts/ passes `helm lint --strict` on its own, the way chart-testing (ct lint) runs it: the
// chart alone in a fresh copy, `helm dependency build`, then lint with each ci/*-values.yaml (or its defaults).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveHelm } from '../../src/helm/binary';
import { helm, repo } from './harness';

const CHARTS = readdirSync(join(repo, 'charts')).filter((name) => existsSync(join(repo, 'charts', name, 'Chart.yaml'))).sort();
/** What chart-testing lints a chart with: each ci/*-values.yaml, or nothing but its own defaults. */
const ciValues = (chartDir: string) => (existsSync(join(chartDir, 'ci')) ? readdirSync(join(chartDir, 'ci')).filter((file) => file.endsWith('-values.yaml')).sort() : []);

/** helm's output and log whatever its exit code: a failed lint prints its findings and exits non-zero. */
function lint(args: string[]): string {
  const run = spawnSync(resolveHelm().path, ['lint', '--strict', ...args], { encoding: 'utf8' });
  return `${run.stdout}${run.stderr}`;
}

describe('helm lint --strict of every chart on its own, as chart-testing runs it', () => {
  let work: string;
  beforeAll(() => {
    // the tree as a fresh clone has it: no charts/*/charts or Chart.lock that an earlier build left behind
    work = mkdtempSync(join(tmpdir(), 'berth-ct-lint-'));
    cpSync(join(repo, 'charts'), join(work, 'charts'), { recursive: true, filter: (source) => !/\/charts\/[^/]+\/(charts|Chart\.lock)$/.test(source) });
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('finds the charts, cluster-base and the umbrella among them', () => {
    expect(CHARTS).toEqual(expect.arrayContaining(['cluster-base', 'common', 'platform', 'postgres', 'service-a']));
    expect(ciValues(join(repo, 'charts/cluster-base'))).toEqual(['environment-values.yaml']);
  });

  it.each(CHARTS)('%s: 0 charts failed, no warning', (chart) => {
    const dir = join(work, 'charts', chart);
    if ((parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')).dependencies ?? []).length) helm(['dependency', 'build', dir]);
    const runs = ciValues(dir).map((file) => ['-f', join(dir, 'ci', file)]);
    for (const values of runs.length ? runs : [[]]) {
      const output = lint([dir, ...values]);
      expect(output, output).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
      expect(output, output).not.toMatch(/\[(WARNING|ERROR)\]|nil pointer/);
    }
  });

  it('cluster-base without the environment: block lints with the required messages and fails to render with them, never a nil pointer', () => {
    const dir = join(work, 'charts', 'cluster-base');
    const linted = lint([dir]);
    expect(linted).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    expect(linted).toMatch(/environment.name is empty: cluster-base needs the environment: block/);
    expect(linted).not.toMatch(/nil pointer|\[(WARNING|ERROR)\]/);
    expect(() => helm(['template', dir])).toThrow(/environment.name is empty: cluster-base needs the environment: block that Argo CD passes from environments\/<env>\/env.yaml/);
    expect(() => helm(['template', dir, '--set', 'environment.name=dev,environment.namespace=dev,environment.region=eu-west-1,environment.secrets.store=aws'])).toThrow(/environment.secrets.roleArn is empty: set secrets.roleArn in environments\/dev\/env.yaml/);
  });
});
