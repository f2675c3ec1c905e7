// Argo CD sync waves from app.yaml dependencies: a service syncs one wave after the last thing it depends on.
import type { Service } from '../workspace/model';

/** Wave of the cluster-level Application; services start after it. */
export const CLUSTER_BASE_WAVE = 0;

export function syncWaves(services: Service[]): Map<string, number> {
  const byName = new Map(services.map((service) => [service.name, service]));
  const waves = new Map<string, number>();
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
