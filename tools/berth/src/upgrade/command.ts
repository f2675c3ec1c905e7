// `berth upgrade`: applies the upgrade plan to a clean repository and records it as one commit.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BerthError } from '../errors';
import { git, tryGit } from '../git/run';
import { installedAssets, type Assets } from '../new/assets';
import { writeFileAtomic } from '../util/fs';
import { diskFiles } from '../workspace/files';
import { planUpgrade, type UpgradePlan } from './plan';

export interface UpgradeOptions {
  root: string;
  dryRun?: boolean;
  /** What the installed berth ships (tests pass another). */
  assets?: Assets;
}

export interface UpgradeReport extends Omit<UpgradePlan, 'changes'> {
  berthVersion: string;
  /** Every file written or removed, sorted. */
  files: string[];
  /** The commit made; absent when nothing changed or on a dry run. */
  commit?: string;
}

export function upgradeMessage(version: string, plan: UpgradePlan): string {
  const lines = [
    plan.library ? `Library chart ${plan.library.name} ${plan.library.from} -> ${plan.library.to}.` : undefined,
    ...plan.services.map(
      (service) =>
        `charts/${service.name}: depends on ${plan.libraryChart.name} ${plan.libraryChart.version}, version ${service.from} -> ${service.to}.`,
    ),
    plan.derived.length ? `Derived files regenerated (nx sync): ${plan.derived.length}.` : undefined,
  ].filter(Boolean);
  return `chore: upgrade to berth ${version}\n\n${lines.join('\n')}\n`;
}

export async function upgrade(options: UpgradeOptions): Promise<UpgradeReport> {
  const assets = options.assets ?? installedAssets();
  const plan = planUpgrade(diskFiles(options.root), assets);
  const files = [...plan.changes.keys()].sort();
  const report: UpgradeReport = {
    berthVersion: assets.berthVersion,
    libraryChart: plan.libraryChart,
    library: plan.library,
    services: plan.services,
    derived: plan.derived,
    files,
  };
  if (files.length === 0 || options.dryRun) return report;

  const inside = await tryGit(options.root, ['rev-parse', '--is-inside-work-tree']);
  if (inside.exitCode !== 0)
    throw new BerthError(`${options.root} is not a git repository, so the upgrade cannot be one commit.`, {
      fix: 'run berth upgrade at the root of the GitOps repository.',
      cause: inside.failure,
    });
  const dirty = (await git(options.root, ['status', '--porcelain', '--', ...files])).trimEnd();
  if (dirty) {
    throw new BerthError(`files the upgrade changes have uncommitted changes:\n${dirty}`, {
      fix: 'commit or stash them first, so the upgrade is a commit of its own; nothing was written.',
    });
  }
  for (const [path, content] of plan.changes) {
    if (content === null) rmSync(join(options.root, path), { force: true });
    else writeFileAtomic(join(options.root, path), content);
  }
  await git(options.root, ['add', '--all', '--', ...files]);
  await git(options.root, [
    'commit',
    '--quiet',
    '--no-verify',
    '-m',
    upgradeMessage(assets.berthVersion, plan),
    '--',
    ...files,
  ]);
  return { ...report, commit: (await git(options.root, ['rev-parse', 'HEAD'])).trim() };
}
