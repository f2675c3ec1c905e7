// `berth chart-update`: asks the chart repositories, writes new chart versions (add-on overlays, service charts'
// dependencies with their Chart.lock), commits once and pushes safely. A repository that fails costs only its own charts.
import { BerthError } from '../errors';
import { lockText, parseLock } from '../charts/lock';
import { offeredVersions, type OfferedVersions } from '../charts/versions';
import { berthSubject } from '../git/honest-message';
import { transact, type PlannedCommit } from '../git/transact';
import { commitMessage, type ChangeRecord } from '../git/trailers';
import { patchOf } from '../image-update/diff';
import { AccessRefused } from '../registry';
import { diskFiles, type WorkspaceFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import { paths } from '../workspace/model';
import { readYamlMapping } from '../util/yaml-read';
import { plural } from '../util/plural';
import { writeDependencyVersion } from './chart-version';
import { writeChartVersion } from '../workspace/overlay';
import { derivedChanges } from '../argocd/derived-changes';
import { decideChart, type ChartDecision } from './decide';
import { findChartTargets, type ChartTarget } from './targets';

export interface ChartUpdateOptions {
  root: string;
  environments?: string[];
  services?: string[];
  dryRun?: boolean;
  push?: boolean;
  remote?: string;
  /** For tests: the time Chart.lock's `generated` records. */
  now?: () => Date;
}

export interface ChartRepositoryFailure {
  target: ChartTarget;
  error: BerthError;
}

export interface ChartUpdateReport {
  decisions: ChartDecision[];
  failures: ChartRepositoryFailure[];
  commits: string[];
  diff: string;
  pushed: boolean;
}

async function inspect(options: ChartUpdateOptions, files: WorkspaceFiles) {
  const targets = findChartTargets(files, loadWorkspace(files), options);
  // each repository's chart is asked once, however many environments run it
  const offers = new Map<string, Promise<OfferedVersions>>();
  const offerOf = (target: ChartTarget) => {
    const key = `${target.current.repo} ${target.current.name}`;
    if (!offers.has(key)) offers.set(key, offeredVersions(target.current));
    return offers.get(key)!;
  };
  const outcomes = await Promise.all(
    targets.map((target) =>
      (target.pin && !target.dependency ? Promise.resolve({ versions: [], refused: [] }) : offerOf(target)).then(
        (offer) => ({ decision: decideChart(target, offer.versions, offer.refused) }),
        (error: unknown) => ({ failure: { target, error } }),
      ),
    ),
  );
  const fatal = outcomes.find(
    (outcome) =>
      'failure' in outcome &&
      (!(outcome.failure.error instanceof BerthError) || outcome.failure.error instanceof AccessRefused),
  );
  if (fatal && 'failure' in fatal) throw fatal.failure.error;
  return {
    decisions: outcomes.flatMap((outcome) => ('decision' in outcome ? [outcome.decision] : [])),
    failures: outcomes.flatMap((outcome) =>
      'failure' in outcome ? [{ target: outcome.failure.target, error: outcome.failure.error as BerthError }] : [],
    ),
  };
}

/** Every file the updates change, with its new text: overlays, and each service chart's Chart.yaml and Chart.lock. */
export function plannedWrites(files: WorkspaceFiles, updates: ChartDecision[], now: Date): Map<string, string> {
  const writes = new Map<string, string>();
  for (const { target, next } of updates.filter((update) => !update.target.dependency))
    writes.set(target.file, writeChartVersion(target.text, target.file, next!));
  const byChart = new Map<string, ChartDecision[]>();
  for (const update of updates.filter((candidate) => candidate.target.dependency))
    byChart.set(update.target.file, [...(byChart.get(update.target.file) ?? []), update]);
  for (const [file, group] of byChart) {
    let text = group[0].target.text;
    for (const { target, next } of group) text = writeDependencyVersion(text, file, target.dependency!.index, next!);
    const lockFile = `${paths.chart(group[0].target.service.name)}/Chart.lock`;
    const lock = parseLock(files.read(lockFile)!, lockFile);
    const locked = lock.dependencies.map((dependency, index) => {
      const update = group.find((candidate) => candidate.target.dependency!.index === index);
      return update ? { ...dependency, version: update.next! } : dependency;
    });
    writes.set(file, text);
    // as `helm dependency update` writes it: the digest ties the new lock to the new Chart.yaml
    writes.set(lockFile, lockText(readYamlMapping(text, file).dependencies, locked, now));
  }
  // an add-on's Application names its chart version: the same commit moves it, or Argo CD would never see the bump
  for (const [path, content] of derivedChanges(files, writes)) writes.set(path, content);
  return writes;
}

const record = ({ target, next }: ChartDecision): ChangeRecord => ({
  service: target.service.name,
  env: target.env.name,
  action: 'bump',
  from: target.current.version,
  to: next!,
  kind: 'chart',
  dependency: target.dependency?.name,
});

export function chartUpdateMessage(updates: ChartDecision[]): string {
  const records = updates.map(record);
  return commitMessage(berthSubject(records) ?? `chore: bump ${plural(records.length, 'chart')}`, records);
}

export async function chartUpdate(options: ChartUpdateOptions): Promise<ChartUpdateReport> {
  const now = options.now ?? (() => new Date());
  const files = diskFiles(options.root);
  if (options.dryRun) {
    const { decisions, failures } = await inspect(options, files);
    const writes = plannedWrites(
      files,
      decisions.filter((decision) => decision.status === 'update'),
      now(),
    );
    const diff = patchOf([...writes].map(([path, after]) => ({ path, before: files.read(path) ?? '', after })));
    return { decisions, failures, commits: [], diff, pushed: false };
  }
  const transaction = await transact(options.root, options, async () => {
    // read again inside the transaction: after a rebase the files are the remote's
    const current = diskFiles(options.root);
    const inspection = await inspect(options, current);
    const updates = inspection.decisions.filter((decision) => decision.status === 'update');
    const commits: PlannedCommit[] = updates.length
      ? [{ writes: plannedWrites(current, updates, now()), message: chartUpdateMessage(updates) }]
      : [];
    return { result: inspection, commits };
  });
  return { ...transaction.result, commits: transaction.commits, diff: '', pushed: transaction.pushed };
}
