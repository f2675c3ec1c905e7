// `berth status` for a terminal: a matrix of versions with their drift, then every cell in detail.
import { table } from '../util/table';
import { formatAge } from './ages';
import { promotionText } from './graph';
import { chartText, driftKind, driftText, serviceLabel, shortDate, shortSha } from './labels';
import { liveStateText } from './live';
import type { LiveCell } from './model';
import type { StatusCell, StatusReport } from './model';
import { plural } from '../util/plural';
import { shortDigest } from '../workspace/overlay';

/** Values come from files people edit: control characters must not reach the terminal as escape sequences. */
const printable = (value: string) => value.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');

function matrixCell(cell: StatusCell | null, source: string | null): string {
  if (!cell) return '';
  const marks: string[] = [];
  const kind = driftKind(cell, source);
  if (kind === 'behind-1' || kind === 'behind-many') marks.push(`-${cell.behind}`);
  if (kind === 'diverged') marks.push('diverged');
  if (cell.pinned) marks.push('pinned');
  if (cell.live) marks.push(...liveMarks(cell.live));
  return `${cell.version ?? '(none)'}${marks.length ? ` (${marks.join(', ')})` : ''}`;
}

/** What a matrix cell says of Argo CD: nothing when it runs what git says, Synced and Healthy. */
function liveMarks(live: LiveCell): string[] {
  if (live.drift === 'missing') return ['no Application'];
  const marks = live.sync === 'Synced' && live.health === 'Healthy' ? [] : [liveStateText(live)];
  if (live.drift === 'version') marks.push(`cluster runs ${live.running.join(', ')}`);
  if (live.drift === 'chart') marks.push('other charts');
  return marks;
}

/** The revisions Argo CD last applied, short ("0123456, 89abcde"); a chart version stays whole. */
const appliedText = (live: LiveCell) =>
  (live.deployed?.revisions ?? live.revisions)
    .map((revision) => (/^[0-9a-f]{40}$/.test(revision) ? shortSha(revision) : revision))
    .join(', ');

function pinText(cell: StatusCell): string {
  if (!cell.pinned) return '';
  const at = cell.pinned.version && cell.pinned.version !== cell.version ? ` at ${cell.pinned.version}` : '';
  return `pinned${at}${cell.pinned.reason ? `: ${cell.pinned.reason}` : ''}`;
}

export function formatStatusText(report: StatusReport): string {
  const sourceOf = new Map(report.environments.map((env) => [env.name, env.promotesFrom]));
  const envNames = report.environments.map((env) => env.name);
  const now = new Date(report.generatedAt);
  const matrix = table(
    ['SERVICE', ...envNames.map((env) => env.toUpperCase())],
    report.services.map((service) =>
      [serviceLabel(service), ...envNames.map((env) => matrixCell(service.cells[env], sourceOf.get(env) ?? null))].map(
        printable,
      ),
    ),
  );
  const rows: string[][] = [];
  for (const service of report.services) {
    let first = true;
    for (const env of envNames) {
      const cell = service.cells[env];
      if (!cell) continue;
      rows.push(
        [
          // the name once, on its first row, so the services stand apart
          first ? service.name : '',
          env,
          cell.version ?? '(none)',
          cell.digest ? shortDigest(cell.digest) : '',
          chartText(cell, report.revision),
          // "behind dev by 2 for 6 days": versions and days, both against the environment it promotes from
          driftText(cell, sourceOf.get(env) ?? null) +
            (cell.behindSince ? ` for ${formatAge(cell.behindSince, now)}` : ''),
          cell.since ? formatAge(cell.since, now) : '',
          cell.since ? shortDate(cell.since) : '',
          cell.commit ? shortSha(cell.commit) : '',
          cell.author ?? '',
          pinText(cell),
          ...(report.live
            ? cell.live
              ? [
                  liveStateText(cell.live),
                  appliedText(cell.live),
                  cell.live.running.join(', '),
                  cell.live.drift === 'missing' ? '' : (cell.live.driftText ?? ''),
                ]
              : ['', '', '', '']
            : []),
          // last: the longest, and what a terminal makes clickable
          cell.commitURL ?? '',
        ].map(printable),
      );
      first = false;
    }
  }
  const details = table(
    [
      'SERVICE',
      'ENV',
      'VERSION',
      'DIGEST',
      'CHART',
      'DRIFT',
      'RUNNING',
      'SINCE',
      'COMMIT',
      'AUTHOR',
      'PIN',
      ...(report.live ? ['ARGO CD', 'APPLIED', 'CLUSTER RUNS', 'LIVE DRIFT'] : []),
      'URL',
    ],
    rows,
  );
  const source = report.live ? `; live from Argo CD at ${printable(report.live.server)}` : '';
  return `${plural(report.services.length, 'service')} in ${printable(promotionText(report.promotionPaths))}${source}\n\n${matrix}\n\n${details}\n`;
}
