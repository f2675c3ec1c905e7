// `berth rollback`: returns a service to a version that ran before (image, digest, chart revision) and pins it there,
// in one commit, so neither image updates nor promotions move it until `berth unpin`.
import { derivedChanges } from '../argocd/derived-changes';
import { tryGit } from '../git/run';
import { commitMessage } from '../git/trailers';
import { transact, type Transaction } from '../git/transact';
import { readHistory } from '../history/log';
import { timeline, type Release } from '../history/timeline';
import { diskFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import { serviceIn } from '../workspace/lookup';
import { paths, type Pin } from '../workspace/model';
import { readDeployedVersion, readOverlay, writeDeployedVersion, type DeployedVersion } from '../workspace/overlay';
import { editPin, newPin } from '../workspace/pins';
import { lastChartCommit } from '../promote/chart-revision';
import { chooseRollback, deployments, versionsThatRan } from './choose';

export interface RollbackOptions {
  root: string;
  service: string;
  env: string;
  /** A version that ran there; default: the one before the version running now. */
  to?: string;
  push?: boolean;
  remote?: string;
  /** The moment recorded as the pin's `since`; a parameter so tests are repeatable. */
  now?: Date;
}

export interface RollbackResult {
  service: string;
  env: string;
  from: DeployedVersion;
  to: DeployedVersion;
  pin: Pin;
  /** The release that deployed the version returned to. */
  deployedBy: Release;
  /** Versions deployed there by berth, oldest first. */
  versions: string[];
}

/** The version as the overlay held it right after `sha`; undefined when the file cannot be read there. */
async function deployedAt(root: string, sha: string, overlay: string): Promise<DeployedVersion | undefined> {
  const show = await tryGit(root, ['show', `${sha}:${overlay}`]);
  if (show.exitCode !== 0) return undefined;
  return readDeployedVersion(show.stdout, `${overlay} at ${sha.slice(0, 12)}`);
}

/**
 * What ran before the first deployment berth recorded there: the overlay in that commit's parent. Undefined when the
 * overlay did not exist yet or named no version.
 */
async function versionBefore(root: string, first: Release | undefined, overlay: string): Promise<Release | undefined> {
  if (!first) return undefined;
  const parent = await tryGit(root, ['rev-parse', '--verify', '--quiet', `${first.sha}^`]);
  if (parent.exitCode !== 0) return undefined;
  const sha = parent.stdout.trim();
  const version = await deployedAt(root, sha, overlay);
  if (!version?.tag) return undefined;
  return {
    version: version.tag,
    digest: version.digest,
    chartRevision: version.chartRevision,
    action: first.action,
    sha,
    date: first.date,
    author: first.author,
    ranBefore: true,
  };
}

export function rollback(options: RollbackOptions): Promise<Transaction<RollbackResult>> {
  const { root, env } = options;
  return transact<RollbackResult>(root, options, async () => {
    const files = diskFiles(root);
    const workspace = loadWorkspace(files);
    const { service } = serviceIn(workspace, options.service, env, 'roll it back');
    const { path: overlay, text: overlayText, version: current } = readOverlay(files, env, service.name);

    const deployed = deployments(timeline(await readHistory(root, [overlay]), service.name, env));
    const chosen = chooseRollback(
      deployed,
      current,
      { service: service.name, env },
      options.to,
      await versionBefore(root, deployed[0], overlay),
    );
    // the overlay at the deploying commit is the whole version: tag, digest and the charts it ran with
    const restored = (await deployedAt(root, chosen.sha, overlay)) ?? {
      tag: chosen.version,
      digest: chosen.digest,
      chartRevision: chosen.chartRevision,
    };
    // an environment that pins its charts and then followed the branch ran the charts the branch had at that commit
    if (!restored.chartRevision && current.chartRevision)
      restored.chartRevision = await lastChartCommit(root, files, service.name, chosen.sha);
    const reason = `rolled back from ${current.tag || '(none)'}`;
    const pin = newPin(restored.tag, reason, options.now ?? new Date());

    const app = paths.app(service.name);
    const changes = new Map<string, string>([
      [
        overlay,
        writeDeployedVersion(overlayText, overlay, {
          tag: restored.tag,
          digest: restored.digest ?? null,
          chartRevision: restored.chartRevision ?? null,
        }),
      ],
      [app, editPin(files.read(app)!, env, pin)],
    ]);
    for (const [path, content] of derivedChanges(files, changes)) changes.set(path, content);
    const message = commitMessage(`fix(${env}): roll back ${service.name} to ${restored.tag}`, [
      {
        service: service.name,
        env,
        action: 'rollback',
        from: current.tag,
        to: restored.tag,
        digest: restored.digest,
        chartRevision: restored.chartRevision,
        reason,
        ...(restored.chartVersion !== undefined ? { kind: 'chart' as const } : {}),
      },
    ]);
    return {
      result: {
        service: service.name,
        env,
        from: current,
        to: restored,
        pin,
        deployedBy: chosen,
        versions: versionsThatRan(deployed),
      },
      commits: [{ writes: changes, message }],
    };
  });
}
