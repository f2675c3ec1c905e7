// One bench round on a workspace: berth render with an empty cache, again with nothing changed, then validate.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runBerthJson, type BerthCli, type BerthRun } from './berth';
import type { Measurement } from './measure';
import { median } from './report';

export interface Round {
  cold: BerthRun;
  warm: BerthRun;
  validate: BerthRun;
}

export async function measureRound(cli: BerthCli, root: string): Promise<Round> {
  rmSync(join(root, 'dist/rendered'), { recursive: true, force: true });
  const cold = await runBerthJson(cli, root, ['render']);
  const warm = await runBerthJson(cli, root, ['render']);
  const validate = await runBerthJson(cli, root, ['validate']);
  return { cold, warm, validate };
}

const seconds = (value: number) => `${value.toFixed(2)}s`;

export function describeRound(index: number, { cold, warm, validate }: Round): string {
  const fresh = (run: BerthRun) => run.report.filter((app: any) => !app.cached).length;
  return (
    `round ${index + 1}: render cold ${seconds(cold.measurement.seconds)} (${fresh(cold)}/${cold.report.length} with helm), ` +
    `warm ${seconds(warm.measurement.seconds)} (${fresh(warm)} with helm), ` +
    `validate ${seconds(validate.measurement.seconds)} (${validate.report.objects} objects, ${validate.report.findings.length} findings)`
  );
}

/** The median over rounds of one measurement's seconds. */
export function typicalSeconds(rounds: Round[], pick: (round: Round) => Measurement): number {
  return median(rounds.map((round) => pick(round).seconds));
}

/** The highest peak RSS over rounds of the measurements picked. */
export function peakRssMiB(rounds: Round[], pick: (round: Round) => Measurement[]): number {
  return Math.max(...rounds.flatMap((round) => pick(round).map((run) => run.peakRssMiB)));
}
