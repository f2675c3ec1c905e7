// `berth promote --all --to stage --no-push` on the bench workspace, where the release history left dev ahead of stage.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../src/git/run';
import { parseRecords } from '../src/git/trailers';
import { readDeployedVersion } from '../src/workspace/overlay';
import { paths } from '../src/workspace/model';
import { BenchStepFailed, runBerthJson, type BerthCli, type BerthRun } from './berth';
import { median, round, type Figure, type Target } from './report';

export interface PromoteBenchOptions {
  cli: BerthCli;
  /** The workspace, with release history (addReleaseHistory); a scratch copy, so the bench resets its branch. */
  root: string;
  /** The synthetic services: dev is ahead of stage in each, so each must be promoted. */
  services: string[];
  rounds: number;
  log: (message: string) => void;
}

export interface PromoteBench {
  figures: Figure[];
  targets: Record<string, Target>;
}

const tagIn = (root: string, env: string, service: string) =>
  readDeployedVersion(readFileSync(join(root, paths.overlay(env, service)), 'utf8'), paths.overlay(env, service)).tag;

/** What is wrong with the promotion commit, or nothing: one commit on `start`, every synthetic service's stage at dev's tag, nothing left uncommitted. */
async function problems(root: string, start: string, run: BerthRun, services: string[]): Promise<string[]> {
  const found: string[] = [];
  const { report } = run;
  if (report.mode !== 'commit' || report.pushed) found.push(`mode ${report.mode}, pushed ${report.pushed}`);
  if (
    (await git(root, ['rev-parse', 'HEAD^'])).trim() !== start ||
    (await git(root, ['rev-parse', 'HEAD'])).trim() !== report.commit
  )
    found.push('not one commit on the branch');
  const promoted = report.services.filter((service: any) => service.status === 'promote');
  const records = parseRecords(await git(root, ['show', '-s', '--format=%B', 'HEAD'])).filter(
    (record) => record.action === 'promote' && record.env === 'stage',
  );
  if (records.length !== promoted.length)
    found.push(`${records.length} Berth-* records for ${promoted.length} promoted services`);
  const notPromoted = services.filter((service) => !promoted.some((decision: any) => decision.service === service));
  if (notPromoted.length)
    found.push(`not promoted: ${notPromoted.slice(0, 5).join(', ')}${notPromoted.length > 5 ? ', ...' : ''}`);
  const unequal = services.filter((service) => tagIn(root, 'stage', service) !== tagIn(root, 'dev', service));
  if (unequal.length) found.push(`stage differs from dev for ${unequal.slice(0, 5).join(', ')}`);
  const left = (await git(root, ['status', '--porcelain'])).trim();
  if (left) found.push(`left uncommitted: ${left.split('\n').slice(0, 3).join('; ')}`);
  return found;
}

/** `rounds` promotions, each from the same state: the branch is reset to where it was before each one and after the last. */
export async function benchPromote(options: PromoteBenchOptions): Promise<PromoteBench> {
  const { cli, root, services, log } = options;
  const start = (await git(root, ['rev-parse', 'HEAD'])).trim();
  const remote = (await git(root, ['rev-parse', 'origin/main'])).trim();
  const ahead = services.filter((service) => tagIn(root, 'dev', service) !== tagIn(root, 'stage', service)).length;
  const runs: BerthRun[] = [];
  const found: string[] = [];
  try {
    for (let index = 0; index < Math.max(1, options.rounds); index++) {
      await git(root, ['reset', '--quiet', '--hard', start]);
      const run = await runBerthJson(cli, root, ['promote', '--all', '--to', 'stage', '--no-push']);
      if (run.measurement.exitCode !== 0)
        throw new BenchStepFailed(
          `berth promote exited ${run.measurement.exitCode}:\n${run.measurement.stderr.trim()}`,
        );
      runs.push(run);
      found.push(...(await problems(root, start, run, services)).map((problem) => `round ${index + 1}: ${problem}`));
    }
  } finally {
    await git(root, ['reset', '--quiet', '--hard', start]);
  }
  if ((await git(root, ['ls-remote', 'origin', 'refs/heads/main'])).split('\t')[0] !== remote)
    found.push('the remote branch moved: --no-push pushed');

  const counts = runs.map((run) => run.report.services.filter((service: any) => service.status === 'promote').length);
  const promoted = counts[counts.length - 1];
  const others = runs[runs.length - 1].report.services
    .filter((service: any) => service.status === 'promote' && !services.includes(service.service))
    .map((service: any) => service.service);
  if (new Set(counts).size > 1) found.push(`the rounds promoted ${counts.join(', ')} services`);
  log(
    `promote --all --to stage --no-push: dev ahead of stage for ${ahead}/${services.length} synthetic services; promoted ${promoted} of ${runs[0].report.services.length} ` +
      `(${promoted - others.length} synthetic${others.length ? `, and ${others.join(', ')}` : ''}) in one commit; ${runs.map((run) => `${run.measurement.seconds.toFixed(2)}s`).join(', ')}`,
  );
  for (const problem of found) log(`  warning: ${problem}`);
  return {
    figures: [
      { name: 'promote.all_s', value: round(median(runs.map((run) => run.measurement.seconds))), unit: 's' },
      { name: 'promote.promoted', value: promoted, unit: 'count' },
    ],
    targets: {
      'promote.promoted': {
        label: `>= ${services.length} (each synthetic service)`,
        met: (value) => value >= services.length && found.length === 0,
      },
    },
  };
}
