// Renders Applications with helm: many at once through a scratch umbrella chart, one by one when that cannot be exact.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { BerthError } from '../errors';
import { runHelm } from '../helm/run';
import { helmTemplateArgs, type HelmRequest } from './argo-rules';
import { readChartInfo, stageChart } from './stage';
import { splitBySubchart } from './split';
import { mergeValues, type Values } from './values-merge';

export interface Rendered {
  request: HelmRequest;
  /** Multi-document YAML exactly as `helm template` prints it for this Application alone. */
  manifest: string;
}

export const BATCH_CHART = 'berth-batch';

/** Reads a request's value files: a missing or broken file is an error that names the Application. */
export function userValues(repoRoot: string, request: HelmRequest): Values {
  let values: Values = {};
  for (const file of request.valueFiles) {
    let text: string;
    try {
      text = readFileSync(join(repoRoot, file), 'utf8');
    } catch {
      throw new BerthError(`names the value file ${file}, which does not exist.`, {
        file: request.manifest,
        field: 'spec.sources[].helm.valueFiles',
        fix: `create ${file} (nx g berth:service writes one per environment) or run \`npx nx sync\`.`,
      });
    }
    let parsed: unknown;
    try {
      parsed = parse(text) ?? {};
    } catch (error) {
      throw new BerthError(`is not valid YAML: ${(error as Error).message}`, { file, fix: 'correct the YAML syntax.' });
    }
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new BerthError('must be a YAML mapping.', { file });
    values = mergeValues(values, parsed as Values);
  }
  return request.extraValues ? mergeValues(values, request.extraValues) : values;
}

/** Requests that can share one helm process: same helm flags, distinct charts named as their release. */
export function batchGroups(repoRoot: string, requests: HelmRequest[]): { batches: HelmRequest[][]; singles: HelmRequest[] } {
  const batches = new Map<string, HelmRequest[][]>();
  const singles: HelmRequest[] = [];
  for (const request of requests) {
    const chartName = readChartInfo(join(repoRoot, request.chartPath)).name;
    // a release named unlike its chart could be read by templates; render those exactly, alone
    if (chartName !== request.releaseName) {
      singles.push(request);
      continue;
    }
    const key = JSON.stringify([request.revision, request.namespace, request.kubeVersion, request.apiVersions, request.includeCrds, request.skipTests]);
    const groups = batches.get(key) ?? [];
    let group = groups.find((candidate) => !candidate.some((other) => other.releaseName === request.releaseName));
    if (!group) groups.push((group = []));
    group.push(request);
    batches.set(key, groups);
  }
  return { batches: [...batches.values()].flat(), singles };
}

/** Lays out a scratch umbrella chart holding each request's chart as a subchart, with their values under their names. */
export function stageBatch(repoRoot: string, group: HelmRequest[], work: string): { umbrella: string; valuesFile: string } {
  const umbrella = join(work, BATCH_CHART);
  mkdirSync(join(umbrella, 'charts'), { recursive: true });
  mkdirSync(join(umbrella, 'templates'));
  const values: Values = {};
  const dependencies = group.map((request) => {
    const chart = stageChart(join(repoRoot, request.chartPath), join(umbrella, 'charts', request.releaseName));
    values[request.releaseName] = userValues(repoRoot, request);
    return { name: chart.name, version: chart.version };
  });
  // declared like any umbrella's dependencies, so helm lint accepts the scratch chart too
  writeFileSync(join(umbrella, 'Chart.yaml'), stringify({ apiVersion: 'v2', name: BATCH_CHART, version: '0.0.0', dependencies }));
  writeFileSync(join(umbrella, 'values.yaml'), '{}\n');
  const valuesFile = join(work, 'values.yaml');
  writeFileSync(valuesFile, stringify(values));
  return { umbrella, valuesFile };
}

async function renderBatch(repoRoot: string, group: HelmRequest[], work: string): Promise<Rendered[]> {
  const { umbrella, valuesFile } = stageBatch(repoRoot, group, work);
  const output = await runHelm(helmTemplateArgs({ ...group[0], releaseName: BATCH_CHART }, umbrella, [valuesFile]));
  const byChart = splitBySubchart(output);
  return group.map((request) => ({ request, manifest: byChart.get(request.releaseName) ?? '' }));
}

/** Renders one Application exactly as Argo CD's repo-server would. */
export async function renderSingle(repoRoot: string, request: HelmRequest, work: string): Promise<Rendered> {
  userValues(repoRoot, request); // surfaces a missing value file with the Application's name
  const chartName = readChartInfo(join(repoRoot, request.chartPath)).name;
  const chartDir = join(work, request.application, chartName);
  stageChart(join(repoRoot, request.chartPath), chartDir);
  let extraValuesFile: string | undefined;
  if (request.extraValues) {
    extraValuesFile = join(work, request.application, 'values-object.yaml');
    writeFileSync(extraValuesFile, stringify(request.extraValues));
  }
  const valueFiles = request.valueFiles.map((file) => join(repoRoot, file));
  const manifest = await runHelm(helmTemplateArgs(request, chartDir, valueFiles, extraValuesFile), {
    context: `${request.manifest} (Application ${request.application})`,
  });
  return { request, manifest: manifest.endsWith('\n') || manifest === '' ? manifest : `${manifest}\n` };
}

export async function inPool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

export interface RenderOptions {
  concurrency?: number;
  /** Called after each helm process, for progress display. */
  onProgress?: (done: number, total: number) => void;
}

export async function renderRequests(repoRoot: string, requests: HelmRequest[], options: RenderOptions = {}): Promise<Rendered[]> {
  const work = mkdtempSync(join(tmpdir(), 'berth-render-'));
  const concurrency = options.concurrency ?? 2;
  try {
    const { batches, singles } = batchGroups(repoRoot, requests);
    const jobs: (() => Promise<Rendered[]>)[] = [
      ...batches.map((group, index) => async () => {
        try {
          return await renderBatch(repoRoot, group, join(work, `batch-${index}`));
        } catch {
          // one broken Application fails the whole batch: render each alone so the error names it
          return inPool(group, concurrency, (request) => renderSingle(repoRoot, request, join(work, `retry-${index}`)));
        }
      }),
      ...singles.map((request) => async () => [await renderSingle(repoRoot, request, join(work, 'single'))]),
    ];
    let done = 0;
    const results = await inPool(jobs, concurrency, async (job) => {
      const rendered = await job();
      options.onProgress?.(++done, jobs.length);
      return rendered;
    });
    const byApplication = new Map(results.flat().map((rendered) => [rendered.request.application, rendered]));
    return requests.map((request) => byApplication.get(request.application)!);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
