// The scale series: platforms of 100, 300 and 1000 synthetic services x 3 environments, each built and measured.
import { FsTree } from 'nx/src/generators/tree';
import { serviceGenerator } from '../src/nx/generators/service/generator';
import type { BerthCli } from './berth';
import { describeRound, measureRound, peakRssMiB, typicalSeconds, type Round } from './rounds';
import { scaleFigures, type ScaleResult } from './scale-plan';
import type { Figure } from './report';
import { DEFAULT_PLAN, syntheticServices, synthesizeServices } from './synthesize';
import { copyWorkspace, removeWorkspace } from './workspace';

export interface ScaleBench {
  cli: BerthCli;
  /** The repository whose sources each platform starts from. */
  repo: string;
  sizes: number[];
  rounds: number;
  log: (message: string) => void;
  /** Holds each platform's folder while it exists, so an interrupted bench can remove it. */
  workspaces: Set<string>;
}

/** The user adding one more service by hand: the generator with its sync, on a tree that is never written. */
async function generateOne(root: string): Promise<number> {
  const tree = new FsTree(root, false, 'berth bench: one more service');
  const started = performance.now();
  await serviceGenerator(tree, {
    name: 'one-more',
    image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/bench/one-more',
    dependsOn: 'store-001',
  });
  return (performance.now() - started) / 1000;
}

async function measureSize(bench: ScaleBench, services: number): Promise<ScaleResult> {
  const root = copyWorkspace(bench.repo);
  bench.workspaces.add(root);
  try {
    let started = performance.now();
    const written = await synthesizeServices(root, syntheticServices({ ...DEFAULT_PLAN, count: services }));
    const synthesizeS = (performance.now() - started) / 1000;
    const generateOneS = await generateOne(root);
    bench.log(
      `scale ${services}: synthesized ${written} files in ${synthesizeS.toFixed(2)}s; one more service by hand ${generateOneS.toFixed(2)}s`,
    );
    const rounds: Round[] = [];
    for (let index = 0; index < bench.rounds; index++) {
      rounds.push(await measureRound(bench.cli, root));
      bench.log(`scale ${services}: ${describeRound(index, rounds[index])}`);
    }
    return {
      services,
      applications: rounds[0].cold.report.length,
      synthesizeS,
      generateOneS,
      renderColdS: typicalSeconds(rounds, (round) => round.cold.measurement),
      renderWarmS: typicalSeconds(rounds, (round) => round.warm.measurement),
      validateS: typicalSeconds(rounds, (round) => round.validate.measurement),
      rssMiB: peakRssMiB(rounds, (round) => [
        round.cold.measurement,
        round.warm.measurement,
        round.validate.measurement,
      ]),
    };
  } finally {
    removeWorkspace(root);
    bench.workspaces.delete(root);
  }
}

/** Each size on a platform of its own, smallest first, one after another. */
export async function benchScale(bench: ScaleBench): Promise<Figure[]> {
  const results: ScaleResult[] = [];
  for (const services of bench.sizes) results.push(await measureSize(bench, services));
  return scaleFigures(results);
}
