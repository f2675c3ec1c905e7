// Works out a promotion in one checkout: what each service runs where, what moves, the files and the commit message.
import { join } from 'node:path';
import { derivedChanges } from '../argocd/derived-changes';
import { BerthError } from '../errors';
import { berthSubject } from '../git/honest-message';
import { tryGit } from '../git/run';
import { commitMessage, type ChangeRecord } from '../git/trailers';
import { createLimiter } from '../registry/limiter';
import { writeFileAtomic } from '../util/fs';
import { diskFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import { isAddon, paths, type BerthSettings } from '../workspace/model';
import { readOverlay, writeDeployedVersion, type DeployedVersion } from '../workspace/overlay';
import { lastChartCommit } from './chart-revision';
import { decidePromotion, type PromotionDecision } from './decide';
import { resolveRequest, type PromotionRequest, type RequestOptions } from './request';
import { shortSha } from './versions';

export interface PlanOptions extends RequestOptions {
  allowDowngrade?: boolean;
}

export interface Plan {
  request: PromotionRequest;
  decisions: PromotionDecision[];
  promoted: PromotionDecision[];
  /** Every file the commit writes (overlays and the Argo CD Applications they change), path -> content. */
  changes: Map<string, string>;
  subject: string;
  message: string;
  /** One Berth-* block per promoted service, as in `message`. */
  records: ChangeRecord[];
  settings: BerthSettings;
}

/** Explicitly named services that cannot move are an error naming each one, and nothing is written. */
function refuse(request: PromotionRequest, decisions: PromotionDecision[]): void {
  const refused = decisions.filter((decision) => decision.status === 'pinned' || decision.status === 'downgrade');
  if (!refused.length) return;
  const { target, source } = request;
  const errors = refused.map((decision) =>
    decision.status === 'pinned'
      ? new BerthError(
          `${decision.service} is pinned in ${target.name} at ${decision.pin?.version ?? decision.from.tag}${decision.pin?.reason ? ` (${decision.pin.reason})` : ''}, so it is not promoted.`,
          {
            file: paths.app(decision.service),
            field: `pins.${target.name}`,
            fix: `when it may move again, release it with \`berth unpin ${decision.service} --env ${target.name}\`, then promote.`,
          },
        )
      : new BerthError(
          `${target.name} runs ${decision.service} ${decision.from.tag}, newer than ${source.name}'s ${decision.to!.tag}: promoting would downgrade it.`,
          {
            file: paths.overlay(target.name, decision.service),
            field: decision.from.chartVersion !== undefined ? 'berth.chartVersion' : 'image.tag',
            fix: 'pass --allow-downgrade if going back is what you want (berth rollback returns to a version that ran there and pins it).',
          },
        ),
  );
  if (errors.length === 1) throw errors[0];
  throw new BerthError(
    `${errors.length} of the services named cannot be promoted:\n${errors.map((error) => `  ${error.message.replace(/\n/g, '\n    ')}`).join('\n')}`,
    {
      fix: 'resolve each as shown, or promote the others alone.',
    },
  );
}

const record = (request: PromotionRequest, decision: PromotionDecision): ChangeRecord => ({
  service: decision.service,
  env: request.target.name,
  action: 'promote',
  from: decision.from.tag,
  to: decision.to!.tag,
  digest: decision.to!.digest,
  sourceEnv: request.source.name,
  chartRevision: decision.to!.chartRevision,
  ...(decision.to!.chartVersion !== undefined ? { kind: 'chart' as const } : {}),
});

/** Reads the workspace in `dir` once and works out the promotion from it; writes nothing. */
export async function planPromotion(dir: string, options: PlanOptions): Promise<Plan> {
  const files = diskFiles(dir);
  const workspace = loadWorkspace(files);
  const request = resolveRequest(workspace, options);
  const { source, target } = request;
  const limiter = createLimiter(8);
  const decisions = await Promise.all(
    request.services.map((service) =>
      limiter.run(async () => {
        const current = readOverlay(files, target.name, service.name).version;
        let offered: DeployedVersion | undefined;
        if (service.environments.includes(source.name)) {
          const { path, version } = readOverlay(files, source.name, service.name);
          const field = isAddon(service) ? 'berth.chartVersion' : 'image.tag';
          if (!version.tag)
            throw new BerthError(`has no ${field}, so there is no version to promote.`, {
              file: path,
              field,
              fix: `set it (berth image-update or berth pin ${service.name} --env ${source.name} --version V).`,
            });
          if (options.version !== undefined && version.tag !== options.version) {
            throw new BerthError(
              `${source.name} runs ${service.name} ${version.tag}, not ${options.version}: only what ${source.name} runs can be promoted from it.`,
              {
                file: path,
                field,
                fix: `promote ${version.tag} (drop --version), or bring ${options.version} to ${source.name} first.`,
              },
            );
          }
          // an environment that follows the branch runs the charts of the last commit that changed them; an add-on's
          // chart comes from its repository at the version its overlay names, so that version is all there is
          offered = isAddon(service)
            ? version
            : { ...version, chartRevision: version.chartRevision ?? (await lastChartCommit(dir, files, service.name)) };
        }
        return decidePromotion({
          service: service.name,
          sourceEnv: source.name,
          targetEnv: target.name,
          source: offered,
          target: current,
          pin: service.pins[target.name],
          allowDowngrade: options.allowDowngrade,
        });
      }),
    ),
  );
  if (request.explicit) refuse(request, decisions);
  const promoted = decisions.filter((decision) => decision.status === 'promote');
  const changes = new Map<string, string>();
  for (const decision of promoted) {
    const { path, text } = readOverlay(files, target.name, decision.service);
    changes.set(
      path,
      writeDeployedVersion(text, path, {
        tag: decision.to!.tag,
        digest: decision.to!.digest ?? null,
        chartRevision: decision.to!.chartRevision,
      }),
    );
  }
  for (const [path, content] of derivedChanges(files, changes, workspace)) changes.set(path, content);
  const records = promoted.map((decision) => record(request, decision));
  // the one subject grammar of berth's commits; a plan that promotes nothing makes no commit
  const subject = berthSubject(records) ?? `chore(${target.name}): promote nothing from ${request.source.name}`;
  return {
    request,
    decisions,
    promoted,
    changes,
    subject,
    message: commitMessage(subject, records),
    records,
    settings: workspace.settings,
  };
}

/**
 * A chart revision must already be on the remote: Argo CD fetches it from there, and a local commit's id changes when
 * a push rebases it. Checked against the remote-tracking branch, so no network is needed.
 */
export async function checkChartsPublished(
  dir: string,
  remote: string,
  branch: string,
  promoted: PromotionDecision[],
): Promise<void> {
  const tracking = `refs/remotes/${remote}/${branch}`;
  if ((await tryGit(dir, ['rev-parse', '--verify', '--quiet', tracking])).exitCode !== 0) return;
  for (const decision of promoted) {
    // an add-on's chart is fetched from its own repository, not from a commit of this one
    if (decision.to!.chartRevision === undefined) continue;
    const revision = decision.to!.chartRevision;
    const check = await tryGit(dir, ['merge-base', '--is-ancestor', revision, tracking]);
    if (check.exitCode === 0) continue;
    throw new BerthError(
      check.exitCode === 1
        ? `${decision.service} would deploy the charts of ${shortSha(revision)}, which is not on ${remote}/${branch} yet: Argo CD could not fetch it, and a rebase would change its id.`
        : `${decision.service} would deploy the charts of ${revision}, which this clone does not have.`,
      {
        file: paths.chart(decision.service),
        fix:
          check.exitCode === 1
            ? `push that commit first (git push ${remote} ${branch}), then promote.`
            : 'run git fetch (a shallow clone lacks older commits: --unshallow), then promote.',
        cause: check.failure,
      },
    );
  }
}

export function writeChanges(dir: string, changes: Map<string, string>): void {
  for (const [path, content] of changes) writeFileAtomic(join(dir, path), content);
}
