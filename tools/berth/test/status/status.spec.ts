// berth status on a repository with a real history: the matrix, drift, pins, since, JSON and text.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { statusCommand } from '../../src/cli/status';
import type { StatusReport } from '../../src/status/model';
import { dayAfterEpoch, DIGEST, HOSTILE_REASON, scenario, type Scenario } from './support';

let repo: Scenario;
let report: StatusReport;

/** Runs the command and returns what it printed. */
async function run(options: { json?: boolean; html?: string; now?: Date } = {}): Promise<string> {
  let printed = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  });
  try {
    await statusCommand({ root: repo.dir, ...options });
  } finally {
    write.mockRestore();
  }
  return printed;
}

beforeAll(async () => {
  repo = await scenario();
  report = JSON.parse(await run({ json: true }));
});

afterEach(() => vi.restoreAllMocks());

const cell = (service: string, env: string) =>
  report.services.find((candidate) => candidate.name === service)!.cells[env];

describe('berth status --json', () => {
  it('lists the environments in promotion order and the services by name', () => {
    expect(report.environments).toEqual([
      { name: 'dev', promotesFrom: null },
      { name: 'stage', promotesFrom: 'dev' },
      { name: 'prod', promotesFrom: 'stage' },
    ]);
    const names = report.services.map((service) => service.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(expect.arrayContaining(['batch-job', 'postgres', 'service-a', 'service-b', 'service-c']));
    expect(report.revision).toBe('main');
    expect(Date.parse(report.generatedAt)).not.toBeNaN();
  });

  it('gives every cell the documented fields, and null where the service does not run', () => {
    for (const service of report.services) {
      expect(Object.keys(service).sort()).toEqual(['cells', 'chart', 'history', 'kind', 'name']);
      expect(Object.keys(service.cells)).toEqual(['dev', 'stage', 'prod']);
      for (const value of Object.values(service.cells)) {
        if (value) {
          expect(Object.keys(value).sort()).toEqual([
            'author',
            'behind',
            'behindDays',
            'behindSince',
            'chartRevision',
            'chartRevisionURL',
            'chartVersion',
            'commit',
            'commitURL',
            'digest',
            'diverged',
            'live',
            'pinned',
            'runningDays',
            'since',
            'subject',
            'unrecorded',
            'version',
          ]);
        }
      }
    }
    // without --live no cell holds Argo CD's word, and the report says it asked none
    expect(report.live).toBeNull();
    expect(report.services.flatMap((service) => Object.values(service.cells)).filter((c) => c?.live)).toEqual([]);
    expect(cell('batch-job', 'dev')?.version).toBe('1.0.0');
    expect(cell('batch-job', 'stage')).toBeNull();
    expect(cell('batch-job', 'prod')).toBeNull();
  });

  it('reads versions from the overlays: a hand edit counts even though no record brought it', () => {
    expect(
      [cell('service-a', 'dev'), cell('service-a', 'stage'), cell('service-a', 'prod')].map((value) => value?.version),
    ).toEqual(['1.7.0', '1.5.0', '1.5.0']);
    expect(
      [cell('service-b', 'dev'), cell('service-b', 'stage'), cell('service-b', 'prod')].map((value) => value?.version),
    ).toEqual(['2.2.1', '2.1.0', '2.0.9']);
    expect(cell('service-c', 'stage')?.version).toBe('0.9.2');
  });

  it('counts how many distinct versions the source deployed after the one an environment runs', () => {
    // stage runs 1.5.0; dev deployed 1.6.0 and 1.7.0 after it
    expect(cell('service-a', 'stage')).toMatchObject({ behind: 2, diverged: false });
    // prod runs what stage runs
    expect(cell('service-a', 'prod')).toMatchObject({ behind: 0, diverged: false });
    // dev ran 2.1.0 (the version its first bump replaced), 2.2.0, then 2.2.1 by hand
    expect(cell('service-b', 'stage')).toMatchObject({ behind: 2, diverged: false });
    // dev ran 0.9.2 then 0.9.3; the pin moved stage to 0.9.2
    expect(cell('service-c', 'stage')).toMatchObject({ behind: 1, diverged: false });
    // no history at all, the same version everywhere
    expect([cell('postgres', 'stage'), cell('postgres', 'prod')]).toEqual([
      expect.objectContaining({ behind: 0, diverged: false }),
      expect.objectContaining({ behind: 0, diverged: false }),
    ]);
  });

  it('says diverged when an environment runs a version its source never ran', () => {
    // 2.0.9 was written into prod by hand; stage only ever ran 2.0.3 and 2.1.0
    expect(cell('service-b', 'prod')).toMatchObject({ behind: null, diverged: true });
    // stage ran 0.9.1 and 0.9.2, never prod's 0.9.0
    expect(cell('service-c', 'prod')).toMatchObject({ behind: null, diverged: true });
  });

  it('leaves the first environment without a drift', () => {
    for (const service of report.services) expect(service.cells.dev).toMatchObject({ behind: null, diverged: false });
  });

  it('shows pins with their reason and version', () => {
    expect(cell('service-c', 'stage')?.pinned).toEqual({
      version: '0.9.2',
      reason: HOSTILE_REASON,
      since: expect.stringMatching(/^2025-03-/),
    });
    expect(cell('service-c', 'prod')?.pinned).toBeNull();
    expect(cell('service-a', 'stage')?.pinned).toBeNull();
  });

  it('names the commit that set the version, not a later one that touched the overlay', () => {
    const { commits } = repo;
    expect(cell('service-a', 'dev')).toMatchObject({
      commit: commits.aDev170bDev220,
      author: 'alice',
      since: expect.stringMatching(/^2025-03-04T/),
    });
    expect(cell('service-a', 'stage')).toMatchObject({ commit: commits.aStage150, author: 'bob' });
    expect(cell('service-a', 'prod')).toMatchObject({ commit: commits.aProd150, author: 'carol' });
    expect(cell('service-c', 'stage')).toMatchObject({ commit: commits.cStagePin, author: 'pinner' });
  });

  it('falls back to the newest commit that touched the overlay when no record set the version', () => {
    const { commits } = repo;
    // edited by hand after berth's bump to 2.2.0
    expect(cell('service-b', 'dev')).toMatchObject({ commit: commits.bDevHand, author: 'frank' });
    expect(cell('service-b', 'prod')).toMatchObject({ commit: commits.bProdHand, author: 'dave' });
    expect(cell('batch-job', 'dev')).toMatchObject({ commit: commits.batchJob, author: 'gina' });
    // never touched since the platform was made
    expect(cell('postgres', 'prod')?.author).toBe('platform team');
  });

  it('reports the digest and the chart revision from the overlay', () => {
    expect(cell('service-a', 'dev')).toMatchObject({ digest: DIGEST, chartRevision: null });
    expect(cell('service-a', 'stage')).toMatchObject({ digest: null, chartRevision: repo.commits.aDev150 });
  });

  it('gives each service its releases in every environment, newest first', () => {
    const history = report.services.find((service) => service.name === 'service-a')!.history;
    expect(history.map((entry) => [entry.env, entry.version, entry.action, entry.from])).toEqual([
      ['prod', '1.5.0', 'promote', '1.4.1'],
      ['dev', '1.7.0', 'bump', '1.6.0'],
      ['dev', '1.6.0', 'bump', '1.5.0'],
      ['stage', '1.5.0', 'promote', '1.4.2'],
      ['dev', '1.5.0', 'bump', '1.4.3'],
    ]);
    expect(history[3]).toEqual({
      env: 'stage',
      version: '1.5.0',
      action: 'promote',
      from: '1.4.2',
      sourceEnv: 'dev',
      digest: null,
      chartRevision: repo.commits.aDev150,
      reason: 'approved in CAB-42 <b>not bold</b>',
      commit: repo.commits.aStage150,
      date: expect.stringMatching(/^2025-03-02T/),
      author: 'bob',
      commitURL: `https://github.com/acme/platform-gitops/commit/${repo.commits.aStage150}`,
      chartRevisionURL: `https://github.com/acme/platform-gitops/commit/${repo.commits.aDev150}`,
      subject: 'chore(stage): promote service-a to 1.5.0',
    });
    expect(report.services.find((service) => service.name === 'postgres')!.history).toEqual([]);
  });
});

describe('links and ages (--json, counted to a given now)', () => {
  const NOW = dayAfterEpoch(20); // 2025-03-21T09:00Z; the scenario commits one a day from 2025-03-01
  const COMMIT_PAGE = 'https://github.com/acme/platform-gitops/commit/';
  let aged: StatusReport;
  const agedCell = (service: string, env: string) =>
    aged.services.find((candidate) => candidate.name === service)!.cells[env]!;

  beforeAll(async () => {
    aged = JSON.parse(await run({ json: true, now: NOW }));
  });

  it('links the commit and the chart revision to the repository berth.yaml names, with the subject', () => {
    expect(aged.generatedAt).toBe(NOW.toISOString());
    expect(agedCell('service-a', 'stage')).toMatchObject({
      commitURL: `${COMMIT_PAGE}${repo.commits.aStage150}`,
      chartRevisionURL: `${COMMIT_PAGE}${repo.commits.aDev150}`,
      subject: 'chore(stage): promote service-a to 1.5.0',
    });
    // following the branch: no chart revision, no link
    expect(agedCell('service-a', 'prod')).toMatchObject({
      chartRevisionURL: null,
      commitURL: `${COMMIT_PAGE}${repo.commits.aProd150}`,
    });
    expect(agedCell('service-b', 'dev')).toMatchObject({
      commitURL: `${COMMIT_PAGE}${repo.commits.bDevHand}`,
      subject: 'chore(dev): try service-b 2.2.1',
    });
    for (const entry of aged.services.flatMap((service) => service.history))
      expect(entry.commitURL).toBe(`${COMMIT_PAGE}${entry.commit}`);
  });

  it('counts the days a version has run where it is', () => {
    // set on 2025-03-02, 03-04 and 03-05 at 09:00
    expect(
      [agedCell('service-a', 'stage'), agedCell('service-a', 'dev'), agedCell('service-a', 'prod')].map(
        (cell) => cell.runningDays,
      ),
    ).toEqual([19, 17, 16]);
  });

  it('counts the days an environment is behind from when its source moved on', () => {
    // dev left 1.5.0 with the 1.6.0 bump of 2025-03-03
    expect(agedCell('service-a', 'stage')).toMatchObject({
      behind: 2,
      behindSince: expect.stringMatching(/^2025-03-03T09:00:00/),
      behindDays: 18,
    });
    // dev left 2.1.0 with the 2.2.0 bump of 03-04 (the hand edit to 2.2.1 later does not restart the count)
    expect(agedCell('service-b', 'stage')).toMatchObject({
      behind: 2,
      behindSince: expect.stringMatching(/^2025-03-04T/),
      behindDays: 17,
    });
    // dev left 0.9.2 with the 0.9.3 bump of 03-09
    expect(agedCell('service-c', 'stage')).toMatchObject({
      behind: 1,
      behindSince: expect.stringMatching(/^2025-03-09T/),
      behindDays: 12,
    });
    // in step, diverged, first environment: not behind, no days
    for (const [service, env] of [
      ['service-a', 'prod'],
      ['service-b', 'prod'],
      ['service-a', 'dev'],
      ['postgres', 'prod'],
    ]) {
      expect(agedCell(service, env)).toMatchObject({ behindSince: null, behindDays: null });
    }
  });

  it('says both in the text, and carries the commit URL there too', async () => {
    const text = await run({ now: NOW });
    const row = (service: string, env: string) =>
      text
        .split('\n')
        .find(
          (line) =>
            new RegExp(`^(${service})?\\s+${env}\\s`).test(line) &&
            line.includes(agedCell(service, env).commit!.slice(0, 7)),
        ) ?? '';
    expect(row('service-a', 'stage')).toMatch(
      new RegExp(
        `behind dev by 2 for 18 days\\s+19 days\\s+2025-03-02\\s+${repo.commits.aStage150.slice(0, 7)}\\s+bob\\s.*${COMMIT_PAGE}${repo.commits.aStage150}$`,
      ),
    );
    expect(row('service-c', 'stage')).toContain('behind dev by 1 for 12 days');
    expect(row('service-a', 'prod')).toMatch(/in step with stage\s+16 days\s/);
  });
});

describe('berth status (text)', () => {
  it('prints the matrix with drift marks and a row per cell', async () => {
    const text = await run();
    const line = (start: string) => text.split('\n').find((candidate) => candidate.startsWith(start)) ?? '';
    expect(text).toMatch(new RegExp(`^${report.services.length} services in dev -> stage -> prod\n`));
    expect(line('service-a ')).toMatch(/1\.7\.0\s+1\.5\.0 \(-2\)\s+1\.5\.0$/);
    expect(line('service-b ')).toMatch(/2\.2\.1\s+2\.1\.0 \(-2\)\s+2\.0\.9 \(diverged\)$/);
    expect(line('service-c ')).toMatch(/0\.9\.3\s+0\.9\.2 \(-1, pinned\)\s+0\.9\.0 \(diverged\)$/);
    expect(line('batch-job ')).toMatch(/^batch-job\s+1\.0\.0$/);
    // the details: drift in words, pin reason, chart revision, digest, since and commit
    expect(text).toContain('behind dev by 2');
    expect(text).toContain(`pinned: ${HOSTILE_REASON}`);
    expect(text).toContain(repo.commits.aDev150.slice(0, 7));
    expect(text).toContain('sha256:abababababab ');
    expect(text).toMatch(new RegExp(`2025-03-04\\s+${repo.commits.aDev170bDev220.slice(0, 7)}\\s+alice`));
    expect(text).toContain('follows main');
  });

  it('writes the HTML page atomically and says where', async () => {
    const printed = await run({ html: 'dist/status-test.html' });
    const file = join(repo.dir, 'dist/status-test.html');
    expect(printed).toContain(file);
    const page = readFileSync(file, 'utf8');
    expect(page).toContain('<!doctype html>');
    expect(page).not.toContain('<script>');
    expect(page).toContain('&#60;script&#62;');
  });
});
