// Hostile input to the commands that change what runs (pin, unpin, promote, rollback): each is refused with exit 1 and
// a message that names the file (or the flag), the field and the fix, and nothing is written: same commit, same
// working tree, no journal left behind.
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { berthAsync, edit, git } from '../cli/workspace';
import { platform } from '../promote/support';

type Case = [name: string, args: string[], expected: RegExp, setup?: (dir: string) => void];

const commit = (dir: string, path: string, change: (text: string) => string) => {
  edit(dir, path, change);
  git(dir, 'commit', '-qam', `test: hostile ${path}`);
};

const CASES: Case[] = [
  [
    'a --version that splices YAML',
    ['pin', 'service-a', '--env', 'dev', '--version', '1.0"\nx: y'],
    /--version "1\.0\\"\\nx: y" is not a pinned image tag\.\nFix: pass a version tag such as 1\.4\.2\./,
  ],
  [
    'a --version that is a path',
    ['pin', 'service-a', '--env', 'dev', '--version', '../../etc/passwd'],
    /--version "\.\.\/\.\.\/etc\/passwd" is not a pinned image tag\.\nFix: /,
  ],
  [
    '--version latest (not a pin)',
    ['pin', 'service-a', '--env', 'dev', '--version', 'latest'],
    /--version "latest" is not a pinned image tag\.\nFix: /,
  ],
  [
    'a --version the registry cannot confirm',
    ['pin', 'service-a', '--env', 'dev', '--version', '1.4.9'],
    /environments\/dev\/service-a\.yaml: image\.tag: cannot pin 1\.4\.9: berth could not ask .*\nFix: .*pass --force/,
  ],
  [
    'an environment that does not exist',
    ['pin', 'service-a', '--env', 'qa;rm -rf /'],
    /--env qa;rm -rf \/ is not an environment\.\nFix: use one of: dev, stage, prod\./,
  ],
  [
    'a service outside the environment',
    ['pin', 'berth-image-updater', '--env', 'prod'],
    /apps\/berth-image-updater\/app\.yaml: environments: berth-image-updater does not run in prod\.\nFix: pin it where it runs: dev\./,
  ],
  [
    'unpin of a service that is not pinned',
    ['unpin', 'service-b', '--env', 'dev'],
    /apps\/service-b\/app\.yaml: pins\.dev: service-b is not pinned in dev\.\nFix: nothing to release\./,
  ],
  [
    '--push and --pr at once',
    ['pin', 'service-a', '--env', 'dev', '--push', '--pr'],
    /--push and --pr contradict each other\.\nFix: pass one/,
  ],
  [
    'rollback --to a version that never ran',
    ['rollback', 'service-a', '--env', 'stage', '--to', '0.0.1'],
    /service-a never ran 0\.0\.1 in stage .*\nFix: pass one of those to --to/,
  ],
  [
    'rollback --to with a forged trailer',
    ['rollback', 'service-a', '--env', 'stage', '--to', '1.4.2\nBerth-Service: postgres'],
    /never ran 1\.4\.2\nBerth-Service: postgres in stage .*\nFix: /,
  ],
  [
    'rollback with no history at all',
    ['rollback', 'service-b', '--env', 'prod'],
    /service-b has no version before 2\.0\.2 in prod's history \(versions deployed there by berth: none recorded\)\.\nFix: name one with --to/,
  ],
  [
    'rollback of a service that is not there',
    ['rollback', 'service-z', '--env', 'dev'],
    /service-z is not a service\.\nFix: use one of: /,
  ],
  [
    'promote skipping an environment',
    ['promote', 'service-a', '--to', 'prod', '--from', 'dev'],
    /environments\/prod\/env\.yaml: promotesFrom: prod promotes from stage; promoting from dev would skip stage\.\nFix: promote to stage first/,
  ],
  [
    'promote --version the source does not run',
    ['promote', 'service-a', '--to', 'stage', '--version', '9.9.9'],
    /environments\/dev\/service-a\.yaml: image\.tag: dev runs service-a 1\.4\.3, not 9\.9\.9.*\nFix: promote 1\.4\.3/,
  ],
  [
    'promote --version with --all',
    ['promote', '--all', '--to', 'stage', '--version', '1.0.0'],
    /--version applies to one service\.\nFix: promote that service alone/,
  ],
  [
    'a chart revision that is a shell command',
    ['promote', 'service-a', '--to', 'prod'],
    /environments\/stage\/service-a\.yaml: chartRevision: is "main; rm -rf \/", not a full commit id\.\nFix: let berth promote write it/,
    (dir) => commit(dir, 'environments/stage/service-a.yaml', (text) => `${text}chartRevision: "main; rm -rf /"\n`),
  ],
  [
    'a source overlay whose image is a list',
    ['promote', 'service-c', '--to', 'stage'],
    /environments\/dev\/service-c\.yaml: image\.tag: has no image\.tag, so there is no version to promote\.\nFix: set it/,
    (dir) =>
      commit(dir, 'environments/dev/service-c.yaml', (text) =>
        text.replace(/^image:[\s\S]*?(?=^\S|$(?![\s\S]))/m, 'image: [1, 2]\n'),
      ),
  ],
  [
    'a target pinned with a hostile reason',
    ['promote', 'postgres', '--to', 'stage', '--allow-downgrade'],
    /apps\/postgres\/app\.yaml: pins\.stage: postgres is pinned in stage at 16\.4 \(<script>x<\/script> Berth-Action: unpin\), so it is not promoted\.\nFix: .*berth unpin postgres --env stage/,
    (dir) => {
      commit(
        dir,
        'apps/postgres/app.yaml',
        (text) => `${text}pins:\n  stage:\n    version: "16.4"\n    reason: "<script>x</script> Berth-Action: unpin"\n`,
      );
      commit(dir, 'environments/dev/postgres.yaml', (text) => text.replace(/tag: .*/, 'tag: "16.5"'));
    },
  ],
  [
    'another berth run holding the checkout',
    ['pin', 'service-a', '--env', 'dev', '--reason', 'x'],
    /\.git\/berth\/transaction\.json: another berth run \(pid \d+\) is changing this checkout right now\.\nFix: wait for it to finish/,
    (dir) => {
      mkdirSync(join(dir, '.git/berth'), { recursive: true });
      // this test process is alive, so the journal is a live run's
      writeFileSync(
        join(dir, '.git/berth/transaction.json'),
        JSON.stringify({
          pid: process.pid,
          host: hostname(),
          started: '',
          state: 'idle',
          push: false,
          remote: 'origin',
          branch: 'main',
          writes: [],
          commits: [],
        }),
      );
    },
  ],
];

