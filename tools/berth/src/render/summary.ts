// What a person wants to see of a rendered Application: workload kind, replicas, image, object count.
import { readDocuments } from '../util/yaml-read';

export interface RenderSummary {
  workload: string;
  replicas: string;
  image: string;
  objects: number;
}

export function parseObjects(manifest: string): Record<string, any>[] {
  return readDocuments(manifest);
}

const WORKLOADS = ['Deployment', 'StatefulSet', 'CronJob'];
const field = (document: string, pattern: RegExp) => pattern.exec(document)?.[1];

/**
 * Reads the summary off helm's output line by line rather than parsing YAML: helm prints every object
 * with top-level keys at column 0 and spec fields indented by two, and a full parse of hundreds of
 * manifests would cost more than rendering them.
 */
export function summarize(manifest: string): RenderSummary {
  const documents = manifest.split(/^---\s*$/m).filter((document) => /^kind: /m.test(document));
  const workload = documents.find((document) => WORKLOADS.includes(field(document, /^kind: (\S+)/m) ?? ''));
  const autoscaler = documents.find((document) => /^kind: HorizontalPodAutoscaler$/m.test(document));
  let replicas = '-';
  if (autoscaler)
    replicas = `${field(autoscaler, /^ {2}minReplicas: (\d+)/m) ?? 1}-${field(autoscaler, /^ {2}maxReplicas: (\d+)/m) ?? '?'}`;
  else if (workload && !/^kind: CronJob$/m.test(workload)) replicas = field(workload, /^ {2}replicas: (\d+)/m) ?? '1';
  return {
    workload: workload
      ? field(workload, /^kind: (\S+)/m)!
      : documents.length
        ? field(documents[0], /^kind: (\S+)/m)!
        : '-',
    replicas,
    image: workload ? (field(workload, /^\s+image: "?([^"\s]+)"?\s*$/m) ?? '-') : '-',
    objects: documents.length,
  };
}
