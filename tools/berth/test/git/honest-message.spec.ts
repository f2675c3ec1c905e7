// After a rebase a commit keeps only the Berth-* blocks whose files it still changes, under a subject that names them.
import { describe, expect, it } from 'vitest';
import { berthSubject, honestMessage, keptRecords, subjectFor } from '../../src/git/honest-message';
import { classifyPush } from '../../src/git/push';
import { commitMessage, parseRecords, type ChangeRecord } from '../../src/git/trailers';

const bump = (service: string, to: string): ChangeRecord => ({
  service,
  env: 'dev',
  action: 'bump',
  from: '1.0.0',
  to,
});
const promote = (service: string, to: string): ChangeRecord => ({
  service,
  env: 'stage',
  action: 'promote',
  from: '1.0.0',
  to,
  sourceEnv: 'dev',
});
const five = ['service-a', 'service-b', 'service-c', 'postgres', 'worker'].map((service, index) =>
  bump(service, `2.0.${index}`),
);

describe('honest commit messages after a rebase', () => {
  it.each([
    [
      'all five files still change: the message stays',
      five,
      five.map((record) => `environments/dev/${record.service}.yaml`),
      undefined,
    ],
    [
      'two of five still change: two blocks, "bump 2 images"',
      five,
      ['environments/dev/service-c.yaml', 'environments/dev/worker.yaml'],
      commitMessage('chore(dev): bump 2 images', [five[2], five[4]]),
    ],
    [
      'one left: its own subject',
      five,
      ['environments/dev/postgres.yaml'],
      commitMessage('chore(dev): bump postgres to 2.0.3', [five[3]]),
    ],
    [
      'a promotion keeps the service whose overlay or Application still changes',
      [promote('service-a', '1.4.3'), promote('service-b', '2.1.0')],
      ['argocd/apps/stage/service-b.yaml'],
      commitMessage('chore(stage): promote service-b 2.1.0 from dev', [promote('service-b', '2.1.0')]),
    ],
    ['files no record names: the message stays', five, ['charts/platform/Chart.yaml'], undefined],
  ])('%s', (_name, records, changed, expected) => {
    const subject =
      records[0].action === 'bump'
        ? `chore(dev): bump ${records.length} images`
        : `chore(stage): promote ${records.length} services from dev`;
    expect(honestMessage(commitMessage(subject, records), changed)).toBe(expected);
  });

  it('leaves a message without Berth-* blocks alone', () => {
    expect(honestMessage("fix: a person's commit\n", [])).toBeUndefined();
  });

  it('keeps each kept block exactly, digest and chart revision included', () => {
    const records = [{ ...bump('service-a', '3.0.0'), digest: `sha256:${'a'.repeat(64)}` }, bump('service-b', '3.0.0')];
    const message = honestMessage(commitMessage('chore(dev): bump 2 images', records), [
      'environments/dev/service-a.yaml',
    ])!;
    expect(parseRecords(message)).toEqual([records[0]]);
    expect(keptRecords(records, [])).toEqual([]);
  });

  it.each([
    ['one bump', [bump('service-a', '1.2.0')], 'chore(dev): bump service-a to 1.2.0'],
    ['two bumps', [bump('service-a', '1.2.0'), bump('service-b', '2.0.0')], 'chore(dev): bump 2 images'],
    ['bumps in two environments', [bump('a', '1'), { ...bump('b', '2'), env: 'prod' }], undefined],
  ])('names %s as image-update writes them', (_case, records, subject) => {
    expect(berthSubject(records)).toBe(subject);
  });

  it('keeps a subject it cannot rebuild', () => {
    expect(subjectFor([bump('a', '1'), { ...bump('b', '2'), env: 'prod' }], 'original')).toBe('original');
    expect(subjectFor([{ service: 'a', env: 'prod', action: 'pin', to: '1' }], 'chore(prod): pin a at 1')).toBe(
      'chore(prod): pin a at 1',
    );
  });
});

describe('reading git push --porcelain', () => {
  const result = (exitCode: number, stdout: string, stderr = '') => ({ exitCode, stdout, stderr });
  it.each([
    [
      'pushed',
      result(0, 'To /r.git\n \tHEAD:refs/heads/main\t1111111..2222222\nDone\n'),
      { status: 'pushed', upToDate: false },
    ],
    [
      'already there',
      result(0, 'To /r.git\n=\tHEAD:refs/heads/main\t[up to date]\nDone\n'),
      { status: 'pushed', upToDate: true },
    ],
    [
      'the remote moved on',
      result(1, 'To /r.git\n!\tHEAD:refs/heads/main\t[rejected] (fetch first)\nDone\n'),
      { status: 'behind' },
    ],
    [
      'a racing writer held the ref',
      result(
        1,
        "To /r.git\n!\tHEAD:refs/heads/main\t[remote rejected] (cannot lock ref 'refs/heads/main': is at 1 but expected 2)\nDone\n",
      ),
      { status: 'behind' },
    ],
    [
      'a hook said no',
      result(
        1,
        'To /r.git\n!\tHEAD:refs/heads/main\t[remote rejected] (pre-receive hook declined)\nDone\n',
        'remote: main takes changes by pull request        \nerror: failed to push some refs\n',
      ),
      { status: 'refused', reason: 'pre-receive hook declined', remoteSays: ['main takes changes by pull request'] },
    ],
    [
      'no remote',
      result(
        128,
        '',
        "fatal: '/gone.git' does not appear to be a git repository\nfatal: Could not read from remote repository.\n",
      ),
      {
        status: 'failed',
        message:
          "fatal: '/gone.git' does not appear to be a git repository\nfatal: Could not read from remote repository.",
      },
    ],
  ])('%s', (_name, pushed, expected) => {
    expect(classifyPush(pushed)).toEqual(expected);
  });
});
