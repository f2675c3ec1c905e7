// `npm run bench`: berth render (cold, warm) and validate against the naive helm loop, then image-update passes
// against a slow ECR (image-update.ts), then status, diff and promote on a release history, on 100 synthetic services.
import { rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveHelm } from '../src/helm/binary';
import { BenchStepFailed, runBerthJson, type BerthCli, type BerthRun } from './berth';
import { benchDiff } from './diff';
import { benchImageUpdate } from './image-update';
import { measureProcess, type Measurement } from './measure';
import { countObjects, naivePlan } from './naive';
import { benchPromote } from './promote';
import { formatTable, median, round, TARGETS, writeBenchJson, type Figure, type Target } from './report';
import { addReleaseHistory, publishWorkspace } from './repository';
import { benchStatus } from './status';
import { DEFAULT_PLAN, syntheticServices, synthesizeServices } from './synthesize';
import { copyWorkspace, removeWorkspace } from './workspace';

const REPO = resolve(__dirname, '../../..');
const BERTH = join(REPO, 'tools/berth/bin/berth.js');
const BENCH_JSON = join(REPO, 'dist/bench.json');
/** berth's figures are the median of this many rounds (render, validate, status, diff, promote); the naive loop runs once. */
const ROUNDS = Math.max(1, Number(process.env.BERTH_BENCH_ROUNDS ?? 3) || 3);
/** Release commits written after the image-update passes, for status, diff and promote to read. */
const RELEASES = Math.max(1, Number(process.env.BERTH_BENCH_RELEASES ?? 500) || 500);
const CLI: BerthCli = { berth: BERTH, cwd: REPO };

const log = (message: string) => process.stdout.write(`${message}\n`);
const seconds = (value: number) => `${value.toFixed(2)}s`;

const berth = (root: string, args: string[]) => runBerthJson(CLI, root, args);

interface Round {
  cold: BerthRun;
  warm: BerthRun;
  validate: BerthRun;
}

/** Render with an empty cache, render again with nothing changed, then validate. */
async function measureRound(root: string): Promise<Round> {
  rmSync(join(root, 'dist/rendered'), { recursive: true, force: true });
  const cold = await berth(root, ['render']);
  const warm = await berth(root, ['render']);
  const validate = await berth(root, ['validate']);
  return { cold, warm, validate };
}

function describeRound(index: number, { cold, warm, validate }: Round): string {
  const fresh = (run: BerthRun) => run.report.filter((app: any) => !app.cached).length;
  return (
    `round ${index + 1}: render cold ${seconds(cold.measurement.seconds)} (${fresh(cold)}/${cold.report.length} with helm), ` +
    `warm ${seconds(warm.measurement.seconds)} (${fresh(warm)} with helm), ` +
    `validate ${seconds(validate.measurement.seconds)} (${validate.report.objects} objects, ${validate.report.findings.length} findings)`
  );
}

/** Findings make validate exit 1 but are no crash: show the first few, one line each. */
function logFindings(findings: any[]): void {
  for (const finding of findings.slice(0, 10)) {
    const where = [finding.environment, finding.application, finding.object, finding.field].filter(Boolean).join(' ');
    const message = String(finding.message)
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('level='))
      .slice(0, 3)
      .join(' | ');
    log(`  ${finding.rule}: ${where}: ${message.slice(0, 300)}`);
  }
  if (findings.length > 10) log(`  ... and ${findings.length - 10} more`);
}

/** The naive loop, run last so the Chart.lock and charts/*.tgz that helm dependency build leaves cannot touch berth's figures. */
async function measureNaive(root: string): Promise<Measurement> {
  const work = join(root, '.bench-naive');
  const plan = naivePlan(root, resolveHelm().path, work);
  writeFileSync(join(work, 'naive.sh'), plan.script);
  const naive = await measureProcess('bash', [join(work, 'naive.sh')], { cwd: root });
  if (naive.exitCode !== 0)
    throw new BenchStepFailed(`the naive helm loop failed (exit ${naive.exitCode}):\n${naive.stderr.trim()}`);
  log(
    `naive: ${plan.charts} x helm dependency build, then ${plan.applications} x helm template, one at a time: ${seconds(naive.seconds)}`,
  );
  const [naiveObjects, berthObjects] = [countObjects(join(work, 'out')), countObjects(join(root, 'dist/rendered'))];
  if (naiveObjects !== berthObjects)
    log(
      `  warning: the naive loop rendered ${naiveObjects} objects, berth render ${berthObjects}: the two did not do the same work`,
    );
  return naive;
}

