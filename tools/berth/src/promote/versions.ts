// Compares what two environments run (image tag, digest, chart revision): same, or older by semantic version.
import { compare } from 'semver';
import type { DeployedVersion } from '../image-update/writeback';
import { readVersion } from '../policy/version';

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

/** `1.4.3`, `1.4.3@sha256:0a1b2c3d4e5f`: how reports name an image version. */
export function describeImage(version: DeployedVersion): string {
  if (!version.tag) return '(none)';
  return version.digest ? `${version.tag}@${version.digest.slice(0, 19)}` : version.tag;
}

/** A chart revision as reports show it: the short commit, or the branch it follows. */
export function describeChart(version: DeployedVersion, branch: string): string {
  return version.chartRevision ? shortSha(version.chartRevision) : branch;
}
