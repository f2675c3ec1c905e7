// Writers racing on one bare remote: every change lands, history stays linear, conflicts are recomputed.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { transact } from '../../src/git/transact';
import { commitMessage, parseRecords } from '../../src/git/trailers';
import { git } from '../cli/workspace';

function remoteWithClones(count: number, files: Record<string, string>): { remote: string; clones: string[] } {
  const base = mkdtempSync(join(tmpdir(), 'berth-race-'));
  const remote = join(base, 'remote.git');
  git(base, 'init', '-q', '--bare', '-b', 'main', remote);
  const seed = join(base, 'seed');
  git(base, 'clone', '-q', remote, seed);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(seed, path)), { recursive: true });
    writeFileSync(join(seed, path), content);
  }
  git(seed, 'add', '-A');
  git(seed, '-c', 'user.email=seed@example.com', '-c', 'user.name=seed', 'commit', '-qm', 'seed');
  git(seed, 'push', '-q', 'origin', 'main');
  const clones = Array.from({ length: count }, (_, index) => {
    const clone = join(base, `clone-${index}`);
    git(base, 'clone', '-q', remote, clone);
    git(clone, 'config', 'user.email', `writer${index}@example.com`);
    git(clone, 'config', 'user.name', `writer ${index}`);
    return clone;
  });
  return { remote, clones };
}