async function bench(root: string): Promise<{ figures: Figure[]; targets: Record<string, Target> }> {
  const services = syntheticServices(DEFAULT_PLAN);
  const started = performance.now();
  const written = await synthesizeServices(root, services);
  const stateful = services.filter((service) => service.kind === 'stateful').length;
  log(
    `synthesized ${services.length} services (${stateful} stateful) with nx g berth:service: ${written} files in ${seconds((performance.now() - started) / 1000)}`,
  );

  const rounds: Round[] = [];
  for (let index = 0; index < ROUNDS; index++) {
    rounds.push(await measureRound(root));
    log(describeRound(index, rounds[index]));
  }
  logFindings(rounds[rounds.length - 1].validate.report.findings);
  const naive = await measureNaive(root);

  const typical = (pick: (round: Round) => Measurement) => median(rounds.map((round) => pick(round).seconds));
  const peak = (pick: (round: Round) => Measurement[]) =>
    Math.max(...rounds.flatMap((round) => pick(round).map((run) => run.peakRssMiB)));
  const cold = typical((round) => round.cold.measurement);
  const validate = typical((round) => round.validate.measurement);
  // last, on the same workspace: it goes under git, which the render figures must not pay for
  const names = services.map((service) => service.name);
  await publishWorkspace(root);
  const imageUpdate = await benchImageUpdate({ root, berth: BERTH, cwd: REPO, services: names, rounds: ROUNDS, log });
  // after the bump commits, months of releases: dev ahead of stage, stage of prod
  const history = await addReleaseHistory(root, names, RELEASES);
  log(
    `history: ${history.added} release commits with Berth-* trailers written with git fast-import and pushed in ${seconds(history.seconds)}; ${history.total} commits on main`,
  );
  const status = await benchStatus({ cli: CLI, root, services: names, rounds: ROUNDS, log });
  // a stateless service: svc-002 in DEFAULT_PLAN
  const diff = await benchDiff({
    cli: CLI,
    root,
    service: names.find((name) => name.startsWith('svc-'))!,
    rounds: ROUNDS,
    log,
  });
  const promote = await benchPromote({ cli: CLI, root, services: names, rounds: ROUNDS, log });
  const figures = [
    { name: 'applications', value: rounds[0].cold.report.length, unit: 'count' },
    { name: 'render.cold_s', value: round(cold), unit: 's' },
    { name: 'render.warm_s', value: round(typical((round) => round.warm.measurement)), unit: 's' },
    { name: 'render.naive_s', value: round(naive.seconds), unit: 's' },
    { name: 'render.speedup_vs_naive', value: round(naive.seconds / cold, 2), unit: 'x' },
    {
      name: 'render.peak_rss_mib',
      value: round(
        peak((round) => [round.cold.measurement, round.warm.measurement]),
        1,
      ),
      unit: 'MiB',
    },
    { name: 'validate_s', value: round(validate), unit: 's' },
    { name: 'validate.ratio_to_cold_render', value: round(validate / cold, 2), unit: 'x' },
    {
      name: 'validate.peak_rss_mib',
      value: round(
        peak((round) => [round.validate.measurement]),
        1,
      ),
      unit: 'MiB',
    },
    ...imageUpdate.figures,
    ...status,
    ...diff.figures,
    ...promote.figures,
  ];
  return { figures, targets: { ...TARGETS, ...imageUpdate.targets, ...diff.targets, ...promote.targets } };
}

async function main(): Promise<void> {
  const helm = resolveHelm(); // unpacked now, so the first render does not pay for it
  log(
    `berth bench: helm ${helm.version} (${helm.source}), node ${process.version}, median of ${ROUNDS} round(s), load average ${loadavg()[0].toFixed(2)}`,
  );
  const root = copyWorkspace(REPO);
  const interrupted = (signal: NodeJS.Signals) => {
    removeWorkspace(root);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  let figures: Figure[];
  let targets: Record<string, Target>;
  try {
    ({ figures, targets } = await bench(root));
  } finally {
    removeWorkspace(root);
  }
  // other work on the machine slows the parallel render more than the one-at-a-time loop: say how busy it was
  log(
    `\n${formatTable(figures, targets)}\n\nload average at the end: ${loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')}`,
  );
  writeBenchJson(BENCH_JSON, figures);
  log(`wrote ${figures.length} figures to ${BENCH_JSON}`);
}

main().catch((error) => {
  process.stderr.write(
    `bench: ${error instanceof BenchStepFailed ? error.message : ((error as Error)?.stack ?? String(error))}\n`,
  );
  process.exitCode = 1;
});
