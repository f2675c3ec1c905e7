// `berth status` on the bench workspace with its release history, as a fresh process each time (startup included).
//
// `npm run bench` (run.ts) takes the `status_s` figure from benchStatus(). Run alone,
// `node -r ./tools/berth/bin/register.js tools/berth/bench/status.ts` times text, --json and --html on the 100 synthetic
// services with 1000 release commits (BERTH_BENCH_STATUS_COMMITS), 5 rounds each.
import { resolve } from 'node:path';
import { BenchStepFailed, runBerth, type BerthCli } from './berth';
import { type Measurement } from './measure';
import { median, round, type Figure } from './report';
import { addReleaseHistory, publishWorkspace } from './repository';
import { DEFAULT_PLAN, syntheticServices, synthesizeServices } from './synthesize';
import { copyWorkspace, removeWorkspace } from './workspace';

/** `berth status <args>`, `rounds` times. */
export async function measureStatus(
  cli: BerthCli,
  root: string,
  args: string[],
  rounds: number,
): Promise<Measurement[]> {
  const runs: Measurement[] = [];
  for (let index = 0; index < rounds; index++) runs.push(await runBerth(cli, root, ['status', ...args]));
  return runs;
}

const describe = (runs: Measurement[]) => {
  const seconds = runs.map((run) => run.seconds);
  return `median ${median(seconds).toFixed(3)}s (${seconds.map((value) => value.toFixed(2)).join(', ')}), peak ${Math.max(...runs.map((run) => run.peakRssMiB)).toFixed(0)} MiB`;
};

export interface StatusBenchOptions {
  cli: BerthCli;
  /** The workspace, with release history (addReleaseHistory). */
  root: string;
  /** The synthetic services: each must be in the report with history. */
  services: string[];
  rounds: number;
  log: (message: string) => void;
}

/** The median of `rounds` runs of `berth status` (text, what a person types), checked against one `--json` run. */
export async function benchStatus(options: StatusBenchOptions): Promise<Figure[]> {
  const { cli, root, log } = options;
  const runs = await measureStatus(cli, root, [], options.rounds);
  const json = await runBerth(cli, root, ['status', '--json']);
  const report = JSON.parse(json.stdout);
  const byName = new Map<string, any>(report.services.map((service: any) => [service.name, service]));
  const missing = options.services.filter((name) => !byName.get(name)?.history.length);
  if (missing.length)
    throw new BenchStepFailed(
      `berth status --json shows no history for ${missing.length} synthetic service(s): ${missing.slice(0, 5).join(', ')}`,
    );
  const entries = report.services.reduce((sum: number, service: any) => sum + service.history.length, 0);
  const behind = report.services.filter((service: any) => (service.cells.stage?.behind ?? 0) > 0).length;
  log(
    `status: ${report.services.length} services x ${report.environments.length} environments, ${entries} history entries, stage behind dev for ${behind}; ` +
      `text ${describe(runs)}, --json ${json.seconds.toFixed(2)}s`,
  );
  return [{ name: 'status_s', value: round(median(runs.map((run) => run.seconds))), unit: 's' }];
}

const REPO = resolve(__dirname, '../../..');
const ROUNDS = 5;
const COMMITS = Number(process.env.BERTH_BENCH_STATUS_COMMITS ?? 1000) || 1000;

async function main(): Promise<void> {
  const cli: BerthCli = { berth: resolve(REPO, 'tools/berth/bin/berth.js'), cwd: REPO };
  const root = copyWorkspace(REPO);
  try {
    const services = syntheticServices(DEFAULT_PLAN);
    await synthesizeServices(root, services);
    await publishWorkspace(root);
    const history = await addReleaseHistory(
      root,
      services.map((service) => service.name),
      COMMITS,
    );
    console.log(
      `${services.length} synthetic services, ${COMMITS} release commits (${history.seconds.toFixed(1)}s to write)`,
    );
    for (const args of [[], ['--json'], ['--html', 'dist/status.html']]) {
      const runs = await measureStatus(cli, root, args, ROUNDS);
      console.log(`berth status ${args.join(' ') || '(text)'}: ${describe(runs)}, ${runs[0].stdout.length} bytes out`);
    }
  } finally {
    removeWorkspace(root);
  }
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(
      `bench: ${error instanceof BenchStepFailed ? error.message : ((error as Error)?.stack ?? String(error))}\n`,
    );
    process.exitCode = 1;
  });
}
