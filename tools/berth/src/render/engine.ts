// Renders Applications with helm: many at once through a scratch umbrella chart, one by one when that cannot be exact.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BerthError } from '../errors';
import { nextTurn } from '../util/next-turn';
import { withScratchDir } from '../util/scratch';
import { readHelmValues } from '../util/yaml-read';
import { runHelm } from '../helm/run';
import { mergeValues, type Values } from '../util/values-merge';
import { helmTemplateArgs } from './argo-rules';
import { hoistableLibraries, readChartInfo, stageChart, templateDefines, templateFacts } from './stage';
import { splitBySubchart } from './split';
import { checkValuesSchema } from './values-schema';
import { explainHelmFailure } from './helm-errors';
import type { ResolvedRequest } from './revisions';
import type { RenderSession } from './session';

export interface Rendered {
  request: ResolvedRequest;
  /** Multi-document YAML exactly as `helm template` prints it for this Application alone. */
  manifest: string;
}

export const BATCH_CHART = 'berth-batch';

/** Reads a request's value files (each parsed once per session): a missing or broken file is an error that names the Application. */
export function userValues(session: RenderSession, request: ResolvedRequest): Values {
  let values: Values = {};
  for (const file of request.valueFiles) {
    session.assertInside(file);
    const text = session.text(join(session.root, file));
    if (text === undefined) {
      throw new BerthError(`names the value file ${file}, which does not exist.`, {
        file: request.manifest,
        field: 'spec.sources[].helm.valueFiles',
        fix: `create ${file} (nx g berth:service writes one per environment) or run \`npx nx sync\`.`,
      });
    }
    values = mergeValues(
      values,
      session.parsedValues.get(text, () => readHelmValues(text, file) as Values),
    );
  }
  return request.extraValues ? mergeValues(values, request.extraValues) : values;
}

interface Batch {
  requests: ResolvedRequest[];
  releases: Set<string>;
  /** Library charts loaded once at the batch's top, by name. */
  libraries: Map<string, string>;
  /** Template names the batch's own charts define, and those its libraries define. */
  defines: Set<string>;
  libraryDefines: Set<string>;
}

const meets = (names: Set<string>, others: Set<string>) => [...names].some((name) => others.has(name));

/**
 * Requests that can share one helm process: same helm binary and flags, distinct charts named as their release, and no
 * template name defined twice. Template names are global to a helm render, so a chart that defines a name
 * another chart (or a shared library) also defines would change the other's output: it renders alone.
 * Each batch keeps sets of what it holds, so placing a request costs the same in a batch of ten or of a thousand.
 */
export function batchGroups(
  session: RenderSession,
  requests: readonly ResolvedRequest[],
): { batches: ResolvedRequest[][]; singles: ResolvedRequest[] } {
  const batches = new Map<string, Batch[]>();
  const singles: ResolvedRequest[] = [];
  for (const request of requests) {
    // a third-party chart defines template names berth does not know in advance: it renders alone, as Argo CD would
    if (request.chart || request.thirdParty.length) {
      singles.push(request);
      continue;
    }
    const libraries = hoistableLibraries(session, request.chartDir);
    const defines = templateDefines(session, request.chartDir);
    const libraryDefines = new Set(libraries.flatMap((library) => [...templateDefines(session, library.dir)]));
    // a release named unlike its chart could be read by templates; a chart overriding its library's templates changes them for all
    if (
      readChartInfo(session.charts, request.chartDir).name !== request.releaseName ||
      meets(defines, libraryDefines)
    ) {
      singles.push(request);
      continue;
    }
    const key = JSON.stringify([
      request.helm.path, // one helm process renders a batch: environments on different Argo CDs never share one
      request.revision,
      request.namespace,
      request.kubeVersion,
      request.apiVersions,
      request.includeCrds,
      request.skipTests,
    ]);
    const candidates = batches.get(key) ?? [];
    const fits = (batch: Batch) =>
      !batch.releases.has(request.releaseName) &&
      libraries.every((library) => (batch.libraries.get(library.name) ?? library.dir) === library.dir) &&
      !meets(defines, batch.defines) &&
      !meets(defines, batch.libraryDefines) &&
      !meets(libraryDefines, batch.defines);
    let batch = candidates.find(fits);
    if (!batch)
      candidates.push(
        (batch = {
          requests: [],
          releases: new Set(),
          libraries: new Map(),
          defines: new Set(),
          libraryDefines: new Set(),
        }),
      );
    batch.requests.push(request);
    batch.releases.add(request.releaseName);
    for (const library of libraries) batch.libraries.set(library.name, library.dir);
    for (const name of defines) batch.defines.add(name);
    for (const name of libraryDefines) batch.libraryDefines.add(name);
    batches.set(key, candidates);
  }
  return { batches: [...batches.values()].flat().map((batch) => batch.requests), singles };
}

