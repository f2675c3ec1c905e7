// `berth image-update`: asks the registries, writes new versions into the overlays, commits, and pushes safely.
// A registry that fails (unreachable, slow, lying, a repository missing) costs only its own services: every other
// service is decided and bumped, the failed ones reported. Refused credentials stop the pass: nothing is written.
import { BerthError } from '../errors';
import { berthSubject } from '../git/honest-message';
import { transact, type PlannedCommit } from '../git/transact';
import { commitMessage, type ChangeRecord } from '../git/trailers';
import { policyNeedsCreationTime } from '../policy';
import { AccessRefused, parseImageRepository, registryFor, type ImageTag, type RegistryClient } from '../registry';
import { diskFiles, type WorkspaceFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import type { Workspace } from '../workspace/model';
import { writeDeployedVersion } from '../workspace/overlay';
import { decide, type Decision } from './decide';
import { patchOf } from './diff';
import { findTargets, type Target } from './targets';

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

/** A service whose registry did not answer (or refused): not decided, not written. */
export interface RegistryFailure {
  target: Target;
  /** The registry host, e.g. public.ecr.aws or 127.0.0.1:5000. */
  registry: string;
  error: BerthError;
}

export interface ImageUpdateReport {
  /** One per service that was decided; a failed one is in `failures` instead. */
  decisions: Decision[];
  failures: RegistryFailure[];
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
    return Promise.all(
      tags.map(async (tag) => (tag.created ? tag : { ...tag, created: await client.createdAt(repository, tag.tag) })),
    );
  }
}

async function decideTarget(target: Target, registry: RegistryView): Promise<Decision> {
  if (target.pin) return decide(target, []);
  let tags = await registry.listTags(target.repository);
  if (policyNeedsCreationTime(target.policy) && tags.some((tag) => !tag.created))
    tags = await registry.withCreationTimes(target.repository, tags);
  const digest =
    target.policy.strategy === 'digest' && target.policy.tag
      ? await registry.digestOf(target.repository, target.policy.tag)
      : undefined;
  return decide(target, tags, digest);
}

const record = (decision: Decision): ChangeRecord => ({
  service: decision.target.service.name,
  env: decision.target.env.name,
  action: 'bump',
  from: decision.target.current.tag,
  to: decision.next!.tag,
  digest: decision.next!.digest,
});

/**
 * The files a group of updates writes: each overlay with its new version, and the Applications that move with it (a
 * chart pinned at a commit carries its values in its Application, argocd/manifests).
 */
async function updateWrites(inspection: Inspection, group: Decision[]): Promise<Map<string, string>> {
  const writes = new Map(
    group.map(({ target, next }) => [
      target.overlay,
      writeDeployedVersion(target.overlayText, target.overlay, { tag: next!.tag, digest: next!.digest }),
    ]),
  );
  if (writes.size === 0) return writes;
  // loaded only when an overlay changes: a pass that finds nothing new never needs it
  const { derivedChanges } = await import('../argocd/derived-changes');
  for (const [path, content] of derivedChanges(inspection.files, writes, inspection.workspace))
    writes.set(path, content);
  return writes;
}

/** The new overlays, in one commit per environment (or per service). */
async function plannedUpdates(
  inspection: Inspection,
  updates: Decision[],
  perService: boolean,
): Promise<PlannedCommit[]> {
  const byEnv = new Map<string, Decision[]>();
  for (const update of updates)
    byEnv.set(update.target.env.name, [...(byEnv.get(update.target.env.name) ?? []), update]);
  const commits: PlannedCommit[] = [];
  for (const decisions of byEnv.values()) {
    for (const group of perService ? decisions.map((decision) => [decision]) : [decisions]) {
      const records = group.map(record);
      // the subject a rebase would give these bumps, so the two never disagree: chore(<env>): bump <n> images
      commits.push({
        writes: await updateWrites(inspection, group),
        message: commitMessage(berthSubject(records)!, records),
      });
    }
  }
  return commits;
}

interface Inspection {
  decisions: Decision[];
  failures: RegistryFailure[];
  /** The workspace the decisions were made on. */
  files: WorkspaceFiles;
  workspace: Workspace;
}

/** A failure that is the registry's alone; credentials berth may not use, or a bug, stop everything instead. */
const isRegistryFailure = (error: unknown): error is BerthError =>
  error instanceof BerthError && !(error instanceof AccessRefused);

/** Decides every target; a registry's failure is recorded against each of its services and stops nothing else. */
async function inspect(options: ImageUpdateOptions, registry: RegistryView): Promise<Inspection> {
  const files = diskFiles(options.root);
  const workspace = loadWorkspace(files);
  const targets = findTargets(files, workspace, options);
  // a malformed image.repository is the workspace's mistake, not the registry's: refused before anything is asked
  const hosts = new Map(targets.map((target) => [target, registryHost(target)]));
  const outcomes = await Promise.all(
    targets.map((target) =>
      decideTarget(target, registry).then(
        (decision) => ({ decision }),
        (error: unknown) => ({ failure: { target, registry: hosts.get(target)!, error } }),
      ),
    ),
  );
  const fatal = outcomes.find((outcome) => 'failure' in outcome && !isRegistryFailure(outcome.failure.error));
  if (fatal && 'failure' in fatal) throw fatal.failure.error;
  return {
    files,
    workspace,
    decisions: outcomes.flatMap((outcome) => ('decision' in outcome ? [outcome.decision] : [])),
    failures: outcomes.flatMap((outcome) =>
      'failure' in outcome ? [{ ...outcome.failure, error: outcome.failure.error as BerthError }] : [],
    ),
  };
}

function registryHost(target: Target): string {
  try {
    return parseImageRepository(target.repository).registry;
  } catch (error) {
    if (!(error instanceof BerthError)) throw error;
    throw new BerthError(error.problem, {
      file: `charts/${target.service.name}/values.yaml or ${target.overlay}`,
      field: 'image.repository',
      fix: error.fix,
      cause: error,
    });
  }
}

export async function imageUpdate(options: ImageUpdateOptions): Promise<ImageUpdateReport> {
  const registry = new RegistryView(options.registry ?? clientPerHost());
  const updatesOf = (inspection: Inspection) => inspection.decisions.filter((decision) => decision.status === 'update');
  if (options.dryRun) {
    const inspection = await inspect(options, registry);
    const writes = await updateWrites(inspection, updatesOf(inspection));
    const diff = patchOf(
      [...writes].map(([path, after]) => ({ path, before: inspection.files.read(path) ?? '', after })),
    );
    return { decisions: inspection.decisions, failures: inspection.failures, commits: [], diff, pushed: false };
  }
  const transaction = await transact(options.root, options, async () => {
    const inspection = await inspect(options, registry);
    const commits = await plannedUpdates(inspection, updatesOf(inspection), Boolean(options.commitPerService));
    return { result: { decisions: inspection.decisions, failures: inspection.failures }, commits };
  });
  return { ...transaction.result, commits: transaction.commits, diff: '', pushed: transaction.pushed };
}
