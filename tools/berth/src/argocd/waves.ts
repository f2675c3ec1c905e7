// Argo CD sync waves from app.yaml dependencies: add-ons first (negative waves), then cluster-base, then services, each
// one wave after the last thing it depends on.
import { isAddon, type Service } from '../workspace/model';

/** Wave of the cluster-level Application; services start after it, add-ons come before it. */
export const CLUSTER_BASE_WAVE = 0;

export function syncWaves(services: Service[]): Map<string, number> {
  const byName = new Map(services.map((service) => [service.name, service]));
  // an add-on's depth among add-ons: 0 without dependencies, one more than the deepest add-on it depends on
  const depths = new Map<string, number>();
  const depthOf = (name: string): number => {
    const known = depths.get(name);
    if (known !== undefined) return known;
    const dependencies = (byName.get(name)?.dependsOn ?? []).filter((dependency) => byName.get(dependency)?.kind === 'addon');
    const depth = dependencies.length ? 1 + Math.max(...dependencies.map(depthOf)) : 0;
    depths.set(name, depth);
    return depth;
  };
  const addons = services.filter(isAddon);
  for (const addon of addons) depthOf(addon.name);
  const deepest = Math.max(0, ...depths.values());
  // the deepest add-on syncs in wave -1, just before cluster-base; those it waits for before it
  const waves = new Map<string, number>(addons.map((addon) => [addon.name, CLUSTER_BASE_WAVE - 1 - (deepest - depths.get(addon.name)!)]));
  const waveOf = (name: string): number => {
    const known = waves.get(name);
    if (known !== undefined) return known;
    const dependencies = byName.get(name)?.dependsOn ?? [];
    const wave = 1 + Math.max(CLUSTER_BASE_WAVE, ...dependencies.map(waveOf));
    waves.set(name, wave);
    return wave;
  };
  for (const service of services) waveOf(service.name);
  return waves;
}
