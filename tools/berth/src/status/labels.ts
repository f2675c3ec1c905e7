// Words for a status cell that the text and the HTML page share: short ids, drift in words and as a class.
import { formatAge } from './ages';
import type { StatusCell } from './model';

export const shortSha = (sha: string) => sha.slice(0, 7);

export const shortDate = (iso: string) => iso.slice(0, 10);

export type DriftKind = 'origin' | 'in-step' | 'behind-1' | 'behind-many' | 'diverged' | 'unrecorded' | 'unknown';

/** origin: the environment promotes from none; unknown: the source (or this cell) has no version to compare. */
export function driftKind(cell: StatusCell, source: string | null): DriftKind {
  if (!source) return 'origin';
  if (cell.diverged) return 'diverged';
  if (cell.unrecorded) return 'unrecorded';
  if (cell.behind === null) return 'unknown';
  if (cell.behind === 0) return 'in-step';
  return cell.behind === 1 ? 'behind-1' : 'behind-many';
}

export function driftText(cell: StatusCell, source: string | null): string {
  switch (driftKind(cell, source)) {
    case 'origin':
      return 'first environment';
    case 'in-step':
      return `in step with ${source}`;
    case 'behind-1':
    case 'behind-many':
      return `behind ${source} by ${cell.behind}`;
    case 'diverged':
      return `diverged from ${source}`;
    case 'unrecorded':
      return `differs from ${source} (no release recorded yet)`;
    case 'unknown':
      return cell.version ? `no version in ${source} to compare` : 'no image.tag';
  }
}

export const chartText = (cell: StatusCell, revision: string) =>
  cell.chartVersion
    ? `chart ${cell.chartVersion}`
    : cell.chartRevision
      ? shortSha(cell.chartRevision)
      : `follows ${revision}`;

/** How a report names a row: an add-on says so, since its version is a chart's. */
export const serviceLabel = (service: { name: string; kind: string }) =>
  service.kind === 'addon' ? `${service.name} (add-on)` : service.name;

/** "since 3 days": how long the version has run where it is, at `now` (the report's generatedAt). */
export const runningText = (cell: StatusCell, now: Date) => (cell.since ? `since ${formatAge(cell.since, now)}` : '');

/** "5 days behind dev": how long the source has run something newer; empty when the cell is not behind. */
export const lagText = (cell: StatusCell, source: string | null, now: Date) =>
  source && cell.behindSince ? `${formatAge(cell.behindSince, now)} behind ${source}` : '';
