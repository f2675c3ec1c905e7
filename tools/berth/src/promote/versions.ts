// Compares what two environments run (image tag, digest, chart revision): same, or older by semantic version.
import { compare } from 'semver';
import { readVersion } from '../policy/version';
import type { DeployedVersion } from '../workspace/overlay';

/** The same image and the same charts: promoting it again would change nothing. */
export function sameDeployment(a: DeployedVersion, b: DeployedVersion): boolean {
  return (
    a.tag === b.tag && (a.digest ?? '') === (b.digest ?? '') && (a.chartRevision ?? '') === (b.chartRevision ?? '')
  );
}

/**
 * Whether moving from `current` to `next` goes back to an older version. Tags are read the lenient way image updates
 * read them (v1.2, 1.4); when either tag names no version (latest, a git sha) there is no order, so it is not a downgrade.
 * Build metadata does not order versions (semver's compare), so 1.0.0+b -> 1.0.0+a is not one either.
 */
export function isDowngrade(current: string, next: string): boolean {
  const [from, to] = [readVersion(current), readVersion(next)];
  return from !== null && to !== null && compare(to, from) < 0;
}

export const shortSha = (sha: string) => sha.slice(0, 12);

/** A chart revision as reports show it: the short commit, or the branch it follows. */
export function describeChart(version: DeployedVersion, branch: string): string {
  return version.chartRevision ? shortSha(version.chartRevision) : branch;
}
