// `berth promote` on the command line: a line per service, then where the promotion went (commit, push, pull request).
import type { PromotionDecision, PromotionStatus } from '../promote/decide';
import { promote, type PromoteReport } from '../promote/command';
import { waitFailure, type WaitReport } from '../promote/await-sync';
import { DEFAULT_TIMEOUT } from '../promote/wait-options';
import { formatDuration } from '../util/duration';
import { errorReport, statusLine } from './output';
import type { PromoteOptions } from '../promote/options';
import { describeChart, shortSha } from '../promote/versions';
import { table } from '../util/table';
import { plural } from '../util/plural';
import { describeImage } from '../workspace/overlay';

export interface PromoteCommandOptions extends PromoteOptions {
  json?: boolean;
}

const RESULT: Record<PromotionStatus, string> = {
  promote: 'promoted',
  current: 'already there',
  downgrade: 'downgrade skipped',
  pinned: 'pinned',
  missing: 'not in source',
};

function result(decision: PromotionDecision, report: PromoteReport): string {
  if (decision.status === 'promote') return report.mode === 'pr' ? 'proposed' : RESULT.promote;
  return decision.status === 'current' ? RESULT.current : `${RESULT[decision.status]}: ${decision.reason}`;
}

function where(report: PromoteReport): string {
  const promoted = report.decisions.filter((decision) => decision.status === 'promote').length;
  if (!report.commit)
    return `nothing to promote from ${report.source} to ${report.target}: no commit${report.pushed ? `; pushed ${plural(report.carried?.length ?? 0, 'commit')} that ${report.carried?.length === 1 ? 'was' : 'were'} waiting` : ''}`;
  const what = `${plural(promoted, 'service')} from ${report.source} to ${report.target}`;
  if (report.mode !== 'pr')
    return `promoted ${what} in commit ${shortSha(report.commit)}${report.pushed ? ', pushed' : ' (not pushed: git push it, or promote with --push)'}`;
  if (report.pullRequest)
    return `opened pull request #${report.pullRequest.number} to promote ${what}: ${report.pullRequest.url}`;
  if (report.compareUrl)
    return `pushed branch ${report.branch} (commit ${shortSha(report.commit)}) to promote ${what}.\nOpen the pull request: ${report.compareUrl}`;
  return `pushed branch ${report.branch} (commit ${shortSha(report.commit)}) to promote ${what}.\nOpen a pull request from ${report.branch} into ${report.base}.`;
}

function waitText(wait: WaitReport, target: string): string {
  const lines = wait.applications.map((app) => `  ${app.application}: ${app.reason}`);
  return `${wait.outcome === 'synced' ? `${target} is Synced and Healthy at the pushed commit` : `${target}: ${wait.outcome}`} after ${formatDuration(wait.seconds * 1000)}:\n${lines.join('\n')}`;
}

export async function promoteCommand(options: PromoteCommandOptions): Promise<void> {
  // with --json, stdout carries the report alone
  const progress = options.wait ? statusLine(options.json ? process.stderr : process.stdout) : undefined;
  let report: PromoteReport;
  try {
    report = await promote({ ...options, onWaitProgress: progress?.line });
  } finally {
    progress?.end();
  }
  const failed = report.wait && report.wait.outcome !== 'synced';
  const failure = failed ? waitFailure(report.wait!, report.target, options.timeout ?? DEFAULT_TIMEOUT) : undefined;
  if (options.json) {
    console.log(
      JSON.stringify(
        {
          source: report.source,
          target: report.target,
          mode: report.mode,
          commit: report.commit ?? null,
          pushed: report.pushed,
          branch: report.branch ?? null,
          base: report.base ?? null,
          pullRequest: report.pullRequest ?? null,
          compareUrl: report.compareUrl ?? null,
          localCommits: report.localCommits ?? 0,
          carried: report.carried ?? [],
          wait: report.wait ?? null,
          ...(failure ? { error: errorReport(failure) } : {}),
          forced: report.forced
            ? {
                reason: report.forced.reason,
                gates: report.forced.refusals.map((refusal) => ({
                  gate: refusal.gate,
                  service: refusal.service ?? null,
                  problem: refusal.problem,
                  passesAt: refusal.passesAt === undefined ? null : new Date(refusal.passesAt).toISOString(),
                })),
              }
            : null,
          services: report.decisions.map((decision) => ({
            service: decision.service,
            status: decision.status,
            from: decision.from,
            to: decision.to ?? null,
            reason: decision.reason,
          })),
        },
        null,
        2,
      ),
    );
    // the report is the output; the failed wait is its error, and the exit code says so
    if (failure) {
      process.stderr.write(`berth: ${failure.message}\n`);
      process.exitCode = 1;
    }
    return;
  }
  console.log(
    table(
      ['SERVICE', 'FROM', 'TO', 'CHARTS', 'RESULT'],
      report.decisions.map((decision) => [
        decision.service,
        describeImage(decision.from),
        decision.to ? describeImage(decision.to) : '-',
        decision.to ? `${describeChart(decision.from, 'branch')} -> ${describeChart(decision.to, 'branch')}` : '-',
        result(decision, report),
      ]),
    ),
  );
  console.log(`\n${where(report)}`);
  if (report.forced) {
    console.log(`forced past ${report.target}'s promotion gates (${report.forced.reason}):`);
    for (const refusal of report.forced.refusals)
      console.log(`  ${refusal.gate}${refusal.service ? ` (${refusal.service})` : ''}: ${refusal.problem}`);
  }
  if (report.localCommits) {
    console.log(
      `note: the branch also carries ${plural(report.localCommits, 'commit')} of your ${report.base} that are not on the remote yet; push them first if they do not belong in this pull request.`,
    );
  }
  if (options.wait && !report.wait)
    console.log(`nothing pushed to wait for: see how ${report.target} runs with berth status --live`);
  if (failure) throw failure;
  if (report.wait) console.log(waitText(report.wait, report.target));
}
