// Months of releases for many services in seconds: berth-style commits (overlay edits + Berth-* trailers) written
// with one `git fast-import`, for the status speed test and the bench.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitMessage, type ChangeRecord } from '../../src/git/trailers';
import { readDeployedVersion, writeDeployedVersion } from '../../src/workspace/overlay';

const ENVIRONMENTS = ['dev', 'stage', 'prod'];

/** Puts `root` under git with everything committed, if it is not already. */
export function commitAll(root: string): void {
  const run = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    run('rev-parse', '--git-dir');
  } catch {
    run('init', '-q', '-b', 'main');
  }
  run('config', 'user.email', 'platform@example.com');
  run('config', 'user.name', 'platform team');
  run('add', '-A');
  run('commit', '-q', '--no-verify', '-m', 'the platform');
}

/**
 * `commits` commits on the current branch, round-robin over `services`: dev bumps every time, stage takes dev's
 * version every 3rd release of a service, prod takes stage's every 5th, each as berth would record it. The working tree
 * is checked out at the result.
 */
export function writeSyntheticHistory(root: string, services: string[], commits: number): void {
  const overlay = (env: string, service: string) => `environments/${env}/${service}.yaml`;
  const files = new Map<string, string>();
  for (const service of services)
    for (const env of ENVIRONMENTS)
      files.set(overlay(env, service), readFileSync(join(root, overlay(env, service)), 'utf8'));
  const start = Math.floor(Date.UTC(2025, 0, 1) / 1000);
  const chunks: Buffer[] = [];
  const data = (text: string) => {
    const bytes = Buffer.from(text);
    chunks.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n'));
  };
  const releases = new Map<string, number>();
  for (let index = 0; index < commits; index++) {
    const service = services[index % services.length];
    const count = (releases.get(service) ?? 0) + 1;
    releases.set(service, count);
    const move = (env: string, to: string, action: ChangeRecord['action'], sourceEnv?: string): ChangeRecord => {
      const file = overlay(env, service);
      const text = files.get(file)!;
      files.set(file, writeDeployedVersion(text, file, { tag: to }));
      return { service, env, action, from: readDeployedVersion(text, file).tag, to, sourceEnv };
    };
    const version = `2.${Math.floor(count / 100)}.${count % 100}`;
    const records = [move('dev', version, 'bump')];
    if (count % 3 === 0) records.push(move('stage', version, 'promote', 'dev'));
    if (count % 5 === 0)
      records.push(
        move('prod', readDeployedVersion(files.get(overlay('stage', service))!, 'stage').tag, 'promote', 'stage'),
      );
    const when = start + index * 3600;
    chunks.push(
      Buffer.from(
        `commit refs/heads/main\nauthor berth <berth@example.com> ${when} +0000\ncommitter berth <berth@example.com> ${when} +0000\n`,
      ),
    );
    data(commitMessage(`chore(dev): bump ${service} to ${version}`, records));
    if (index === 0) chunks.push(Buffer.from('from refs/heads/main^0\n'));
    for (const record of records) {
      chunks.push(Buffer.from(`M 100644 inline ${overlay(record.env, service)}\n`));
      data(files.get(overlay(record.env, service))!);
    }
    chunks.push(Buffer.from('\n'));
  }
  execFileSync('git', ['fast-import', '--quiet', '--force'], {
    cwd: root,
    input: Buffer.concat(chunks),
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  execFileSync('git', ['reset', '-q', '--hard', 'refs/heads/main'], { cwd: root });
}
