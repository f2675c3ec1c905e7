// Lays a chart out the way `helm dependency build` would, with symlinks instead of copies and archives.
import { mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parse } from 'yaml';
import { BerthError } from '../errors';

export interface ChartInfo {
  name: string;
  version: string;
  dependencies: { name: string; repository?: string; alias?: string }[];
}

const chartInfoCache = new Map<string, ChartInfo>();

export function readChartInfo(chartDir: string): ChartInfo {
  const cached = chartInfoCache.get(chartDir);
  if (cached) return cached;
  const file = join(chartDir, 'Chart.yaml');
  let chart: Record<string, any>;
  try {
    chart = parse(readFileSync(file, 'utf8')) ?? {};
  } catch (error) {
    throw new BerthError('cannot be read as a chart.', { file: relative(process.cwd(), file), cause: error, fix: 'check that the chart exists and its Chart.yaml is valid YAML.' });
  }
  const info = { name: String(chart.name ?? ''), version: String(chart.version ?? ''), dependencies: chart.dependencies ?? [] };
  chartInfoCache.set(chartDir, info);
  return info;
}

/** Stages `chartDir` at `target`: its own files linked, each file:// dependency staged under charts/. */
export function stageChart(chartDir: string, target: string): ChartInfo {
  const info = readChartInfo(chartDir);
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(chartDir)) {
    if (entry === 'charts' || entry === 'Chart.lock') continue;
    symlinkSync(resolve(chartDir, entry), join(target, entry));
  }
  for (const dependency of info.dependencies) {
    const repository = dependency.repository ?? '';
    if (!repository.startsWith('file://')) {
      throw new BerthError(`depends on ${dependency.name} from ${repository || 'no repository'}; berth renders charts whose dependencies are file:// charts in this repository.`, {
        file: relative(process.cwd(), join(chartDir, 'Chart.yaml')),
        field: 'dependencies',
        fix: 'keep shared templates in the library chart (file://../common).',
      });
    }
    stageChart(resolve(chartDir, repository.slice('file://'.length)), join(target, 'charts', dependency.alias ?? dependency.name));
  }
  return info;
}
