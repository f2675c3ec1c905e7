// `node -r ./tools/berth/bin/register.js tools/berth/bench/status.ts`: berth status on the 100 synthetic services
// with 1000 berth-style release commits, as a fresh process each time (startup included), text, JSON and HTML.
import { join, resolve } from 'node:path';
import { commitAll, writeSyntheticHistory } from '../test/status/synthetic-history';
import { measureProcess } from './measure';
import { median } from './report';
import { DEFAULT_PLAN, syntheticServices, synthesizeServices } from './synthesize';
import { copyWorkspace, removeWorkspace } from './workspace';

const REPO = resolve(__dirname, '../../..');
const ROUNDS = 5;
const COMMITS = Number(process.env.BERTH_BENCH_STATUS_COMMITS ?? 1000) || 1000;

/** The command as `berth status` runs it, without depending on main.ts wiring it. */
const script = (root: string, options: string) =>
  `require(${JSON.stringify(join(REPO, 'tools/berth/bin/register.js'))});` +
  `require(${JSON.stringify(join(REPO, 'tools/berth/src/cli/status.ts'))}).statusCommand({ root: ${JSON.stringify(root)}, ${options} })`;

async function main(): Promise<void> {
  const root = copyWorkspace(REPO);
  try {
    const services = syntheticServices(DEFAULT_PLAN);
    await synthesizeServices(root, services);
    commitAll(root);
    const started = performance.now();
    writeSyntheticHistory(root, services.map((service) => service.name), COMMITS);
    console.log(`${services.length} synthetic services, ${COMMITS} release commits (${((performance.now() - started) / 1000).toFixed(1)}s to write)`);
    for (const [label, options] of [['text', ''], ['--json', 'json: true'], ['--html', "html: 'dist/status.html'"]]) {
      const runs = [];
      for (let round = 0; round < ROUNDS; round++) {
        const run = await measureProcess(process.execPath, ['-e', script(root, options)], { cwd: root });
        if (run.exitCode !== 0) throw new Error(`berth status ${label} failed:\n${run.stderr}`);
        runs.push(run);
      }
      const seconds = runs.map((run) => run.seconds);
      console.log(`berth status ${label}: median ${median(seconds).toFixed(3)}s (min ${Math.min(...seconds).toFixed(3)}s, max ${Math.max(...seconds).toFixed(3)}s), peak ${Math.max(...runs.map((run) => run.peakRssMiB)).toFixed(0)} MiB, ${runs[0].stdout.length} bytes out`);
    }
  } finally {
    removeWorkspace(root);
  }
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
});
