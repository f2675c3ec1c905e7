// `npm run bench`: berth render (cold, warm) and validate against the naive helm loop, on 100 synthetic services.
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { resolveHelm } from '../src/helm/binary';
import { measureProcess, type Measurement } from './measure';
import { naivePlan } from './naive';
import { formatTable, round, writeBenchJson, type Figure } from './report';
import { DEFAULT_PLAN, syntheticServices, synthesizeServices } from './synthesize';
import { copyWorkspace, removeWorkspace } from './workspace';

const REPO = resolve(__dirname, '../../..');
const BERTH = join(REPO, 'tools/berth/bin/berth.js');
const BENCH_JSON = join(REPO, 'dist/bench.json');

const log = (message: string) => process.stdout.write(`${message}\n`);

class StepFailed extends Error {}

/** Runs one berth command in the workspace; a crash (no JSON on stdout) stops the bench with berth's own words. */
async function berth(root: string, args: string[]): Promise<{ measurement: Measurement; report: any }> {
  const measurement = await measureProcess(process.execPath, [BERTH, ...args, '--cwd', root, '--json'], { cwd: REPO });
  let report: any;
  try {
    report = JSON.parse(measurement.stdout);
  } catch {
    throw new StepFailed(`berth ${args.join(' ')} failed (exit ${measurement.exitCode}) after ${measurement.seconds.toFixed(2)}s:\n${measurement.stderr.trim() || measurement.stdout.trim()}`);
  }
  return { measurement, report };
}

async function bench(root: string): Promise<Figure[]> {
  const services = syntheticServices(DEFAULT_PLAN);
  const started = performance.now();
  const written = await synthesizeServices(root, services);
  log(`synthesized ${services.length} services (${services.filter((service) => service.kind === 'stateful').length} stateful) with nx g berth:service: ${written} files in ${((performance.now() - started) / 1000).toFixed(1)}s`);

  rmSync(join(root, 'dist/rendered'), { recursive: true, force: true });
  const cold = await berth(root, ['render']);
  const applications = cold.report.length as number;
  log(`render, cold: ${applications} Applications in ${cold.measurement.seconds.toFixed(2)}s (${cold.report.filter((app: any) => !app.cached).length} with helm)`);

  const warm = await berth(root, ['render']);
  const rerendered = warm.report.filter((app: any) => !app.cached).length;
  log(`render, warm: ${warm.measurement.seconds.toFixed(2)}s (${rerendered} rendered again${rerendered ? ': the cache missed' : ''})`);

  const validate = await berth(root, ['validate']);
  const findings: any[] = validate.report.findings;
  log(`validate: ${validate.report.objects} objects in ${validate.measurement.seconds.toFixed(2)}s, ${findings.length} finding(s)`);
  for (const finding of findings.slice(0, 10)) log(`  ${finding.rule}: ${[finding.environment, finding.application, finding.object, finding.field].filter(Boolean).join(' ')}: ${finding.message}`);
  if (findings.length > 10) log(`  ... and ${findings.length - 10} more`);

  // last, so the Chart.lock and charts/*.tgz that helm dependency build leaves cannot touch berth's figures
  const work = join(root, '.bench-naive');
  const plan = naivePlan(root, resolveHelm().path, work);
  writeFileSync(join(work, 'naive.sh'), plan.script);
  const naive = await measureProcess('bash', [join(work, 'naive.sh')], { cwd: root });
  if (naive.exitCode !== 0) throw new StepFailed(`the naive helm loop failed (exit ${naive.exitCode}):\n${naive.stderr.trim()}`);
  log(`naive: ${plan.charts} x helm dependency build, ${plan.applications} x helm template in ${naive.seconds.toFixed(2)}s`);

  return [
    { name: 'applications', value: applications, unit: 'count' },
    { name: 'render.cold_s', value: round(cold.measurement.seconds), unit: 's' },
    { name: 'render.warm_s', value: round(warm.measurement.seconds), unit: 's' },
    { name: 'render.naive_s', value: round(naive.seconds), unit: 's' },
    { name: 'render.speedup_vs_naive', value: round(naive.seconds / cold.measurement.seconds, 2), unit: 'x' },
    { name: 'render.peak_rss_mib', value: round(Math.max(cold.measurement.peakRssMiB, warm.measurement.peakRssMiB), 1), unit: 'MiB' },
    { name: 'validate_s', value: round(validate.measurement.seconds), unit: 's' },
    { name: 'validate.ratio_to_cold_render', value: round(validate.measurement.seconds / cold.measurement.seconds, 2), unit: 'x' },
    { name: 'validate.peak_rss_mib', value: round(validate.measurement.peakRssMiB, 1), unit: 'MiB' },
  ];
}

async function main(): Promise<void> {
  const helm = resolveHelm(); // unpacked now, so the first render does not pay for it
  log(`berth bench: helm ${helm.version} (${helm.source}), node ${process.version}`);
  const root = copyWorkspace(REPO);
  let figures: Figure[];
  try {
    figures = await bench(root);
  } finally {
    removeWorkspace(root);
  }
  log(`\n${formatTable(figures)}\n`);
  writeBenchJson(BENCH_JSON, figures);
  log(`wrote ${figures.length} figures to ${BENCH_JSON}`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${error instanceof StepFailed ? error.message : (error as Error)?.stack ?? String(error)}\n`);
  process.exitCode = 1;
});