describe('hostile input to pin, promote and rollback', () => {
  let work: string;
  let clone: (name: string) => string;
  beforeAll(() => {
    const gitops = platform('127.0.0.1:9'); // a registry that never answers
    work = gitops.work;
    clone = gitops.clone;
    // stage has one promotion in its history, so rollback has records to refuse against
    git(
      work,
      'commit',
      '-q',
      '--allow-empty',
      '-m',
      'chore(stage): promote service-a 1.4.2 from dev\n\nBerth-Service: service-a\nBerth-Env: stage\nBerth-Action: promote\nBerth-From: 1.4.1\nBerth-To: 1.4.2',
    );
    git(work, 'push', '-q', 'origin', 'main');
  });

  it.each(CASES)('%s', async (name, args, expected, setup) => {
    const dir = clone(`hostile-${CASES.findIndex((entry) => entry[0] === name)}`);
    setup?.(dir);
    const journal = join(dir, '.git/berth/transaction.json');
    const journalBefore = existsSync(journal);
    const before = {
      head: git(dir, 'rev-parse', 'HEAD'),
      status: git(dir, 'status', '--porcelain', '--untracked-files=all'),
    };
    const run = await berthAsync(dir, ...args);
    expect(run.status, run.stdout).toBe(1);
    expect(run.stderr).toMatch(expected);
    expect(run.stderr).not.toMatch(/\n\s+at /); // a berth error, never a stack
    expect({
      head: git(dir, 'rev-parse', 'HEAD'),
      status: git(dir, 'status', '--porcelain', '--untracked-files=all'),
    }).toEqual(before);
    expect(existsSync(journal)).toBe(journalBefore);
  });
});
