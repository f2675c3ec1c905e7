// The bench's figures: targets next to each, a table for people, and dist/bench.json shared with other benchmarks.
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../src/util/fs';

export interface Figure {
  name: string;
  value: number;
  unit: string;
}

export interface Target {
  /** How the target reads in the table, e.g. "< 0.5 s". */
  label: string;
  met(value: number): boolean;
}

export const TARGETS: Record<string, Target> = {
  'render.speedup_vs_naive': { label: '>= 20 x', met: (value) => value >= 20 },
  'render.warm_s': { label: '< 0.5 s', met: (value) => value < 0.5 },
  'validate.ratio_to_cold_render': { label: '< 2 x', met: (value) => value < 2 },
  'render.peak_rss_mib': { label: '< 1024 MiB', met: (value) => value < 1024 },
  'validate.peak_rss_mib': { label: '< 1024 MiB', met: (value) => value < 1024 },
  'image_update.first_pass_s': { label: '< 2 s', met: (value) => value < 2 },
  'image_update.second_pass_s': { label: '< 1 s', met: (value) => value < 1 },
  'image_update.second_pass_new_commits': { label: '= 0', met: (value) => value === 0 },
  status_s: { label: '< 1 s', met: (value) => value < 1 },
  'diff.one_service_s': { label: '< 3 s', met: (value) => value < 3 },
  'promote.all_s': { label: '< 3 s', met: (value) => value < 3 },
};

export const round = (value: number, digits = 3) => Number(value.toFixed(digits));

export function verdict(figure: Figure, targets: Record<string, Target> = TARGETS): string {
  const target = targets[figure.name];
  if (!target) return '';
  return target.met(figure.value) ? 'PASS' : 'FAIL';
}

/** `targets` adds to TARGETS those known only once measured (e.g. how many registry calls a pass should make). */
export function formatTable(figures: Figure[], targets: Record<string, Target> = TARGETS): string {
  const rows = figures.map((figure) => [
    figure.name,
    String(figure.value),
    figure.unit,
    targets[figure.name]?.label ?? '',
    verdict(figure, targets),
  ]);
  const headers = ['NAME', 'VALUE', 'UNIT', 'TARGET', 'RESULT'];
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column].length)));
  const format = (cells: string[]) =>
    cells
      .map((cell, column) => (column === 1 ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
      .join('  ')
      .trimEnd();
  return [format(headers), format(widths.map((width) => '-'.repeat(width))), ...rows.map(format)].join('\n');
}

/** Replaces the entries this bench writes and keeps every other benchmark's. */
export function mergeFigures(existing: Figure[], figures: Figure[]): Figure[] {
  const ours = new Set(figures.map((figure) => figure.name));
  return [...existing.filter((figure) => !ours.has(figure.name)), ...figures];
}

export function writeBenchJson(path: string, figures: Figure[]): void {
  let existing: Figure[] = [];
  if (existsSync(path)) {
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8'));
      if (Array.isArray(parsed)) existing = parsed;
    } catch {
      process.stderr.write(`bench: ${path} is not a JSON array; it is replaced.\n`);
    }
  }
  writeFileAtomic(path, JSON.stringify(mergeFigures(existing, figures), null, 2) + '\n');
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
