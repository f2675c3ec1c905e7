// `berth new`: checks the options, builds the repository beside its target, commits it, then moves it into place.
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BerthError } from '../errors';
import { git, tryGit } from '../git/run';
import { installedAssets, type Assets } from './assets';
import { normalizeNewOptions, type NewOptions, type NewRepository } from './options';
import { planRepository } from './plan';

export interface NewResult {
  repo: NewRepository;
  files: string[];
  commit: string;
  berthVersion: string;
}

export const commitSubject = (version: string) => `chore: new GitOps repository by berth ${version}`;

export async function createRepository(options: NewOptions, assets: Assets = installedAssets()): Promise<NewResult> {
  const repo = normalizeNewOptions(options);
  const files = planRepository(repo, assets);

  // build it in a sibling folder and rename it into place, so a failure leaves nothing behind
  const createdParent = mkdirSync(dirname(repo.dir), { recursive: true });
  const staging = join(dirname(repo.dir), `.${basename(repo.dir)}.berth-new-${process.pid}`);
  try {
    for (const [path, content] of files) {
      mkdirSync(dirname(join(staging, path)), { recursive: true });
      writeFileSync(join(staging, path), content);
    }
    await git(staging, ['init', '--quiet', '--initial-branch=main']);
    await checkIdentity(staging);
    await git(staging, ['add', '--all']);
    await git(staging, ['commit', '--quiet', '--no-verify', '-m', commitSubject(assets.berthVersion)]);
    const commit = (await git(staging, ['rev-parse', 'HEAD'])).trim();
    // into an empty target folder entry by entry, so a shell standing in it (berth new .) sees the files
    try {
      if (existsSync(repo.dir)) {
        if (readdirSync(repo.dir).length > 0) throw new Error('it is no longer empty');
        for (const entry of readdirSync(staging)) renameSync(join(staging, entry), join(repo.dir, entry));
        rmdirSync(staging);
      } else {
        renameSync(staging, repo.dir);
      }
    } catch (error) {
      throw new BerthError(`could not move the new repository into ${repo.dir}: ${(error as Error).message}`, {
        fix: 'name a new or empty folder and run berth new again.',
        cause: error,
      });
    }
    return { repo, files: [...files.keys()].sort(), commit, berthVersion: assets.berthVersion };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (createdParent) rmSync(createdParent, { recursive: true, force: true });
    throw error;
  }
}

/** git refuses to commit without a name and e-mail; say so before the first commit, not in git's words after it. */
async function checkIdentity(cwd: string): Promise<void> {
  const ident = await tryGit(cwd, ['var', 'GIT_COMMITTER_IDENT']);
  if (ident.exitCode !== 0) {
    throw new BerthError('git does not know who you are, so it cannot make the first commit.', {
      fix: 'run git config --global user.name "Your Name" and git config --global user.email you@example.com, then berth new again.',
      cause: ident.failure,
    });
  }
}
