// `berth chart-update` on the command line: what moved, what did not and why, and the repositories that failed.
import { explainSelection } from '../policy';
import { chartUpdate, type ChartUpdateReport } from '../chart-update/command';
import { describeChart } from '../charts/reference';
import { table } from '../util/table';

export interface ChartUpdateCommandOptions {
  root: string;
  environments?: string[];
  services?: string[];
  dryRun?: boolean;
  push?: boolean;
  explain?: boolean;
  json?: boolean;
}

/** Exit code when some repositories failed and every other chart was handled, as image-update's. */
export const PARTIAL_EXIT = 3;

function printReport(report: ChartUpdateReport, options: ChartUpdateCommandOptions): void {
  console.log(
    table(
      ['ENV', 'APP', 'CHART', 'CURRENT', 'STATUS', 'REASON'],
      report.decisions.map(({ target, status, reason }) => [
        target.env.name,
        target.service.name,
        target.dependency ? `${target.current.name} (dependency)` : target.current.name,
        target.current.version,
        status,
        reason,
      ]),
    ),
  );
  if (options.explain)
    for (const decision of report.decisions)
      if (decision.selection)
        console.log(
          `\n${decision.target.env.name}/${decision.target.service.name} ${decision.target.current.name}:\n${explainSelection(decision.selection, decision.target.policy).join('\n')}`,
        );
  for (const failure of report.failures)
    console.log(
      `\n${failure.target.env.name}/${failure.target.service.name}: ${describeChart(failure.target.current)}: ${failure.error.message}`,
    );
  if (options.dryRun) console.log(report.diff ? `\n${report.diff}` : '\nnothing to change');
  else if (report.commits.length)
    console.log(`\ncommitted ${report.commits.join(', ')}${report.pushed ? ' and pushed' : ''}`);
}

export async function chartUpdateCommand(options: ChartUpdateCommandOptions): Promise<void> {
  const report = await chartUpdate(options);
  if (options.json)
    console.log(
      JSON.stringify(
        {
          decisions: report.decisions.map(({ target, status, next, reason, refused }) => ({
            env: target.env.name,
            app: target.service.name,
            chart: target.current,
            dependency: target.dependency?.name,
            status,
            next,
            reason,
            refused,
          })),
          failures: report.failures.map(({ target, error }) => ({
            env: target.env.name,
            app: target.service.name,
            chart: target.current,
            error: error.message,
          })),
          commits: report.commits,
          diff: report.diff,
          pushed: report.pushed,
        },
        null,
        2,
      ),
    );
  else printReport(report, options);
  if (report.failures.length) process.exitCode = PARTIAL_EXIT;
}
