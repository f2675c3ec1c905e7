// render.floor_s: per environment one plain `helm template` of an umbrella over all its charts, the three at once.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { BenchStepFailed } from './berth';
import { umbrellaPlan, type ChartFacts } from './floor-plan';
import { measureProcess, type Measurement } from './measure';
import { applicationHelm, readApplications } from './naive';
import { median } from './report';

export interface Floor {
  /** Wall time from starting the first `helm template` until the last ended: the median over the rounds. */
  seconds: number;
  /** Top-level objects helm printed, all environments together. */
  objects: number;
  /** Each environment's `helm template` in the last round. */
  environments: { env: string; seconds: number; charts: number }[];
}

function chartFacts(dir: string): ChartFacts {
  const chart = parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8'));
  return { name: chart.name, version: String(chart.version), dependencies: chart.dependencies ?? [] };
}

/** Writes an umbrella per environment under root/.bench-floor, builds its dependencies (not timed), then times the templates `rounds` times. */
export async function measureFloor(root: string, helm: string, rounds: number): Promise<Floor> {
  const work = join(root, '.bench-floor');
  const byEnv = new Map<string, ReturnType<typeof applicationHelm>[]>();
  for (const { env, application } of readApplications(root))
    byEnv.set(env, [...(byEnv.get(env) ?? []), applicationHelm(root, application)]);
  try {
    const runs: { env: string; charts: number; args: string[] }[] = [];
    for (const [env, applications] of byEnv) {
      const plan = umbrellaPlan(env, applications, chartFacts);
      const dir = join(work, env);
      mkdirSync(join(dir, 'templates'), { recursive: true });
      writeFileSync(join(dir, 'Chart.yaml'), stringify(plan.chart));
      const layers = [
        ...plan.layers.files.map((layer) =>
          Object.fromEntries(
            Object.entries(layer).map(([key, file]) => [key, parse(readFileSync(file, 'utf8')) ?? {}]),
          ),
        ),
        plan.layers.objects,
      ];
      const valueFiles = layers.map((layer, index) => {
        const file = join(work, `${env}-values-${index}.yaml`);
        writeFileSync(file, stringify(layer));
        return file;
      });
      const build = await measureProcess(helm, ['dependency', 'build', dir, '--skip-refresh']);
      if (build.exitCode !== 0)
        throw new BenchStepFailed(`helm dependency build of the ${env} umbrella failed:\n${build.stderr.trim()}`);
      runs.push({
        env,
        charts: applications.length,
        args: ['template', dir, ...plan.flags, ...valueFiles.flatMap((file) => ['--values', file])],
      });
    }
    const times: number[] = [];
    let measured: Measurement[] = [];
    for (let round = 0; round < rounds; round++) {
      const started = performance.now();
      measured = await Promise.all(runs.map((run) => measureProcess(helm, run.args)));
      times.push((performance.now() - started) / 1000);
      measured.forEach((run, index) => {
        if (run.exitCode !== 0)
          throw new BenchStepFailed(`helm template of the ${runs[index].env} umbrella failed:\n${run.stderr.trim()}`);
      });
    }
    return {
      seconds: median(times),
      objects: measured.reduce((sum, run) => sum + (run.stdout.match(/^kind: /gm)?.length ?? 0), 0),
      environments: runs.map((run, index) => ({ env: run.env, seconds: measured[index].seconds, charts: run.charts })),
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