export interface BatchLayout {
  /**
   * Declare every subchart in the umbrella's Chart.yaml even where helm's output does not need it (see
   * declaresSubcharts): helm lint requires it of every chart under charts/.
   */
  declareAll?: boolean;
}

/**
 * Whether the umbrella must declare its subcharts as dependencies for `helm template` to render them as they render
 * alone. Declared, helm processes each subchart's own dependencies (conditions, tags, aliases of the charts staged
 * beneath it, and the enabled flags templates see in .Chart.Dependencies), and to do so copies every value of the batch
 * once per subchart: time that grows with the square of the batch. A subchart whose dependencies are all hoisted
 * libraries has nothing beneath it to process, so undeclared it renders alike, and its chart defaults of null
 * coalesce as in a render of its own (declared, helm drops them); only a template reading .Chart.Dependencies could tell.
 */
function declaresSubcharts(
  session: RenderSession,
  group: readonly ResolvedRequest[],
  libraries: { dir: string }[],
  hoisted: Set<string>,
): boolean {
  // stageChart skips a hoisted library under a request's chart; a library's own dependencies are staged beneath it
  const stagedBeneath = (dir: string, skipped: Set<string>) =>
    readChartInfo(session.charts, dir).dependencies.some(
      (dependency) => !skipped.has(dependency.name) || dependency.alias,
    );
  const charts = [
    ...group.map((request) => ({ dir: request.chartDir, skipped: hoisted })),
    ...libraries.map((library) => ({ dir: library.dir, skipped: new Set<string>() })),
  ];
  return charts.some(
    ({ dir, skipped }) => stagedBeneath(dir, skipped) || templateFacts(session, dir).seesChartDependencies,
  );
}

export interface StagedBatch {
  umbrella: string;
  valuesFile: string;
  /** Rejects when helm would refuse a request's values (the staged charts leave their schemas out): see checkValuesSchema. */
  checkValues: () => Promise<void>;
}

/**
 * Lays out a scratch umbrella chart holding each request's chart as a subchart, with their values under their names.
 * The values are checked against each chart's schema by checkValues, which a render runs while helm does.
 */
