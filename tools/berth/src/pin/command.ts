// `berth pin` / `berth unpin`: hold a service at a version in one environment, as a commit everyone sees: committed,
// pushed, or proposed as a pull request where the environment takes changes that way (env.yaml promotion.mode: pr).
import { derivedChanges } from '../argocd/derived-changes';
import { BerthError } from '../errors';
import { secretsInText } from '../secrets/detect';
import { transact, type Transaction } from '../git/transact';
import { commitMessage } from '../git/trailers';
import { refSafe } from '../promote/branch';
import type { OpenedPullRequest } from '../promote/github';
import { modeFromFlags } from '../promote/mode';
import { proposeChange, type Proposed } from '../promote/proposal';
import { diskFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import { serviceIn } from '../workspace/lookup';
import { isAddon, paths, type Environment, type Service } from '../workspace/model';
import { isPinnedTag, readOverlayOrEmpty, writeDeployedVersion } from '../workspace/overlay';
import { editPin, newPin } from '../workspace/pins';
import { checkVersionExists, type VersionCheck } from './version-check';

export interface PinOptions extends VersionCheck {
  root: string;
  service: string;
  env: string;
  version?: string;
  reason?: string;
  /** true: push; false: commit locally only; undefined: a pull request where env.yaml says promotion.mode: pr, else a local commit. */
  push?: boolean;
  pr?: boolean;
  remote?: string;
  /** The moment recorded as `since`; a parameter so tests are repeatable. */
  now?: Date;
  /** GitHub access for pull requests; defaults to GITHUB_TOKEN and GITHUB_API_URL. */
  github?: { token?: string; apiUrl?: string };
}

/** commit: a local commit; push: pushed to the branch; pr: a branch and a pull request. */
export type PinMode = 'commit' | 'push' | 'pr';

export interface PinResult {
  changed: boolean;
  version: string;
  message: string;
  mode: PinMode;
  /** pr mode: the branch pushed, the branch it merges into, and the request (or the page that opens it). */
  branch?: string;
  base?: string;
  pullRequest?: OpenedPullRequest;
  compareUrl?: string;
}

/** The rule the environment sets for changes to it, unless the command line says otherwise. */
export function pinMode(options: Pick<PinOptions, 'push' | 'pr'>, env: Environment): PinMode {
  // unlike a promotion, a pin in a push-mode environment stays a local commit unless --push says otherwise
  return modeFromFlags(options) ?? (env.promotion.mode === 'pr' ? 'pr' : 'commit');
}

interface PlannedPin {
  result: PinResult;
  writes?: Map<string, string>;
  message?: string;
}

function lookup(dir: string, name: string, env: string, action: string): { service: Service; env: Environment } {
  return serviceIn(loadWorkspace(diskFiles(dir)), name, env, action);
}

async function planPin(dir: string, options: PinOptions, mode: PinMode): Promise<PlannedPin> {
  const { env } = options;
  const secrets = options.reason ? secretsInText(options.reason) : [];
  if (secrets.length) {
    throw new BerthError(
      `holds ${secrets.map((hit) => hit.what).join(', ')}; the reason is written into app.yaml and the commit, where git keeps it forever.`,
      {
        field: '--reason',
        fix: 'say why without the secret (an incident id, a ticket); berth changed nothing.',
      },
    );
  }
  const files = diskFiles(dir);
  const { service } = lookup(dir, options.service, env, 'pin it');
  // an overlay that does not exist yet is created by the pin's write
  const { path: overlay, text: overlayText, version: current } = readOverlayOrEmpty(files, env, service.name);
  const version = options.version ?? current.tag;
  if (!version) throw new BerthError('has no image.tag to pin at.', { file: overlay, fix: 'pass --version.' });
  const record = newPin(version, options.reason, options.now ?? new Date());
  const existing = service.pins[env];
  if (existing && existing.version === version && existing.reason === options.reason && current.tag === version) {
    return {
      result: { changed: false, version, mode, message: `${service.name} is already pinned at ${version} in ${env}` },
    };
  }
  // a version other than the running one must exist, or the pin would hold the service at an image nobody pushed
  if (version !== current.tag) {
    // an add-on's version is a chart version, which this command cannot look up in a chart repository
    if (isAddon(service) && !options.force)
      throw new BerthError(
        `cannot pin ${version}: berth does not ask chart repositories whether a chart version exists.`,
        {
          file: overlay,
          field: 'berth.chartVersion',
          fix: `pass --force when ${service.addon.chart.repo} lists ${service.addon.chart.name} ${version}.`,
        },
      );
    if (!isAddon(service)) await checkVersionExists(files, env, service.name, version, options);
  }
  const app = paths.app(service.name);
  const writes = new Map([[app, editPin(files.read(app)!, env, record)]]);
  // a pin at another version moves the overlay there; a digest of the old version no longer applies
  if (current.tag !== version)
    writes.set(
      overlay,
      writeDeployedVersion(overlayText, overlay, { tag: version, digest: current.digest ? null : undefined }),
    );
  // the Application moves in the same commit: an add-on's names its chart version, a pinned chart's carries its values
  for (const [path, content] of derivedChanges(files, writes)) writes.set(path, content);
  const message = commitMessage(`chore(${env}): pin ${service.name} at ${version}`, [
    {
      service: service.name,
      env,
      action: 'pin',
      from: current.tag,
      to: version,
      reason: options.reason,
      ...(isAddon(service) && current.tag !== version ? { kind: 'chart' as const } : {}),
    },
  ]);
  return {
    result: { changed: true, version, mode, message: `pinned ${service.name} at ${version} in ${env}` },
    writes,
    message,
  };
}

async function planUnpin(dir: string, options: PinOptions, mode: PinMode): Promise<PlannedPin> {
  const { env } = options;
  const { service } = lookup(dir, options.service, env, 'unpin it');
  const existing = service.pins[env];
  if (!existing)
    throw new BerthError(`${service.name} is not pinned in ${env}.`, {
      file: paths.app(service.name),
      field: `pins.${env}`,
      fix: 'nothing to release.',
    });
  const app = paths.app(service.name);
  const writes = new Map([[app, editPin(diskFiles(dir).read(app)!, env, undefined)]]);
  const version = existing.version ?? '';
  const message = commitMessage(`chore(${env}): unpin ${service.name}`, [
    { service: service.name, env, action: 'unpin', from: version },
  ]);
  return {
    result: {
      changed: true,
      version,
      mode,
      message: `unpinned ${service.name} in ${env}; image updates move it again`,
    },
    writes,
    message,
  };
}

function pullRequestBody(options: PinOptions, planned: PlannedPin, unpin: boolean): string {
  const { service, env } = options;
  if (unpin)
    return `Releases the pin on ${service} in ${env} (at ${planned.result.version}): image updates and promotions move it again.\n\nOpened by \`berth unpin\`.`;
  return [
    `Pins ${service} at ${planned.result.version} in ${env}${options.reason ? `: ${options.reason}` : ''}.`,
    '',
    `Until \`berth unpin ${service} --env ${env}\`, image updates and promotions leave it there. Opened by \`berth pin\`; the commit's Berth-* trailers record the change.`,
  ].join('\n');
}

/** Commits, pushes, or proposes the planned pin change by the mode the environment (or the command line) asks for. */
async function apply(
  options: PinOptions,
  plan: (dir: string, mode: PinMode) => Promise<PlannedPin>,
  unpin: boolean,
): Promise<Transaction<PinResult>> {
  const { root } = options;
  const remote = options.remote ?? 'origin';
  const mode = pinMode(options, lookup(root, options.service, options.env, unpin ? 'unpin it' : 'pin it').env);
  if (mode !== 'pr') {
    return transact<PinResult>(root, { push: mode === 'push', remote }, async () => {
      const planned = await plan(root, mode);
      return {
        result: planned.result,
        commits: planned.writes ? [{ writes: planned.writes, message: planned.message! }] : [],
      };
    });
  }
  const report = await proposeChange(
    { root, remote, what: unpin ? 'unpin' : 'pin', github: options.github },
    async (dir): Promise<Proposed<PlannedPin>> => {
      const planned = await plan(dir, mode);
      if (!planned.writes) return { planned };
      const branch = (commit: string) =>
        unpin
          ? `berth/unpin/${options.env}/${options.service}-${commit.slice(0, 8)}`
          : `berth/pin/${options.env}/${options.service}-${refSafe(planned.result.version)}`;
      return {
        planned,
        change: {
          writes: planned.writes,
          message: planned.message!,
          branch,
          title: planned.message!.split('\n')[0],
          body: pullRequestBody(options, planned, unpin),
        },
      };
    },
  );
  const { branch, base, pullRequest, compareUrl } = report;
  const result: PinResult = { ...report.planned.result, branch, base, pullRequest, compareUrl };
  return {
    result,
    commits: report.commit ? [report.commit] : [],
    pushed: Boolean(report.commit),
    carried: [],
    resumed: [],
  };
}

export function pin(options: PinOptions): Promise<Transaction<PinResult>> {
  if (options.version !== undefined && !isPinnedTag(options.version)) {
    throw new BerthError(`--version ${JSON.stringify(options.version)} is not a pinned image tag.`, {
      fix: 'pass a version tag such as 1.4.2.',
    });
  }
  return apply(options, (dir, mode) => planPin(dir, options, mode), false);
}

export function unpin(options: Omit<PinOptions, 'version' | 'reason' | 'force'>): Promise<Transaction<PinResult>> {
  return apply(options, (dir, mode) => planUnpin(dir, options, mode), true);
}
