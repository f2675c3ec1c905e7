// Lays a chart out the way `helm dependency build` would, with symlinks instead of copies and archives: file://
// dependencies from the repository, third-party ones (locked by Chart.lock) from berth's chart cache.
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { BerthError } from '../errors';
import { readYamlMapping } from '../util/yaml-read';
import type { Memo } from '../util/memo';
import { cachedChartEntry } from '../charts/cache';
import { isRemoteRepository, remoteDependencies, type DeclaredDependency, type RemoteDependency } from '../charts/lock';
import { describeChart, fetchCommand } from '../charts/reference';

export interface ChartInfo {
  name: string;
  version: string;
  type: string;
  dependencies: DeclaredDependency[];
  /** Chart.lock's text, read when a dependency comes from outside the repository (undefined: no lock). */
  lock?: string;
}

/** What a chart's templates folder holds that batching asks about. */
export interface TemplateFacts {
  /** Names of the templates it defines (`define "name"`). */
  defines: Set<string>;
  /** Whether a template may read .Chart.Dependencies (see SEES_CHART_DEPENDENCIES). */
  seesChartDependencies: boolean;
}

/** What a run has read of its charts (a RenderSession has both): each Chart.yaml and each chart's templates. */
type Charts = { readonly charts: Memo<string, ChartInfo>; readonly templates: Memo<string, TemplateFacts> };

/** A chart's Chart.yaml, read once per run. */
export function readChartInfo(charts: Memo<string, ChartInfo>, chartDir: string): ChartInfo {
  return charts.get(chartDir, () => chartInfoAt(chartDir));
}

function chartInfoAt(chartDir: string): ChartInfo {
  const file = join(chartDir, 'Chart.yaml');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new BerthError('cannot be read as a chart.', {
      file: relative(process.cwd(), file),
      cause: error,
      fix: 'check that the chart exists and its Chart.yaml is valid YAML.',
    });
  }
  const chart = readYamlMapping(text, relative(process.cwd(), file));
  const dependencies: DeclaredDependency[] = Array.isArray(chart.dependencies) ? chart.dependencies : [];
  let lock: string | undefined;
  if (dependencies.some((dependency) => isRemoteRepository(dependency?.repository))) {
    try {
      lock = readFileSync(join(chartDir, 'Chart.lock'), 'utf8');
    } catch {
      lock = undefined; // remoteDependenciesOf says what to do
    }
  }
  return {
    name: String(chart.name ?? ''),
    version: String(chart.version ?? ''),
    type: String(chart.type ?? 'application'),
    dependencies,
    lock,
  };
}

/** The chart's dependencies from outside the repository (https, oci://), at the versions its Chart.lock fixes. */
export function remoteDependenciesOf(info: ChartInfo, chartDir: string): RemoteDependency[] {
  return remoteDependencies(relative(process.cwd(), chartDir) || '.', info.dependencies, info.lock);
}

/**
 * Template text that may read .Chart.Dependencies: the field by name, .Chart taken whole (`toYaml .Chart`,
 * `index . "Chart"`), or the root context handed whole to a function that reads every field (`toJson $`).
 */
const SEES_CHART_DEPENDENCIES =
  /Dependencies|\.Chart(?![.\w])|"Chart"|\b(?:to\w*|mustTo\w*|deepCopy|mustDeepCopy)\s+\$(?![.\w])/;

/** What a chart's templates define and may read, from its templates folder, once per run. */
export function templateFacts(session: Charts, chartDir: string): TemplateFacts {
  return session.templates.get(chartDir, () => {
    const facts: TemplateFacts = { defines: new Set(), seesChartDependencies: false };
    const visit = (dir: string) => {
      for (const entry of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
        if (entry.isDirectory()) visit(join(dir, entry.name));
        else {
          const text = readFileSync(join(dir, entry.name), 'utf8');
          for (const match of text.matchAll(/\{\{-?\s*define\s+"([^"]+)"/g)) facts.defines.add(match[1]);
          facts.seesChartDependencies ||= SEES_CHART_DEPENDENCIES.test(text);
        }
      }
    };
    visit(join(chartDir, 'templates'));
    return facts;
  });
}

/** Names of the templates a chart defines (`define "name"`), read from its templates folder. */
export const templateDefines = (session: Charts, chartDir: string): Set<string> =>
  templateFacts(session, chartDir).defines;

export interface StageOptions {
  /** Leave values.schema.json out: the caller checks values itself (see values-schema.ts). */
  withoutSchema?: boolean;
  /** Library dependencies staged once at the top of a batch instead of under every chart (see hoistableLibraries). */
  hoisted?: Set<string>;
}

/**
 * The file:// library charts a chart depends on. A library only defines templates, and template names are
 * global to a helm render, so a batch can load each library once at its top instead of once per chart;
 * that halves helm's work for a batch of a hundred services.
 */
export function hoistableLibraries(
  session: Charts,
  chartDir: string,
): { name: string; dir: string; version: string }[] {
  return readChartInfo(session.charts, chartDir)
    .dependencies.filter((dependency) => dependency.repository?.startsWith('file://') && !dependency.alias)
    .map((dependency) => ({
      name: dependency.name,
      dir: resolve(chartDir, dependency.repository!.slice('file://'.length)),
    }))
    .filter((dependency) => readChartInfo(session.charts, dependency.dir).type === 'library')
    .map((dependency) => ({ ...dependency, version: readChartInfo(session.charts, dependency.dir).version }));
}

/** Stages `chartDir` at `target`: its own files linked, each file:// dependency staged under charts/. */
export function stageChart(session: Charts, chartDir: string, target: string, options: StageOptions = {}): ChartInfo {
  const info = readChartInfo(session.charts, chartDir);
  mkdirSync(target, { recursive: true });
  for (const entry of readdirSync(chartDir)) {
    if (entry === 'charts' || entry === 'Chart.lock' || (options.withoutSchema && entry === 'values.schema.json'))
      continue;
    symlinkSync(resolve(chartDir, entry), join(target, entry));
  }
  const remote = remoteDependenciesOf(info, chartDir);
  for (const dependency of info.dependencies) {
    const repository = dependency.repository ?? '';
    if (isRemoteRepository(repository)) {
      // as `helm dependency build` leaves it: the locked version under charts/, here the unpacked copy of berth's cache
      const locked = remote.find((entry) => entry.as === (dependency.alias || dependency.name))!;
      const cached = cachedChartEntry(locked.ref);
      if (!cached)
        throw new BerthError(`depends on the chart ${describeChart(locked.ref)}, which is not cached.`, {
          file: relative(process.cwd(), join(chartDir, 'Chart.yaml')),
          field: 'dependencies',
          fix: `run: ${fetchCommand(locked.ref)}`,
        });
      mkdirSync(join(target, 'charts'), { recursive: true });
      symlinkSync(cached.dir, join(target, 'charts', locked.as));
      continue;
    }
    if (!repository.startsWith('file://')) {
      throw new BerthError(`depends on ${dependency.name} from no repository.`, {
        file: relative(process.cwd(), join(chartDir, 'Chart.yaml')),
        field: 'dependencies',
        fix: 'name its repository: file://../common for the library chart, or an https:// or oci:// chart repository.',
      });
    }
    if (options.hoisted?.has(dependency.name) && !dependency.alias) continue;
    stageChart(
      session,
      resolve(chartDir, repository.slice('file://'.length)),
      join(target, 'charts', dependency.alias ?? dependency.name),
      options,
    );
  }
  return info;
}