describe('transact', () => {
  it('five writers changing different files all land, in a linear history', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 5 }, (_, index) => [`service-${index}.yaml`, 'tag: "1.0.0"\n']),
    );
    const { remote, clones } = remoteWithClones(5, files);
    await Promise.all(
      clones.map((clone, index) =>
        transact(clone, { push: true }, async () => ({
          result: index,
          commits: [
            {
              writes: new Map([[`service-${index}.yaml`, `tag: "1.0.${index + 1}"\n`]]),
              message: `chore(dev): bump service-${index}\n`,
            },
          ],
        })),
      ),
    );
    const log = git(remote, 'log', '--format=%s', 'main').split('\n');
    expect(log.filter((subject) => subject.startsWith('chore(dev)')).sort()).toEqual(
      Array.from({ length: 5 }, (_, index) => `chore(dev): bump service-${index}`),
    );
    expect(git(remote, 'rev-list', '--merges', '--count', 'main')).toBe('0');
    for (let index = 0; index < 5; index++)
      expect(git(remote, 'show', `main:service-${index}.yaml`)).toBe(`tag: "1.0.${index + 1}"`);
  });

  it('recomputes a change when another writer changed the same lines first', async () => {
    const { remote, clones } = remoteWithClones(2, { 'counter.txt': '0\n' });
    const increment = (clone: string, by: number) =>
      transact(clone, { push: true }, async () => {
        const value = Number(readFileSync(join(clone, 'counter.txt'), 'utf8')) + by;
        return {
          result: value,
          commits: [{ writes: new Map([['counter.txt', `${value}\n`]]), message: `count ${value}\n` }],
        };
      });
    await increment(clones[0], 1);
    const second = await increment(clones[1], 10); // based on the stale 0: conflicts, then recomputes from 1
    expect(second.result).toBe(11);
    expect(git(remote, 'show', 'main:counter.txt')).toBe('11');
  });

  it('refuses to push from a dirty working tree and changes nothing', async () => {
    const { clones } = remoteWithClones(1, { 'a.txt': 'a\n' });
    writeFileSync(join(clones[0], 'a.txt'), 'local edit\n');
    await expect(transact(clones[0], { push: true }, async () => ({ result: 0, commits: [] }))).rejects.toThrow(
      /uncommitted changes/,
    );
    expect(readFileSync(join(clones[0], 'a.txt'), 'utf8')).toBe('local edit\n');
  });

  it('refuses to commit a file with uncommitted edits, even without a push, and writes nothing', async () => {
    const { clones } = remoteWithClones(1, { 'a.txt': 'a\n', 'b.txt': 'b\n' });
    const [clone] = clones;
    writeFileSync(join(clone, 'a.txt'), 'my edit\n');
    const head = git(clone, 'rev-parse', 'HEAD');
    const change = async () => ({
      result: 0,
      commits: [
        {
          writes: new Map([
            ['a.txt', 'berth\n'],
            ['b.txt', 'berth\n'],
          ]),
          message: 'x\n',
        },
      ],
    });
    await expect(transact(clone, {}, change)).rejects.toThrow(
      /a.txt has uncommitted changes that berth's commit would take along/,
    );
    expect(readFileSync(join(clone, 'a.txt'), 'utf8')).toBe('my edit\n');
    expect(readFileSync(join(clone, 'b.txt'), 'utf8')).toBe('b\n');
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(head);
    // an edit elsewhere is no reason to refuse
    const other = await transact(clone, {}, async () => ({
      result: 1,
      commits: [{ writes: new Map([['b.txt', 'berth\n']]), message: 'y\n' }],
    }));
    expect(other.commits).toHaveLength(1);
    expect(git(clone, 'show', '--name-only', '--format=', 'HEAD')).toBe('b.txt');
  });

  it('a rebased commit whose other writer made part of its change keeps only the blocks it still earns', async () => {
    const overlay = (service: string) => `environments/dev/${service}.yaml`;
    const { remote, clones } = remoteWithClones(
      2,
      Object.fromEntries(['a', 'b', 'c'].map((service) => [overlay(service), 'image:\n  tag: "1"\n'])),
    );
    const bump = (services: string[]) => async () => ({
      result: services.length,
      commits: [
        {
          writes: new Map(services.map((service) => [overlay(service), 'image:\n  tag: "2"\n'])),
          message: commitMessage(
            `chore(dev): bump ${services.length} images`,
            services.map((service) => ({ service, env: 'dev', action: 'bump' as const, from: '1', to: '2' })),
          ),
        },
      ],
    });
    const notes: string[] = [];
    await transact(clones[1], { push: true }, bump(['a', 'b']));
    const late = await transact(clones[0], { push: true, notify: (line) => notes.push(line) }, bump(['a', 'b', 'c']));
    expect(late.pushed).toBe(true);
    expect(notes).toEqual([]);
    const message = git(remote, 'log', '-1', '--format=%B', 'main');
    expect(message.split('\n')[0]).toBe('chore(dev): bump c to 2');
    expect(parseRecords(message)).toEqual([{ service: 'c', env: 'dev', action: 'bump', from: '1', to: '2' }]);
    expect(git(remote, 'show', '--name-only', '--format=', 'main')).toBe(overlay('c'));
    expect(late.commits).toEqual([git(remote, 'rev-parse', 'main')]);
    expect(git(remote, 'log', '-1', '--format=%an <%ae>', 'main')).toBe('writer 0 <writer0@example.com>');

    // the same change once more, made by both: the late one becomes empty and is dropped
    const again = await transact(clones[1], { push: true }, async () => ({
      result: 0,
      commits: [
        {
          writes: new Map([[overlay('a'), 'image:\n  tag: "3"\n']]),
          message: commitMessage('chore(dev): bump a to 3', [
            { service: 'a', env: 'dev', action: 'bump', from: '2', to: '3' },
          ]),
        },
      ],
    }));
    const tip = git(remote, 'rev-parse', 'main');
    git(clones[0], 'fetch', '-q');
    const dropped = await transact(clones[0], { push: true }, async () => ({
      result: 0,
      commits: [
        {
          writes: new Map([[overlay('a'), 'image:\n  tag: "3"\n']]),
          message: commitMessage('chore(dev): bump a to 3', [
            { service: 'a', env: 'dev', action: 'bump', from: '2', to: '3' },
          ]),
        },
      ],
    }));
    expect(again.commits).toHaveLength(1);
    expect(dropped.commits).toEqual([]);
    expect(git(remote, 'rev-parse', 'main')).toBe(tip);
  });
});
