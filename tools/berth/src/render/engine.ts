// Renders Applications with helm: many at once through a scratch umbrella chart, one by one when that cannot be exact.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { BerthError } from '../errors';
import { withScratchDir } from '../util/scratch';
import { readYamlMapping } from '../util/yaml-read';
import { runHelm } from '../helm/run';
import { helmTemplateArgs, type HelmRequest } from './argo-rules';
import { hoistableLibraries, readChartInfo, stageChart, templateDefines } from './stage';
import { splitBySubchart } from './split';
import { checkValuesSchema } from './values-schema';
import { explainHelmFailure } from './helm-errors';
import { chartDirOf } from './revisions';
import { mergeValues, type Values } from './values-merge';
import { assertInside } from '../workspace/inside';

export interface Rendered {
  request: HelmRequest;
  /** Multi-document YAML exactly as `helm template` prints it for this Application alone. */
  manifest: string;
}

export const BATCH_CHART = 'berth-batch';

/** Parsed value files by content: the same environment values.yaml serves a hundred Applications. */
const parsedValueFiles = new Map<string, Values>();

/** Reads a request's value files (each parsed once per process): a missing or broken file is an error that names the Application. */
export function userValues(repoRoot: string, request: HelmRequest): Values {
  let values: Values = {};
  for (const file of request.valueFiles) {
    let text: string;
    assertInside(repoRoot, file);
    try {
      text = readFileSync(join(repoRoot, file), 'utf8');
    } catch (error) {
      throw new BerthError(`names the value file ${file}, which does not exist.`, {
        file: request.manifest,
        field: 'spec.sources[].helm.valueFiles',
        fix: `create ${file} (nx g berth:service writes one per environment) or run \`npx nx sync\`.`,
        cause: error,
      });
    }
    let parsed = parsedValueFiles.get(text);
    if (!parsed) {
      parsed = readYamlMapping(text, file) as Values;
      parsedValueFiles.set(text, parsed);
    }
    values = mergeValues(values, parsed);
  }
  return request.extraValues ? mergeValues(values, request.extraValues) : values;
}

interface Batch {
  requests: HelmRequest[];
  /** Library charts loaded once at the batch's top, by name. */
  libraries: Map<string, string>;
  /** Template names the batch's own charts define. */
  defines: Set<string>;
}

/**
 * Requests that can share one helm process: same helm flags, distinct charts named as their release, and no
 * template name defined twice. Template names are global to a helm render, so a chart that defines a name
 * another chart (or a shared library) also defines would change the other's output: it renders alone.
 */
export function batchGroups(
  repoRoot: string,
  requests: HelmRequest[],
): { batches: HelmRequest[][]; singles: HelmRequest[] } {
  const batches = new Map<string, Batch[]>();
  const singles: HelmRequest[] = [];
  for (const request of requests) {
    const chartDir = chartDirOf(repoRoot, request);
    const libraries = hoistableLibraries(chartDir);
    const defines = templateDefines(chartDir);
    const libraryDefines = new Set(libraries.flatMap((library) => [...templateDefines(library.dir)]));
    // a release named unlike its chart could be read by templates; a chart overriding its library's templates changes them for all
    if (readChartInfo(chartDir).name !== request.releaseName || [...defines].some((name) => libraryDefines.has(name))) {
      singles.push(request);
      continue;
    }
    const key = JSON.stringify([
      request.revision,
      request.namespace,
      request.kubeVersion,
      request.apiVersions,
      request.includeCrds,
      request.skipTests,
    ]);
    const candidates = batches.get(key) ?? [];
    const fits = (batch: Batch) =>
      !batch.requests.some((other) => other.releaseName === request.releaseName) &&
      libraries.every((library) => (batch.libraries.get(library.name) ?? library.dir) === library.dir) &&
      ![...defines].some((name) => batch.defines.has(name)) &&
      ![...batch.libraries.values()].some((dir) => [...templateDefines(dir)].some((name) => defines.has(name)));
    let batch = candidates.find(fits);
    if (!batch) candidates.push((batch = { requests: [], libraries: new Map(), defines: new Set() }));
    batch.requests.push(request);
    for (const library of libraries) batch.libraries.set(library.name, library.dir);
    for (const name of defines) batch.defines.add(name);
    batches.set(key, candidates);
  }
  return { batches: [...batches.values()].flat().map((batch) => batch.requests), singles };
}

