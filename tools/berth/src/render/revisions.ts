// Charts at the revision an Application names: stage and prod deploy the charts/ of the commit they were promoted
// with, so they render from that commit's files, unpacked once per commit (a commit never changes).
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BerthError } from '../errors';
import { extractTree } from '../git/archive';
import { tryGit } from '../git/run';
import { COMMIT_ID } from '../workspace/overlay';
import type { HelmBinary } from '../helm/binary';
import type { HelmRequest } from './argo-rules';

/**
 * A request with its chart found: `chartDir` is the working tree's chart when it follows the branch, else the chart in
 * its commit's unpacked charts/. Made once per run by resolveRequests, never changed: every part of render reads it.
 */
export interface ResolvedRequest extends HelmRequest {
  readonly chartDir: string;
  /** The helm the environment's Argo CD renders with (helm/versions.ts), resolved once per run. */
  readonly helm: HelmBinary;
}

const revisionsDir = (repoRoot: string) => join(repoRoot, 'dist', '.revisions');

async function unpack(repoRoot: string, revision: string, request: HelmRequest): Promise<string> {
  const target = join(revisionsDir(repoRoot), revision);
  if (existsSync(target)) return target;
  const exists = await tryGit(repoRoot, ['cat-file', '-e', `${revision}^{commit}`]);
  if (exists.exitCode !== 0) {
    throw new BerthError(`deploys charts from commit ${revision}, which this clone does not have.`, {
      file: request.manifest,
      field: 'spec.sources[].targetRevision',
      fix: 'run `git fetch` (a shallow clone lacks older commits: fetch with --unshallow).',
      cause: exists.failure,
    });
  }
  const partial = `${target}.${process.pid}.partial`;
  mkdirSync(partial, { recursive: true });
  try {
    await extractTree(repoRoot, revision, 'charts', partial);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    const detail = error instanceof BerthError ? error.problem : String(error);
    throw new BerthError(`could not unpack charts/ of ${revision}: ${detail}`, {
      file: request.manifest,
      cause: error,
    });
  }
  try {
    renameSync(partial, target);
  } catch {
    rmSync(partial, { recursive: true, force: true }); // another render unpacked it first
  }
  return target;
}

/**
 * Finds each request's chart: requests on `branch` use the working tree, those pinned to a commit its charts/; and
 * its helm, by environment.
 */
export async function resolveRequests(
  repoRoot: string,
  requests: readonly HelmRequest[],
  branch: string,
  helmFor: (environment: string) => HelmBinary,
): Promise<ResolvedRequest[]> {
  const unpacked = new Map<string, Promise<string>>();
  const resolved: ResolvedRequest[] = [];
  for (const request of requests) {
    let chartRoot = repoRoot;
    if (request.revision !== branch && request.revision !== 'HEAD') {
      if (!COMMIT_ID.test(request.revision)) {
        throw new BerthError(`targets "${request.revision}", which is neither the branch ${branch} nor a commit id.`, {
          file: request.manifest,
          field: 'spec.sources[].targetRevision',
          fix: 'let berth promote set chartRevision in the overlay, then run `npx nx sync`.',
        });
      }
      if (!unpacked.has(request.revision)) unpacked.set(request.revision, unpack(repoRoot, request.revision, request));
      chartRoot = await unpacked.get(request.revision)!;
    }
    resolved.push(
      Object.freeze({ ...request, chartDir: join(chartRoot, request.chartPath), helm: helmFor(request.environment) }),
    );
  }
  return resolved;
}
