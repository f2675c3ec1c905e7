// `npm run bench`: berth render (cold, warm) and validate against the naive helm loop and the floor of one umbrella
// `helm template` per environment, then image-update passes against a slow ECR (image-update.ts), then status, diff
// and promote on a release history, on 100 synthetic services; then the scale series (scale.ts) on 100-1000.
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveHelm } from '../src/helm/binary';
import { BenchStepFailed, type BerthCli } from './berth';
import { benchDiff } from './diff';
import { measureFloor } from './floor';
import { benchImageUpdate } from './image-update';
import { measureProcess, type Measurement } from './measure';
import { countObjects, naivePlan } from './naive';
import { benchPromote } from './promote';
import { formatTable, round, TARGETS, writeBenchJson, type Figure, type Target } from './report';
import { addReleaseHistory, publishWorkspace } from './repository';
import { describeRound, measureRound, peakRssMiB, typicalSeconds, type Round } from './rounds';
import { benchScale } from './scale';
import { SCALE_TARGETS, scaleSizes } from './scale-plan';
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

/** One `helm template` of an umbrella chart per environment, the three at once: rendering with real helm costs at least this. */
async function measureRenderFloor(root: string): Promise<number> {
  const floor = await measureFloor(root, resolveHelm().path, ROUNDS);
  const perEnv = floor.environments
    .map((env) => `${env.env} ${seconds(env.seconds)} (${env.charts} charts)`)
    .join(', ');
  log(
    `floor: one helm template of an umbrella chart per environment, at once: median ${seconds(floor.seconds)} (last: ${perEnv})`,
  );
  const berthObjects = countObjects(join(root, 'dist/rendered'));
  if (floor.objects !== berthObjects)
    log(`  note: the umbrellas rendered ${floor.objects} objects, berth render ${berthObjects}`);
  return floor.seconds;
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
    rounds.push(await measureRound(CLI, root));
    log(describeRound(index, rounds[index]));
  }
  logFindings(rounds[rounds.length - 1].validate.report.findings);
  const floor = await measureRenderFloor(root);
  const naive = await measureNaive(root);

  const typical = (pick: (round: Round) => Measurement) => typicalSeconds(rounds, pick);
  const peak = (pick: (round: Round) => Measurement[]) => peakRssMiB(rounds, pick);
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
    { name: 'render.floor_s', value: round(floor), unit: 's' },
    { name: 'render.ratio_to_floor', value: round(cold / floor, 2), unit: 'x' },
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
  const sizes = scaleSizes(process.env.BERTH_BENCH_SCALE);
  const root = copyWorkspace(REPO);
  const workspaces = new Set([root]);
  const interrupted = (signal: NodeJS.Signals) => {
    for (const workspace of workspaces) removeWorkspace(workspace);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', interrupted).once('SIGTERM', interrupted);
  let figures: Figure[];
  let targets: Record<string, Target>;
  try {
    ({ figures, targets } = await bench(root));
  } finally {
    removeWorkspace(root);
    workspaces.delete(root);
  }
  log(`\nscale series: ${sizes.join(', ')} services x every environment, median of ${ROUNDS} round(s) each`);
  figures.push(...(await benchScale({ cli: CLI, repo: REPO, sizes, rounds: ROUNDS, log, workspaces })));
  targets = { ...targets, ...SCALE_TARGETS };
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
