// What a person wants to see of a rendered Application: workload kind, replicas, image, object count.
import { parseAllDocuments } from 'yaml';

export interface RenderSummary {
  workload: string;
  replicas: string;
  image: string;
  objects: number;
}

export function parseObjects(manifest: string): Record<string, any>[] {
  return parseAllDocuments(manifest)
    .map((document) => document.toJS())
    .filter((object) => object && typeof object === 'object');
}

export function summarize(objects: Record<string, any>[]): RenderSummary {
  const workload = objects.find((object) => object.kind === 'Deployment' || object.kind === 'StatefulSet');
  const autoscaler = objects.find((object) => object.kind === 'HorizontalPodAutoscaler');
  const replicas = autoscaler
    ? `${autoscaler.spec?.minReplicas ?? 1}-${autoscaler.spec?.maxReplicas}`
    : workload ? String(workload.spec?.replicas ?? 1) : '-';
  return {
    workload: workload?.kind ?? objects.map((object) => object.kind).filter(Boolean).slice(0, 1).join() ?? '-',
    replicas,
    image: workload?.spec?.template?.spec?.containers?.[0]?.image ?? '-',
    objects: objects.length,
  };
}
