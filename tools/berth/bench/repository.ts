// The bench workspace as a GitOps repository: committed, pushed to a bare remote, then given months of release history.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../src/git/run';
import { writeSyntheticHistory } from '../test/status/synthetic-history';

/**
 * The bare remote lives inside the workspace (ignored by git), so removing the workspace removes it too, also when the
 * bench is interrupted.
 */
const REMOTE = '.bench-remote';

/** Puts the workspace under git, with everything committed and pushed to a bare remote (origin); returns the remote's path. */
export async function publishWorkspace(root: string): Promise<string> {
  const remote = join(root, REMOTE);
  mkdirSync(remote);
  await git(remote, ['init', '--quiet', '--bare', '-b', 'main']);
  appendFileSync(join(root, '.gitignore'), `\n# bench scratch\n.bench-naive/\n${REMOTE}/\n`);
  await git(root, ['init', '--quiet', '-b', 'main']);
  await git(root, ['config', 'user.email', 'bench@example.com']);
  await git(root, ['config', 'user.name', 'berth bench']);
  await git(root, ['config', 'commit.gpgsign', 'false']);
  await git(root, ['add', '-A']);
  await git(root, ['commit', '--quiet', '--no-verify', '-m', 'bench workspace']);
  await git(root, ['remote', 'add', 'origin', remote]);
  await git(root, ['push', '--quiet', '-u', 'origin', 'main']);
  return remote;
}

export interface ReleaseHistory {
  /** Commits added, and how many the branch has in all. */
  added: number;
  total: number;
  seconds: number;
  head: string;
}

/**
 * `commits` berth-style release commits on main (overlay edits with Berth-* trailers: dev bumps each time, stage
 * promotes every 3rd release of a service, prod every 5th), written with one `git fast-import` and pushed, so the
 * commands that read history (status, rollback) and compare with the remote (diff) have a realistic repository.
 */
export async function addReleaseHistory(root: string, services: string[], commits: number): Promise<ReleaseHistory> {
  const started = performance.now();
  writeSyntheticHistory(root, services, commits);
  await git(root, ['push', '--quiet', 'origin', 'main']);
  const total = Number((await git(root, ['rev-list', '--count', 'HEAD'])).trim());
  return {
    added: commits,
    total,
    seconds: (performance.now() - started) / 1000,
    head: (await git(root, ['rev-parse', 'HEAD'])).trim(),
  };
}