export async function stageBatch(
  session: RenderSession,
  group: readonly ResolvedRequest[],
  work: string,
  layout: BatchLayout = {},
): Promise<StagedBatch> {
  const umbrella = join(work, BATCH_CHART);
  mkdirSync(join(umbrella, 'charts'), { recursive: true });
  mkdirSync(join(umbrella, 'templates'));
  const values: Values = {};
  // one chart alone keeps its libraries where they are, exactly as Argo CD would see it
  const libraries = new Map(
    group.length > 1
      ? group
          .flatMap((request) => hoistableLibraries(session, request.chartDir))
          .map((library) => [library.name, library])
      : [],
  );
  const hoisted = new Set(libraries.keys());
  const dependencies: { name: string; version: string }[] = [];
  for (const request of group) {
    // helm keys a subchart's values by its chart name (the release name, in a batch)
    const name = readChartInfo(session.charts, request.chartDir).name;
    const chart = stageChart(session, request.chartDir, join(umbrella, 'charts', name), {
      withoutSchema: true,
      hoisted,
    });
    values[name] = userValues(session, request);
    dependencies.push({ name: chart.name, version: chart.version });
    await nextTurn();
  }
  for (const library of libraries.values()) {
    stageChart(session, library.dir, join(umbrella, 'charts', library.name), { withoutSchema: true });
    dependencies.push({ name: library.name, version: library.version });
  }
  const declared =
    layout.declareAll || declaresSubcharts(session, group, [...libraries.values()], hoisted) ? { dependencies } : {};
  writeFileSync(
    join(umbrella, 'Chart.yaml'),
    JSON.stringify({ apiVersion: 'v2', name: BATCH_CHART, version: '0.0.0', ...declared }),
  );
  writeFileSync(join(umbrella, 'values.yaml'), '{}\n');
  // JSON is YAML to helm, and far quicker to write than YAML
  const valuesFile = join(work, 'values.json');
  writeFileSync(valuesFile, JSON.stringify(values));
  const checkValues = async () => {
    for (const request of group) {
      checkValuesSchema(session, request, values[readChartInfo(session.charts, request.chartDir).name] as Values);
      await nextTurn();
    }
  };
  return { umbrella, valuesFile, checkValues };
}

/**
 * Renders a staged batch. While helm does, once no other worker waits for its batch to be laid out (`unblocked`), the
 * values are checked (the first check compiles the schemas) and then `meanwhile` runs.
 */
async function renderBatch(
  group: ResolvedRequest[],
  batch: StagedBatch,
  unblocked: () => Promise<void>,
  meanwhile: () => Promise<void>,
): Promise<Rendered[]> {
  const rendering = runHelm(
    helmTemplateArgs({ ...group[0], releaseName: BATCH_CHART }, batch.umbrella, [batch.valuesFile]),
    {
      helm: group[0].helm,
    },
  );
  const ended = rendering.catch(() => undefined); // a failure is awaited below, not left unhandled meanwhile
  try {
    await unblocked();
    await batch.checkValues();
    await meanwhile();
  } catch (error) {
    await ended; // helm reads the scratch folder the caller removes
    throw error;
  }
  const output = await rendering;
  const byChart = splitBySubchart(output);
  return group.map((request) => ({ request, manifest: byChart.get(request.releaseName) ?? '' }));
}

