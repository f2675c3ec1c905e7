// A service's versions in one environment over time, read from the Berth-* records of the history: pure.
import type { ChangeRecord } from '../git/trailers';
import type { HistoryCommit } from './log';

export interface Release {
  version: string;
  action: ChangeRecord['action'];
  from?: string;
  digest?: string;
  sourceEnv?: string;
  chartRevision?: string;
  reason?: string;
  sha: string;
  date: string;
  author: string;
  /**
   * Not a change berth recorded but what ran before the first one it recorded there (read from the overlay in that
   * commit's parent): `sha` is the parent, `action` the first recorded change's.
   */
  ranBefore?: boolean;
}

/** Oldest first: every recorded change of `service` in `env` that set a version (bumps, promotions, rollbacks, pins at a version). */
export function timeline(history: HistoryCommit[], service: string, env: string): Release[] {
  const releases: Release[] = [];
  for (const commit of [...history].reverse()) {
    for (const record of commit.records) {
      if (record.service !== service || record.env !== env || !record.to || record.action === 'unpin') continue;
      if (record.dependency) continue; // a service chart's dependency moved, not what the service runs
      releases.push({
        version: record.to,
        action: record.action,
        from: record.from,
        digest: record.digest,
        sourceEnv: record.sourceEnv,
        chartRevision: record.chartRevision,
        reason: record.reason,
        sha: commit.sha,
        date: commit.date,
        author: commit.author,
      });
    }
  }
  return releases;
}

/** The distinct versions that ran, oldest first, with the commit that brought each one last. */
export function distinctVersions(releases: Release[]): Release[] {
  const latest = new Map<string, Release>();
  for (const release of releases) {
    latest.delete(release.version);
    latest.set(release.version, release);
  }
  return [...latest.values()];
}
