// berth status on 100 services with 1000 releases: one git call, no helm (its speed is measured by npm run bench).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it, vi } from 'vitest';
import { statusCommand } from '../../src/cli/status';
import * as gitRun from '../../src/git/run';
import type { StatusReport } from '../../src/status/model';
import { copyExample } from '../cli/workspace';
import { commitAll, writeSyntheticHistory } from './synthetic-history';

vi.mock('../../src/git/run', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/git/run')>();
  return { ...actual, git: vi.fn(actual.git), tryGit: vi.fn(actual.tryGit) };
});
vi.mock('../../src/helm/run', () => {
  throw new Error('berth status must not load helm');
});

const SERVICES = Array.from({ length: 100 }, (_, index) => `svc-${String(index + 1).padStart(3, '0')}`);
let root: string;

beforeAll(() => {
  root = copyExample();
  for (const service of SERVICES) {
    mkdirSync(join(root, 'apps', service), { recursive: true });
    writeFileSync(
      join(root, 'apps', service, 'app.yaml'),
      `name: ${service}\nkind: stateless\nenvironments: [dev, stage, prod]\n`,
    );
    for (const env of ['dev', 'stage', 'prod'])
      writeFileSync(
        join(root, 'environments', env, `${service}.yaml`),
        `# ${service} in ${env}\nimage:\n  tag: "1.0.0"\n`,
      );
  }
  commitAll(root);
  writeSyntheticHistory(root, SERVICES, 1000);
});

it('reads the history in one git call, whatever the number of releases', async () => {
  let printed = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed += String(chunk);
    return true;
  });
  vi.mocked(gitRun.git).mockClear();
  vi.mocked(gitRun.tryGit).mockClear();
  await statusCommand({ root, json: true });
  write.mockRestore();

  expect(gitRun.git).toHaveBeenCalledTimes(1);
  expect(gitRun.tryGit).not.toHaveBeenCalled();

  const report: StatusReport = JSON.parse(printed);
  expect(report.services.filter((service) => SERVICES.includes(service.name))).toHaveLength(100);
  // svc-001 had 10 releases: dev at 2.0.10, stage took 2.0.9 (its 3rd, 6th, 9th), prod took stage's 2.0.9 at its 10th
  const first = report.services.find((service) => service.name === 'svc-001')!;
  expect(first.cells.dev).toMatchObject({ version: '2.0.10', behind: null });
  expect(first.cells.stage).toMatchObject({ version: '2.0.9', behind: 1, diverged: false });
  expect(first.cells.prod).toMatchObject({ version: '2.0.9', behind: 0 });
  expect(first.history).toHaveLength(10 + 3 + 2);
});
