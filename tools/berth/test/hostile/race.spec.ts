// Eight writers race on one bare remote, mixing image-update (overlapping sets of services) and promote, against the
// real Distribution registry: no bump is lost, history has no merge commit, and every commit's Berth-* blocks are
// exactly the overlays and versions it changes (a rebased "bump 5 images" whose other writer got there first for some
// of them keeps only the blocks it still earns, or is dropped), so status credits the right commit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseRecords } from '../../src/git/trailers';
import { pushImage, startRegistry, type RunningRegistry } from '../registry/support/registry';
import { berthAsync, git } from '../cli/workspace';
import { platform } from '../promote/support';

const NEWEST: Record<string, string> = {
  'service-a': '2.0.0',
  'service-b': '3.0.0',
  'service-c': '1.0.0',
  postgres: '16.9',
  'berth-image-updater': '9.0.0',
};

const WRITERS: string[][] = [
  ['image-update', '--push'],
  ['image-update', '--push'],
  ['image-update', '--service', 'service-a', '--service', 'service-b', '--push'],
  ['image-update', '--service', 'service-c', '--service', 'postgres', '--push'],
  ['promote', 'service-a', '--to', 'stage', '--push'],
  ['promote', '--all', '--to', 'stage', '--push'],
  ['promote', 'service-b', '--to', 'stage', '--push'],
  ['promote', 'service-c', 'postgres', '--to', 'stage', '--push'],
];

const OVERLAY = /^environments\/[^/]+\/(?!env\.yaml$|values\.yaml$)[^/]+\.yaml$/;

/** image.tag of an overlay at a commit; undefined where the file is absent. */
function tagAt(dir: string, sha: string, path: string): string | undefined {
  try {
    return String(parse(git(dir, 'show', `${sha}:${path}`))?.image?.tag ?? '');
  } catch {
    return undefined;
  }
}

describe('eight racing writers', () => {
  let registry: RunningRegistry;
  beforeAll(async () => {
    registry = await startRegistry();
    for (const [service, tag] of Object.entries(NEWEST))
      await pushImage(registry.url, service, tag, new Date(Date.UTC(2026, 10, 2)));
  });
  afterAll(async () => registry?.stop());

  it(
    'lose no bump, make no merge commit, and credit every change to the commit that makes it',
    { timeout: 300_000 },
    async () => {
      const gitops = platform(registry.host);
      const start = git(gitops.remote, 'rev-parse', 'main');
      const clones = WRITERS.map((_, index) => gitops.clone(`writer-${index}`));
      const runs = await Promise.all(WRITERS.map((args, index) => berthAsync(clones[index], ...args)));
      for (const [index, run] of runs.entries())
        expect(run.status, `${WRITERS[index].join(' ')}\n${run.stdout}\n${run.stderr}`).toBe(0);

      const check = gitops.clone('check');
      expect(git(check, 'rev-list', '--merges', '--count', 'HEAD')).toBe('0');
      // every bump landed: dev runs the newest image of every service
      for (const [service, tag] of Object.entries(NEWEST))
        expect(parse(git(check, 'show', `HEAD:environments/dev/${service}.yaml`)).image.tag, service).toBe(tag);

      const credited = new Map<string, number>();
      const commits = git(check, 'rev-list', '--reverse', `${start}..HEAD`).split('\n').filter(Boolean);
      expect(commits.length).toBeGreaterThan(0);
      for (const sha of commits) {
        const message = git(check, 'log', '-1', '--format=%B', sha);
        const records = parseRecords(message);
        expect(records.length, message).toBeGreaterThan(0);
        const changedOverlays = git(check, 'diff-tree', '--no-commit-id', '--name-only', '-r', sha)
          .split('\n')
          .filter((path) => OVERLAY.test(path));
        // the blocks name exactly the overlays the commit changes...
        expect(records.map((record) => `environments/${record.env}/${record.service}.yaml`).sort(), message).toEqual(
          changedOverlays.sort(),
        );
        // ...and exactly the versions: from what the parent ran, to what the commit runs
        for (const record of records) {
          const overlay = `environments/${record.env}/${record.service}.yaml`;
          expect({ from: tagAt(check, `${sha}^`, overlay), to: tagAt(check, sha, overlay) }, message).toEqual({
            from: record.from,
            to: record.to,
          });
          if (record.action === 'bump') credited.set(record.service, (credited.get(record.service) ?? 0) + 1);
        }
        const count = records.length;
        if (records[0].action === 'bump')
          expect(message.split('\n')[0]).toBe(
            count === 1
              ? `chore(dev): bump ${records[0].service} to ${records[0].to}`
              : `chore(dev): bump ${count} images`,
          );
      }
      // each bump is credited once, to the one commit that made it
      expect(Object.fromEntries(credited)).toEqual(
        Object.fromEntries(Object.keys(NEWEST).map((service) => [service, 1])),
      );
    },
  );
});
