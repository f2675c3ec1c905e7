// Add-on Applications whose inputs differ between the two sides but whose upstream chart berth cannot render here:
// diff names them (and the chart versions on each side) instead of failing or staying silent.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diskFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import { isAddon, paths } from '../workspace/model';
import { readOverlayIfPresent } from '../workspace/overlay';
import { applicationName } from '../workspace/names';

export interface UnrenderedAddon {
  environment: string;
  application: string;
  service: string;
  /** The chart version on each side (null where the Application is not there). */
  before: string | null;
  after: string | null;
  chart: string;
}

interface AddonInputs {
  key: string;
  chartVersion: string | null;
  chart: string;
}

/** environment/addon -> what its objects depend on here: the Application manifest and the overlay (its value file). */
function addonInputs(root: string): Map<string, AddonInputs> {
  const result = new Map<string, AddonInputs>();
  if (!existsSync(join(root, paths.settings))) return result;
  const files = diskFiles(root);
  const workspace = loadWorkspace(files);
  for (const addon of workspace.services.filter(isAddon))
    for (const env of addon.environments) {
      const manifest = join(root, paths.application(env, addon.name));
      if (!existsSync(manifest)) continue;
      const overlay = files.read(paths.overlay(env, addon.name)) ?? '';
      const key = createHash('sha256').update(readFileSync(manifest)).update('\0').update(overlay).digest('hex');
      const chartVersion = readOverlayIfPresent(files, env, addon.name)?.version.chartVersion ?? null;
      result.set(`${env}/${addon.name}`, {
        key,
        chartVersion,
        chart: `${addon.addon.chart.name} from ${addon.addon.chart.repo}`,
      });
    }
  return result;
}

/**
 * The add-on Applications that changed but rendered on neither side here (their chart is not cached and cannot be
 * fetched); an add-on whose chart is at hand renders, and diff compares its objects like any other's.
 */
export function unrenderedAddonChanges(
  baseRoot: string,
  headRoot: string,
  environments: string[],
  rendered: Set<string>,
): UnrenderedAddon[] {
  const [before, after] = [addonInputs(baseRoot), addonInputs(headRoot)];
  const ids = [...new Set([...before.keys(), ...after.keys()])].sort();
  return ids.flatMap((id) => {
    const [environment, service] = id.split('/');
    const application = applicationName(environment, service);
    if (!environments.includes(environment) || rendered.has(`${environment}/${application}`)) return [];
    const [old, current] = [before.get(id), after.get(id)];
    if (old?.key === current?.key) return [];
    return [
      {
        environment,
        application,
        service,
        before: old?.chartVersion ?? null,
        after: current?.chartVersion ?? null,
        chart: (current ?? old)!.chart,
      },
    ];
  });
}
