// `berth diff`: renders the Applications a change affects, at the base revision and in the working tree, and compares them.
import { resolve } from 'node:path';
import { BerthError } from '../errors';
import { diskFiles } from '../workspace/files';
import { loadSettings } from '../workspace/load';
import { render } from '../render/command';
import type { RenderSession } from '../render/session';
import { withScratchDir } from '../util/scratch';
import { affectedApplications } from './affected';
import { checkoutRevision, resolveBase, type BaseRevision } from './checkout';
import { directoryObjects } from './directory';
import { unrenderedAddonChanges } from './unrendered';
import { applicationId, checkoutInputs, type ApplicationInputs, type CheckoutInputs } from './inputs';
import { compareObjects, isEmpty } from './objects';
import type { ApplicationDiff, DiffReport } from './types';

export interface DiffOptions {
  root: string;
  /** The revision to compare with; default: the merge-base of HEAD with the branch Argo CD follows (see checkout.ts). */
  base?: string;
  environments?: string[];
  onProgress?: (done: number, total: number) => void;
}

type Objects = Map<string, Record<string, any>[]>;

/** Errors from the base side say so: the file they name is the base revision's, not the one on disk. */
async function onBase<T>(base: BaseRevision, work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof BerthError)) throw error;
    throw new BerthError(`(in the base revision ${base.commit.slice(0, 12)}, ${base.reason}) ${error.problem}`, {
      file: error.file,
      field: error.field,
      fix: error.fix ?? 'fix it there, or compare with another revision (--base).',
      cause: error,
    });
  }
}

/** Sums the progress of several renders running side by side. */
function combinedProgress(report?: (done: number, total: number) => void) {
  const parts = new Map<string, [number, number]>();
  return (part: string) =>
    report &&
    ((done: number, total: number) => {
      parts.set(part, [done, total]);
      const sums = [...parts.values()].reduce(([d, t], [pd, pt]) => [d + pd, t + pt], [0, 0]);
      report(sums[0], sums[1]);
    });
}

/**
 * Renders exactly `applications` with `render()`, in one call, into a scratch folder; returns their objects by id.
 * `session` is the checkout's, which checkoutInputs loaded: its requests are rendered as they are, not looked up again.
 */
async function objectsOf(
  root: string,
  session: RenderSession | undefined,
  applications: ApplicationInputs[],
  unavailable: Set<string>,
  progress?: (done: number, total: number) => void,
): Promise<Objects> {
  const objects: Objects = new Map();
  const requests = [];
  for (const inputs of applications) {
    const id = applicationId(inputs.environment, inputs.application);
    if ('directory' in inputs.source) objects.set(id, directoryObjects(root, inputs.source.directory));
    else requests.push(inputs.source.helm);
  }
  if (!session || !requests.length) return objects;
  const resolved = await session.resolve(requests);
  await withScratchDir('berth-diff-render-', async (out) => {
    for (const rendered of await render(session, resolved, { out, onProgress: progress })) {
      const id = applicationId(rendered.environment, rendered.application);
      // a chart not at hand renders nothing: comparing nothing with nothing would hide the change
      if (rendered.unavailable) unavailable.add(id);
      else objects.set(id, rendered.documents());
    }
  });
  return objects;
}

function selectEnvironments(before: CheckoutInputs, after: CheckoutInputs, selection: string[] = []): string[] {
  const known = [...new Set([...after.environments, ...before.environments])];
  for (const env of selection) {
    if (!known.includes(env))
      throw new BerthError(`"${env}" is not an environment at either revision.`, {
        field: '--env',
        fix: `use one of: ${known.join(', ')}.`,
      });
  }
  return selection.length ? known.filter((env) => selection.includes(env)) : known;
}

export async function diff(options: DiffOptions): Promise<DiffReport> {
  const root = resolve(options.root);
  let started = performance.now();
  const lap = () => {
    const elapsed = Math.round(performance.now() - started);
    started = performance.now();
    return elapsed;
  };
  const base = await resolveBase(root, loadSettings(diskFiles(root)).revision, options.base);
  const checkout = await checkoutRevision(root, base.commit);
  try {
    const timings = { checkout: lap(), hash: 0, render: 0, compare: 0 };
    const before = await onBase(base, () => checkoutInputs(checkout.root));
    const after = checkoutInputs(root);
    const environments = selectEnvironments(before, after, options.environments);
    const affected = affectedApplications(before.applications, after.applications, environments);
    const inSelection = [...before.applications.values(), ...after.applications.values()].filter((inputs) =>
      environments.includes(inputs.environment),
    );
    const count = (list: ApplicationInputs[]) =>
      new Set(list.map((inputs) => applicationId(inputs.environment, inputs.application))).size;
    // as render and validate count: one Application per service per environment; root Applications apart
    const compared = count(inSelection.filter((inputs) => 'helm' in inputs.source));
    const roots = count(inSelection.filter((inputs) => 'directory' in inputs.source));
    timings.hash = lap();

    const progress = combinedProgress(options.onProgress);
    const unavailable = new Set<string>();
    const [old, current] = await Promise.all([
      onBase(base, () =>
        objectsOf(
          checkout.root,
          before.session,
          affected.flatMap((app) => (app.before ? [app.before] : [])),
          unavailable,
          progress('base'),
        ),
      ),
      objectsOf(
        root,
        after.session,
        affected.flatMap((app) => (app.after ? [app.after] : [])),
        unavailable,
        progress('head'),
      ),
    ]);
    timings.render = lap();

    const applications: ApplicationDiff[] = affected
      .filter((app) => !unavailable.has(app.id))
      .map((app) => ({
        environment: app.environment,
        application: app.application,
        ...(app.service ? { service: app.service } : {}),
        status: app.status,
        ...compareObjects(old.get(app.id) ?? [], current.get(app.id) ?? []),
      }))
      .filter((app) => !isEmpty(app))
      .sort(
        (a, b) =>
          environments.indexOf(a.environment) - environments.indexOf(b.environment) ||
          a.application.localeCompare(b.application),
      );
    timings.compare = lap();
    const renderedIds = new Set(
      inSelection
        .filter((inputs) => 'helm' in inputs.source)
        .map((inputs) => applicationId(inputs.environment, inputs.application))
        .filter((id) => !unavailable.has(id)),
    );
    const unrendered = unrenderedAddonChanges(checkout.root, root, environments, renderedIds);
    return {
      ...(unrendered.length ? { unrendered } : {}),
      base,
      head: 'working tree',
      environments,
      compared,
      roots,
      rendered: affected.length,
      applications,
      timings,
    };
  } finally {
    await checkout.remove();
  }
}
