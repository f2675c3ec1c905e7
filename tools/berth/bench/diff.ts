// `berth diff` on the bench workspace after a one-service change: a new image tag in one dev overlay, compared with HEAD.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../src/git/run';
import { writeDeployedVersion } from '../src/workspace/overlay';
import { paths } from '../src/workspace/model';
import { BenchStepFailed, runBerthJson, type BerthCli, type BerthRun } from './berth';
import { median, round, type Figure, type Target } from './report';

/** A version no release of the synthetic history uses. */
const NEW_TAG = '9.9.9';

export interface DiffBenchOptions {
  cli: BerthCli;
  /** The workspace, a repository whose branch is pushed (so the default base is HEAD). */
  root: string;
  /** The service whose dev overlay changes. */
  service: string;
  rounds: number;
  log: (message: string) => void;
}

export interface DiffBench {
  figures: Figure[];
  targets: Record<string, Target>;
}

/** The report shows exactly the change made: one Application, the service's image moving to NEW_TAG. */
function shows(report: any, application: string): boolean {
  const [changed] = report.applications ?? [];
  return (
    report.applications?.length === 1 &&
    changed.application === application &&
    changed.changed.some((object: any) =>
      object.fields.some((field: any) => /\.image$/.test(field.path) && String(field.after).endsWith(`:${NEW_TAG}`)),
    )
  );
}

/**
 * `rounds` runs of `berth diff` with no --base: the merge-base of HEAD and origin/main, which is HEAD on a pushed
 * branch, as in CI on the revision branch. The overlay is restored afterwards.
 */
export async function benchDiff(options: DiffBenchOptions): Promise<DiffBench> {
  const { cli, root, service, log } = options;
  const file = paths.overlay('dev', service);
  const original = readFileSync(join(root, file), 'utf8');
  const head = (await git(root, ['rev-parse', 'HEAD'])).trim();
  writeFileSync(join(root, file), writeDeployedVersion(original, file, { tag: NEW_TAG }));
  const runs: BerthRun[] = [];
  try {
    for (let index = 0; index < Math.max(1, options.rounds); index++)
      runs.push(await runBerthJson(cli, root, ['diff']));
  } finally {
    writeFileSync(join(root, file), original);
  }
  const { report } = runs[runs.length - 1];
  if (runs.some((run) => run.measurement.exitCode !== 0))
    throw new BenchStepFailed(
      `berth diff exited ${runs.map((run) => run.measurement.exitCode).join(', ')}:\n${runs[0].measurement.stderr.trim()}`,
    );
  const application = `dev-${service}`;
  const correct = report.base.commit === head && runs.every((run) => shows(run.report, application));
  const timings = Object.entries(report.timings ?? {})
    .map(([step, ms]) => `${step} ${ms} ms`)
    .join(', ');
  log(
    `diff: ${service} dev ${NEW_TAG}, base ${report.base.reason} (${report.base.commit === head ? 'HEAD' : `NOT HEAD: ${report.base.commit}`}): ` +
      `${report.rendered} of ${report.compared} Applications rendered, ${report.applications.length} with differences; ` +
      `${runs.map((run) => `${run.measurement.seconds.toFixed(2)}s`).join(', ')} (last: ${timings})`,
  );
  if (!correct)
    log(
      `  warning: the diff does not show just ${application}'s image moving to ${NEW_TAG}: ${report.applications.map((app: any) => app.application).join(', ')}`,
    );
  return {
    figures: [
      { name: 'diff.one_service_s', value: round(median(runs.map((run) => run.measurement.seconds))), unit: 's' },
      { name: 'diff.rendered', value: report.rendered, unit: 'count' },
    ],
    targets: {
      'diff.rendered': { label: `= 1 (${application}, image ${NEW_TAG})`, met: (value) => value === 1 && correct },
    },
  };
}