/** Renders one Application exactly as Argo CD's repo-server would. */
export async function renderSingle(session: RenderSession, request: ResolvedRequest, work: string): Promise<Rendered> {
  userValues(session, request); // surfaces a missing value file with the Application's name
  let chartDir = request.chartDir;
  // a third-party chart is templated where berth's cache unpacked it, as Argo CD templates the chart it pulled
  if (!request.chart) {
    chartDir = join(work, request.application, readChartInfo(session.charts, request.chartDir).name);
    stageChart(session, request.chartDir, chartDir);
  }
  mkdirSync(join(work, request.application), { recursive: true });
  let extraValuesFile: string | undefined;
  if (request.extraValues) {
    extraValuesFile = join(work, request.application, 'values-object.yaml');
    writeFileSync(extraValuesFile, JSON.stringify(request.extraValues)); // JSON: YAML that no reader takes for another type
  }
  const valueFiles = request.valueFiles.map((file) => join(session.root, file));
  const manifest = await runHelm(helmTemplateArgs(request, chartDir, valueFiles, extraValuesFile), {
    context: `${request.manifest} (Application ${request.application})`,
    helm: request.helm,
  }).catch((error) => {
    throw explainHelmFailure(session, request, error);
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
  /** Called with each helm process's Applications as it ends, so the caller works on them while helm renders others. */
  onRendered?: (rendered: Rendered[]) => void;
  /** Called with a job's requests just before they are laid out for helm, which then reads their files. */
  onStaging?: (requests: readonly ResolvedRequest[]) => void;
}

/**
 * The most Applications one helm process renders. An umbrella that declares its subcharts costs helm time growing with
 * the square of the charts in it (900 services x 3 environments: 43 s in batches of 450, 22 s in batches of 64; see
 * declaresSubcharts), and even undeclared a process holds its whole batch in memory, so bigger platforms get more
 * processes of this size rather than bigger ones.
 */
export const MAX_BATCH = 64;

/**
 * The helm processes a set of requests needs: batches cut small enough to keep every core busy (each helm process
 * costs only its start-up) and at most MAX_BATCH large, then one process for each request that must render alone.
 */
export interface Job {
  requests: ResolvedRequest[];
  /** A request that must render on its own (see batchGroups), exactly as Argo CD would. */
  alone: boolean;
}

/** Charts per helm process: three batches a core keep every core busy, at least 8 and at most MAX_BATCH. */
export const batchSize = (count: number, concurrency: number): number =>
  Math.min(MAX_BATCH, Math.max(8, Math.ceil(count / (concurrency * 3))));

export function plannedJobs(session: RenderSession, requests: readonly ResolvedRequest[], concurrency: number): Job[] {
  const { batches, singles } = batchGroups(session, requests);
  const size = batchSize(requests.length, concurrency);
  const chunks = batches.flatMap((group) =>
    Array.from({ length: Math.ceil(group.length / size) }, (_, index) => group.slice(index * size, (index + 1) * size)),
  );
  return [
    ...chunks.map((chunk) => ({ requests: chunk, alone: false })),
    ...singles.map((request) => ({ requests: [request], alone: true })),
  ];
}

export async function renderRequests(
  session: RenderSession,
  requests: readonly ResolvedRequest[],
  options: RenderOptions = {},
): Promise<Rendered[]> {
  const concurrency = options.concurrency ?? 2;
  return withScratchDir('berth-render-', async (work) => {
    const jobs = plannedJobs(session, requests, concurrency);
    // the next batch is laid out while helm renders the ones before it, so a helm process that ends is followed at once
    const taken = new Set<number>();
    const ahead = new Map<number, Promise<StagedBatch | { failed: unknown }>>();
    const stage = (index: number) => {
      options.onStaging?.(jobs[index].requests);
      return stageBatch(session, jobs[index].requests, join(work, `batch-${index}`)).catch((error: unknown) => ({
        failed: error, // thrown when the job runs: its requests then render alone, naming the culprit
      }));
    };
    // laying out a batch a worker waits for comes first
    let waiting = 0;
    const unblocked = async () => {
      while (waiting > 0) await nextTurn();
    };
    const stageNext = async () => {
      const index = jobs.findIndex((job, at) => !job.alone && !taken.has(at) && !ahead.has(at));
      if (index >= 0) await ahead.set(index, stage(index)).get(index);
    };
    // the first batch alone, so its helm starts before the others are laid out
    const first = jobs.findIndex((job) => !job.alone);
    if (first >= 0) await ahead.set(first, stage(first)).get(first);
    let done = 0;
    const results = await inPool(jobs, concurrency, async (job) => {
      const index = jobs.indexOf(job);
      taken.add(index);
      let rendered: Rendered[];
      if (job.alone) {
        options.onStaging?.(job.requests);
        rendered = [await renderSingle(session, job.requests[0], join(work, `single-${index}`))];
      } else {
        try {
          waiting += 1;
          const batch = await (ahead.get(index) ?? stage(index)).finally(() => (waiting -= 1));
          if ('failed' in batch) throw batch.failed;
          rendered = await renderBatch(job.requests, batch, unblocked, stageNext);
          // helm has read it: its scratch goes now, while the others render, not all at the end
          rmSync(join(work, `batch-${index}`), { recursive: true, force: true });
        } catch {
          // one broken Application fails the whole batch: render each alone so the error names it
          rendered = await inPool(job.requests, concurrency, (request) =>
            renderSingle(session, request, join(work, `retry-${index}`)),
          );
        }
      }
      options.onRendered?.(rendered);
      options.onProgress?.(++done, jobs.length);
      return rendered;
    });
    const byApplication = new Map(results.flat().map((result) => [result.request.application, result]));
    return requests.map((request) => byApplication.get(request.application)!);
  });
}
