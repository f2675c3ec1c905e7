// Adds services to a workspace with the real `nx g berth:service` generator, run in-process, then one `nx sync`.
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { serviceGenerator } from '../src/nx/generators/service/generator';
import { applyDerivedFiles } from '../src/nx/sync/generator';
import type { ServiceGeneratorSchema } from '../src/nx/generators/service/schema';

export interface SynthesisPlan {
  count: number;
  /** Every n-th service is stateful (5: a fifth of them). */
  statefulEvery: number;
  /** Every n-th stateless service gets an Ingress path. */
  ingressEvery: number;
}

export const DEFAULT_PLAN: SynthesisPlan = { count: 100, statefulEvery: 5, ingressEvery: 2 };

const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
/** Ingress hosts the synthetic services share; the path keeps each host/path unique. */
const HOSTS = ['api', 'shop', 'admin'];

/** Generator options for the synthetic services: pure, so the bench always builds the same platform. */
export function syntheticServices(plan: SynthesisPlan = DEFAULT_PLAN): ServiceGeneratorSchema[] {
  const services: ServiceGeneratorSchema[] = [];
  let lastStateful: string | undefined;
  for (let index = 0; index < plan.count; index++) {
    const number = String(index + 1).padStart(3, '0');
    if (index % plan.statefulEvery === 0) {
      const name = `store-${number}`;
      services.push({
        name,
        kind: 'stateful',
        image: `${REGISTRY}/bench/${name}`,
        tag: '1.0.0',
        port: 5432,
        storage: `${10 + (index % 4) * 10}Gi`,
        owner: 'team-data',
      });
      lastStateful = name;
      continue;
    }
    const name = `svc-${number}`;
    const ingress = index % plan.ingressEvery === 1;
    services.push({
      name,
      image: `${REGISTRY}/bench/${name}`,
      tag: `1.${index % 7}.0`,
      port: 8080 + (index % 3),
      ...(ingress ? { ingressHost: HOSTS[index % HOSTS.length], ingressPath: `/${name}` } : {}),
      // every other stateless service uses the store made just before it (a sync wave each)
      ...(index % 2 === 0 && lastStateful ? { dependsOn: lastStateful } : {}),
      owner: `team-${index % 4}`,
    });
  }
  return services;
}

/**
 * Services written to disk per Nx tree: a tree answers "which files are under apps/" by scanning all its pending
 * changes, so one tree for 1000 services would make each call slower than the last.
 */
const FLUSH_EVERY = 50;

/**
 * Runs the generator once per service with skipSync, flushing to disk every FLUSH_EVERY services, then the sync
 * generator once (as `nx sync` after a batch): each call costs the same however many services exist.
 * Returns how many files were written.
 */
export async function synthesizeServices(root: string, services: ServiceGeneratorSchema[]): Promise<number> {
  let written = 0;
  const flush = (tree: FsTree) => {
    const changes = tree.listChanges();
    flushChanges(root, changes);
    written += changes.length;
  };
  for (let start = 0; start < services.length; start += FLUSH_EVERY) {
    const tree = new FsTree(root, false, 'berth bench');
    for (const options of services.slice(start, start + FLUSH_EVERY))
      await serviceGenerator(tree, { ...options, skipSync: true });
    flush(tree);
  }
  const tree = new FsTree(root, false, 'berth bench sync');
  applyDerivedFiles(tree);
  flush(tree);
  return written;
}
