// Which version a rollback returns to, from the history's Berth-* records: pure, so tests read as tables.
import { BerthError } from '../errors';
import type { Release } from '../history/timeline';
import type { ImageVersion } from '../workspace/overlay';

/**
 * The releases that put a version into the environment, oldest first: bumps, promotions, and pins that moved it.
 * Rollbacks are left out, so rolling back twice goes further back instead of returning to where it came from.
 */
export function deployments(releases: Release[]): Release[] {
  return releases.filter(
    (release) =>
      release.action === 'bump' ||
      release.action === 'promote' ||
      (release.action === 'pin' && release.from !== release.version),
  );
}

/** A version is its tag, and its digest when one was recorded (a mutable tag followed by digest). */
const key = (tag: string, digest?: string) => `${tag}@${digest ?? ''}`;

export function versionsThatRan(deployed: Release[]): string[] {
  return [...new Set(deployed.map((release) => release.version))];
}

export interface RollbackTarget {
  service: string;
  env: string;
}

/**
 * `requested` undefined: the version deployed before the one running now (1.0 -> 1.1 -> 1.2 running: 1.1). When the
 * running version has no record (edited by hand), the last recorded version that differs from it.
 * `requested` set: the last deployment of that tag; refused when it never ran there or runs now.
 * `before`: what ran before the first recorded deployment (its commit's parent), the last step back: so the first
 * promotion of a service into an environment can be rolled back like any later one.
 */
export function chooseRollback(
  deployed: Release[],
  current: ImageVersion,
  where: RollbackTarget,
  requested?: string,
  before?: Release,
): Release {
  const running = key(current.tag, current.digest);
  const ran = versionsThatRan(deployed);
  const earlier = before?.version && deployed.length ? before : undefined;
  const listed =
    (ran.length ? ran.join(', ') : 'none recorded') + ')' + (earlier ? `; before those it ran ${earlier.version}` : '');
  if (requested !== undefined) {
    const chosen =
      deployed.filter((release) => release.version === requested).pop() ??
      (earlier?.version === requested ? earlier : undefined);
    if (!chosen) {
      throw new BerthError(
        `${where.service} never ran ${requested} in ${where.env} (versions deployed there by berth, oldest first: ${listed}.`,
        {
          fix: 'pass one of those to --to; berth reads them from the Berth-* trailers of the history, so a clone needs the full history (git fetch --unshallow).',
        },
      );
    }
    if (key(chosen.version, chosen.digest) === running) {
      throw new BerthError(`${where.service} already runs ${requested} in ${where.env}: nothing to roll back.`, {
        fix: `to hold it there, run berth pin ${where.service} --env ${where.env}.`,
      });
    }
    return chosen;
  }
  let index = deployed.map((release) => key(release.version, release.digest)).lastIndexOf(running);
  // running what ran before the first record (rolled back there): nothing recorded lies further back
  if (index === -1) index = earlier && key(earlier.version, earlier.digest) === running ? 0 : deployed.length;
  for (let back = index - 1; back >= 0; back--) {
    if (key(deployed[back].version, deployed[back].digest) !== running) return deployed[back];
  }
  if (earlier && key(earlier.version, earlier.digest) !== running) return earlier;
  throw new BerthError(
    `${where.service} has no version before ${current.tag || '(none)'} in ${where.env}'s history (versions deployed there by berth: ${listed}.`,
    {
      fix: 'name one with --to, or pin the version you want with berth pin --version.',
    },
  );
}
