// Files of a commit on disk without a checkout: `git archive <revision> <path> | tar -x`, which touches neither the
// index nor the working tree, so it runs beside anything the user is doing.
import { mkdirSync } from 'node:fs';
import { BerthError } from '../errors';
import { tryGitPiped } from './run';

/**
 * Writes `path` (a folder or file of the repository) as it is in `revision` under `target`, at the same relative
 * path (`charts` lands in `<target>/charts`). A failure of either program is a BerthError naming the pipeline,
 * with git's (or else tar's) words and that program's error as `cause`.
 */
export async function extractTree(repoRoot: string, revision: string, path: string, target: string): Promise<void> {
  // a revision is read before `--`: one that starts with a dash would be an option of git archive (--output=...)
  if (revision.startsWith('-')) {
    throw new BerthError(`"${revision}" is not a revision: it starts with a dash.`, {
      fix: 'name a commit id, a branch or a tag.',
    });
  }
  mkdirSync(target, { recursive: true });
  const args = ['archive', '--format=tar', revision, '--', path];
  const pipeline = `git ${args.join(' ')} | tar -x -C ${target}`;
  const done = await tryGitPiped(repoRoot, args, ['tar', '-x', '-C', target]);
  // git first: when it fails, tar's complaint ("does not look like a tar archive") only follows from it
  if (done.git.exitCode !== 0) {
    throw new BerthError(
      `${pipeline} failed in ${repoRoot}: git exited with ${done.git.exitCode}.\n${done.git.stderr.trim()}`,
      {
        fix: `check that ${revision} is a commit of this clone (git fetch) and that it has ${path}.`,
        cause: done.git.failure,
      },
    );
  }
  if (done.into.failure) {
    throw new BerthError(
      `${pipeline} failed in ${repoRoot}: tar exited with ${done.into.exitCode}.\n${done.into.failure.stderr}`,
      {
        fix: `check that ${target} can be written (free space, permissions).`,
        cause: done.into.failure,
      },
    );
  }
}
