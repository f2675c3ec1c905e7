// How far an environment is behind the one it promotes from, counted in the source's releases: pure.
import type { Release } from '../history/timeline';

export interface Drift {
  /** Distinct versions the source deployed after the one the target runs; 0 in step; null when it cannot be counted. */
  behind: number | null;
  /** The target runs a version the source never ran (by its history and its overlay). */
  diverged: boolean;
  /** The versions differ but the source has no recorded release to count with (a repository new to berth). */
  unrecorded: boolean;
}

export const NO_DRIFT: Drift = { behind: null, diverged: false, unrecorded: false };

/**
 * The versions an environment ran, each once at its last time, oldest first: every release's version and the one it
 * replaced (`from` also names versions no record brought, such as the first one), then the overlay's, which is the
 * truth even when no record brought it (a hand edit).
 */
export function versionsRun(releases: Release[], current: string): string[] {
  const ran: string[] = [];
  for (const release of releases) {
    if (release.from) ran.push(release.from);
    ran.push(release.version);
  }
  ran.push(current);
  // keep each version's last occurrence only
  const last = new Map<string, number>();
  ran.forEach((version, index) => last.set(version, index));
  return [...last].sort((a, b) => a[1] - b[1]).map(([version]) => version);
}

/** `sourceReleases` oldest first (timeline()); the two versions from the overlays. */
export function driftFrom(
  sourceReleases: Release[],
  sourceVersion: string | undefined,
  targetVersion: string | undefined,
): Drift {
  if (!sourceVersion || !targetVersion) return NO_DRIFT;
  if (sourceVersion === targetVersion) return { behind: 0, diverged: false, unrecorded: false };
  const ran = versionsRun(sourceReleases, sourceVersion);
  const position = ran.indexOf(targetVersion);
  // without a single recorded release, "never ran there" would be a guess: say the versions differ, nothing more
  if (position === -1)
    return sourceReleases.length === 0
      ? { behind: null, diverged: false, unrecorded: true }
      : { behind: null, diverged: true, unrecorded: false };
  return { behind: ran.length - 1 - position, diverged: false, unrecorded: false };
}

/**
 * Since when the source has run something newer than `targetVersion`: the date it last moved away from it (a rollback
 * back to it and away again counts at its last time). `sourceSince` dates the source's overlay, which moved on by hand
 * when it differs from its last release. Null when the target is not behind (in step, diverged, or nothing to count).
 */
export function behindSince(
  sourceReleases: Release[],
  sourceVersion: string | undefined,
  sourceSince: string | null,
  targetVersion: string | undefined,
): string | null {
  const { behind } = driftFrom(sourceReleases, sourceVersion, targetVersion);
  if (!behind) return null;
  let running: string | undefined;
  let left: string | null = null;
  for (const release of sourceReleases) {
    // a release whose `from` is the target's version left it, even when a hand edit brought that version in between
    if ((running === targetVersion || release.from === targetVersion) && release.version !== targetVersion)
      left = release.date;
    running = release.version;
  }
  // the overlay differs from the last release: a hand edit moved on from it
  if (running !== sourceVersion && running === targetVersion) left = sourceSince;
  return left;
}
