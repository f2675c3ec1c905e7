// `berth image-update`: asks the registries, writes new versions into the overlays, commits, and pushes safely.
import { transact, type PlannedCommit } from '../git/transact';
import { commitMessage, type ChangeRecord } from '../git/trailers';
import { policyNeedsCreationTime } from '../policy';
import { parseImageRepository, registryFor, type ImageTag, type RegistryClient } from '../registry';
import { diskFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import { decide, type Decision } from './decide';
import { unifiedDiff } from './diff';
import { findTargets, type Target } from './targets';
import { writeImageVersion } from './writeback';
import { plural } from '../util/plural';

export interface ImageUpdateOptions {
  root: string;
  environments?: string[];
  services?: string[];
  dryRun?: boolean;
  push?: boolean;
  commitPerService?: boolean;
  remote?: string;
  /** For tests and embedding: how to reach a repository's registry. */
  registry?: (repository: string) => RegistryClient;
}

export interface ImageUpdateReport {
  decisions: Decision[];
  commits: string[];
  diff: string;
  pushed: boolean;
}

/**
 * One client per registry host, shared by its repositories: a client per repository sets up its SDK client, credentials
 * and connections again each time (100 repositories on one ECR: 100 TCP connections, about 0.5 s more a pass).
 */
function clientPerHost(): (repository: string) => RegistryClient {
  const clients = new Map<string, RegistryClient>();
  return (repository) => {
    const host = parseImageRepository(repository).registry;
    let client = clients.get(host);
    if (!client) clients.set(host, (client = registryFor(repository)));
    return client;
  };
}

/** Registry answers for one run: each repository is listed once, however many environments deploy it. */
class RegistryView {
  private readonly tags = new Map<string, Promise<ImageTag[]>>();
  private readonly digests = new Map<string, Promise<string>>();

  constructor(private readonly clientFor: (repository: string) => RegistryClient) {}

  listTags(repository: string): Promise<ImageTag[]> {
    if (!this.tags.has(repository)) this.tags.set(repository, this.clientFor(repository).listTags(repository));
    return this.tags.get(repository)!;
  }

  digestOf(repository: string, tag: string): Promise<string> {
    const key = `${repository}:${tag}`;
    if (!this.digests.has(key)) this.digests.set(key, this.clientFor(repository).digestOf(repository, tag));
    return this.digests.get(key)!;
  }

  /** Fills in creation times the listing lacked, only for policies that order by them. */
  async withCreationTimes(repository: string, tags: ImageTag[]): Promise<ImageTag[]> {
    const client = this.clientFor(repository);
    return Promise.all(tags.map(async (tag) => (tag.created ? tag : { ...tag, created: await client.createdAt(repository, tag.tag) })));
  }
}

async function decideTarget(target: Target, registry: RegistryView): Promise<Decision> {
  if (target.pin) return decide(target, []);
  let tags = await registry.listTags(target.repository);
  if (policyNeedsCreationTime(target.policy) && tags.some((tag) => !tag.created)) tags = await registry.withCreationTimes(target.repository, tags);
  const digest = target.policy.strategy === 'digest' && target.policy.tag ? await registry.digestOf(target.repository, target.policy.tag) : undefined;
  return decide(target, tags, digest);
}

function subject(env: string, updates: Decision[]): string {
  if (updates.length === 1) return `chore(${env}): bump ${updates[0].target.service.name} to ${updates[0].next!.tag}`;
  return `chore(${env}): bump ${plural(updates.length, 'image')}`;
}

const record = (decision: Decision): ChangeRecord => ({
  service: decision.target.service.name,
  env: decision.target.env.name,
  action: 'bump',
  from: decision.target.current.tag,
  to: decision.next!.tag,
  digest: decision.next!.digest,
});

/** The new overlays, in one commit per environment (or per service). */
function plannedUpdates(updates: Decision[], perService: boolean): PlannedCommit[] {
  const byEnv = new Map<string, Decision[]>();
  for (const update of updates) byEnv.set(update.target.env.name, [...(byEnv.get(update.target.env.name) ?? []), update]);
  const commits: PlannedCommit[] = [];
  for (const [env, decisions] of byEnv) {
    for (const group of perService ? decisions.map((decision) => [decision]) : [decisions]) {
      const writes = new Map(group.map(({ target, next }) => [target.overlay, writeImageVersion(target.overlayText, target.overlay, { tag: next!.tag, digest: next!.digest })]));
      commits.push({ writes, message: commitMessage(subject(env, group), group.map(record)) });
    }
  }
  return commits;
}

async function inspect(options: ImageUpdateOptions, registry: RegistryView): Promise<Decision[]> {
  const files = diskFiles(options.root);
  const targets = findTargets(files, loadWorkspace(files), options);
  return Promise.all(targets.map((target) => decideTarget(target, registry)));
}

export async function imageUpdate(options: ImageUpdateOptions): Promise<ImageUpdateReport> {
  const registry = new RegistryView(options.registry ?? clientPerHost());
  if (options.dryRun) {
    const decisions = await inspect(options, registry);
    const updates = decisions.filter((decision) => decision.status === 'update');
    const diffs = await Promise.all(updates.map((update) => unifiedDiff(update.target.overlay, update.target.overlayText, writeImageVersion(update.target.overlayText, update.target.overlay, update.next!))));
    return { decisions, commits: [], diff: diffs.join(''), pushed: false };
  }
  const transaction = await transact(options.root, options, async () => {
    const decisions = await inspect(options, registry);
    const updates = decisions.filter((decision) => decision.status === 'update');
    return { result: decisions, commits: plannedUpdates(updates, Boolean(options.commitPerService)) };
  });
  return { decisions: transaction.result, commits: transaction.commits, diff: '', pushed: transaction.pushed };
}
