// berth status where two environments promote from dev (qa and stage) and prod from stage: the real graph, real drift.
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { statusCommand } from '../../src/cli/status';
import type { StatusReport } from '../../src/status/model';
import { branchingScenario, dayAfterEpoch, type Scenario } from './support';

const NOW = dayAfterEpoch(9); // 2025-03-10T09:00Z; the scenario commits one a day from 2025-03-01
let repo: Scenario;
let report: StatusReport;

async function run(options: { json?: boolean } = {}): Promise<string> {
  let printed = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  });
  try {
    await statusCommand({ root: repo.dir, now: NOW, ...options });
  } finally {
    vi.restoreAllMocks();
  }
  return printed;
}

beforeAll(async () => {
  repo = await branchingScenario();
  report = JSON.parse(await run({ json: true }));
});

afterEach(() => vi.restoreAllMocks());

const cell = (env: string) => report.services.find((service) => service.name === 'service-a')!.cells[env]!;

describe('berth status with qa and stage both promoting from dev', () => {
  it('gives the graph as promotesFrom draws it: a tree, not a chain', () => {
    expect(report.environments).toEqual([
      { name: 'dev', promotesFrom: null },
      { name: 'qa', promotesFrom: 'dev' },
      { name: 'stage', promotesFrom: 'dev' },
      { name: 'prod', promotesFrom: 'stage' },
    ]);
    expect(report.promotionPaths).toEqual([
      ['dev', 'qa'],
      ['dev', 'stage', 'prod'],
    ]);
  });

  it('counts behind against the environment each one really promotes from', () => {
    expect(cell('dev')).toMatchObject({ version: '1.7.0', behind: null, diverged: false });
    // qa: dev ran 1.7.0 after qa's 1.6.0
    expect(cell('qa')).toMatchObject({ version: '1.6.0', behind: 1, diverged: false });
    // stage against dev (1.6.0, 1.7.0 since 1.5.0), not against qa, which never ran 1.5.0
    expect(cell('stage')).toMatchObject({ version: '1.5.0', behind: 2, diverged: false, unrecorded: false });
    // prod against stage, which moved on from 1.4.2 to 1.5.0
    expect(cell('prod')).toMatchObject({ version: '1.4.2', behind: 1, diverged: false });
  });

  it('counts the days behind from when that source moved on, and the days each version has run', () => {
    expect(cell('qa')).toMatchObject({
      behindSince: expect.stringMatching(/^2025-03-07T/),
      behindDays: 3,
      runningDays: 5,
    });
    expect(cell('stage')).toMatchObject({
      behindSince: expect.stringMatching(/^2025-03-04T/),
      behindDays: 6,
      runningDays: 4,
    });
    expect(cell('prod')).toMatchObject({
      behindSince: expect.stringMatching(/^2025-03-06T/),
      behindDays: 4,
      runningDays: 8,
    });
    expect(cell('dev')).toMatchObject({ behindSince: null, behindDays: null, runningDays: 3 });
  });

  it("prints the tree and names each drift's real source in the text", async () => {
    const text = await run();
    expect(text).toMatch(/^\d+ services in dev -> qa, dev -> stage -> prod\n/);
    expect(text).not.toContain('dev -> qa -> stage');
    const rows = text
      .split('\n')
      .filter((line) => /^(service-a)?\s+(dev|qa|stage|prod)\s+1\.\d\.\d\s/.test(line) && line.includes('1.'));
    const drift = (env: string) => rows.find((line) => new RegExp(`^(service-a)?\\s+${env}\\s`).test(line)) ?? '';
    expect(drift('qa')).toContain('behind dev by 1 for 3 days');
    expect(drift('stage')).toContain('behind dev by 2 for 6 days');
    expect(drift('prod')).toContain('behind stage by 1 for 4 days');
  });
});