/** Lays out a scratch umbrella chart holding each request's chart as a subchart, with their values under their names. */
export function stageBatch(
  repoRoot: string,
  group: HelmRequest[],
  work: string,
): { umbrella: string; valuesFile: string } {
  const umbrella = join(work, BATCH_CHART);
  mkdirSync(join(umbrella, 'charts'), { recursive: true });
  mkdirSync(join(umbrella, 'templates'));
  const values: Values = {};
  // one chart alone keeps its libraries where they are, exactly as Argo CD would see it
  const libraries = new Map(
    group.length > 1
      ? group
          .flatMap((request) => hoistableLibraries(chartDirOf(repoRoot, request)))
          .map((library) => [library.name, library])
      : [],
  );
  const hoisted = new Set(libraries.keys());
  const dependencies = group.map((request) => {
    // helm keys a subchart's values by its chart name (the release name, in a batch)
    const name = readChartInfo(chartDirOf(repoRoot, request)).name;
    const chart = stageChart(chartDirOf(repoRoot, request), join(umbrella, 'charts', name), {
      withoutSchema: true,
      hoisted,
    });
    values[name] = userValues(repoRoot, request);
    checkValuesSchema(repoRoot, request, values[name] as Values);
    return { name: chart.name, version: chart.version };
  });
  for (const library of libraries.values()) {
    stageChart(library.dir, join(umbrella, 'charts', library.name), { withoutSchema: true });
    dependencies.push({ name: library.name, version: library.version });
  }
  // declared like any umbrella's dependencies, so helm lint accepts the scratch chart too
  writeFileSync(
    join(umbrella, 'Chart.yaml'),
    stringify({ apiVersion: 'v2', name: BATCH_CHART, version: '0.0.0', dependencies }),
  );
  writeFileSync(join(umbrella, 'values.yaml'), '{}\n');
  // JSON is YAML to helm, and far quicker to write than YAML
  const valuesFile = join(work, 'values.json');
  writeFileSync(valuesFile, JSON.stringify(values));
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
  const chartName = readChartInfo(chartDirOf(repoRoot, request)).name;
  const chartDir = join(work, request.application, chartName);
  stageChart(chartDirOf(repoRoot, request), chartDir);
  let extraValuesFile: string | undefined;
  if (request.extraValues) {
    extraValuesFile = join(work, request.application, 'values-object.yaml');
    writeFileSync(extraValuesFile, stringify(request.extraValues));
  }
  const valueFiles = request.valueFiles.map((file) => join(repoRoot, file));
  const manifest = await runHelm(helmTemplateArgs(request, chartDir, valueFiles, extraValuesFile), {
    context: `${request.manifest} (Application ${request.application})`,
  }).catch((error) => {
    throw explainHelmFailure(repoRoot, request, error);
  });
  return { request, manifest: manifest.endsWith('\n') || manifest === '' ? manifest : `${manifest}\n` };
}

/**
 * Runs `work` over `items`, `concurrency` at a time. A failure stops new work but waits for the work under way, so no
 * job is still writing into a scratch folder its caller is about to remove; then the first failure is thrown.
 */
export async function inPool<T, R>(items: T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        results[index] = await work(items[index]);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure) throw failure.error;
  return results;
}

export interface RenderOptions {
  concurrency?: number;
  /** Called after each helm process, for progress display. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * The helm processes a set of requests needs: batches cut small enough to keep every core busy (each helm process
 * costs only its start-up), then one process for each request that must render alone.
 */
export interface Job {
  requests: HelmRequest[];
  /** A request that must render on its own (see batchGroups), exactly as Argo CD would. */
  alone: boolean;
}

export function plannedJobs(repoRoot: string, requests: HelmRequest[], concurrency: number): Job[] {
  const { batches, singles } = batchGroups(repoRoot, requests);
  const size = Math.max(8, Math.ceil(requests.length / (concurrency * 3)));
  const chunks = batches.flatMap((group) =>
    Array.from({ length: Math.ceil(group.length / size) }, (_, index) => group.slice(index * size, (index + 1) * size)),
  );
  return [
    ...chunks.map((chunk) => ({ requests: chunk, alone: false })),
    ...singles.map((request) => ({ requests: [request], alone: true })),
  ];
}

export async function renderRequests(
  repoRoot: string,
  requests: HelmRequest[],
  options: RenderOptions = {},
): Promise<Rendered[]> {
  const concurrency = options.concurrency ?? 2;
  return withScratchDir('berth-render-', async (work) => {
    const jobs = plannedJobs(repoRoot, requests, concurrency);
    let done = 0;
    const results = await inPool(jobs, concurrency, async (job) => {
      const index = jobs.indexOf(job);
      let rendered: Rendered[];
      if (job.alone) rendered = [await renderSingle(repoRoot, job.requests[0], join(work, `single-${index}`))];
      else {
        try {
          rendered = await renderBatch(repoRoot, job.requests, join(work, `batch-${index}`));
        } catch {
          // one broken Application fails the whole batch: render each alone so the error names it
          rendered = await inPool(job.requests, concurrency, (request) =>
            renderSingle(repoRoot, request, join(work, `retry-${index}`)),
          );
        }
      }
      options.onProgress?.(++done, jobs.length);
      return rendered;
    });
    const byApplication = new Map(results.flat().map((result) => [result.request.application, result]));
    return requests.map((request) => byApplication.get(request.application)!);
  });
}
