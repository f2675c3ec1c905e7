// A GitOps repository (bare remote + clones) of the example platform whose images live in a real local registry.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, repo } from '../cli/workspace';

export interface GitOpsRepository {
  remote: string;
  /** A clone to work in; more with clone(). */
  work: string;
  clone(name: string): string;
}

/** Copies the example platform, points every chart's image.repository at `registryHost`, and publishes it to a bare remote. */
export function gitOpsRepository(registryHost: string): GitOpsRepository {
  const base = mkdtempSync(join(tmpdir(), 'berth-gitops-'));
  const remote = join(base, 'remote.git');
  const seed = join(base, 'seed');
  git(base, 'init', '-q', '--bare', '-b', 'main', remote);
  git(base, 'clone', '-q', remote, seed);
  for (const entry of ['apps', 'charts', 'environments', 'argocd', 'berth.yaml'])
    cpSync(join(repo, entry), join(seed, entry), { recursive: true });
  for (const chart of readdirSync(join(seed, 'charts'))) {
    const values = join(seed, 'charts', chart, 'values.yaml');
    try {
      writeFileSync(
        values,
        readFileSync(values, 'utf8').replace(/repository: \S+/, `repository: ${registryHost}/${chart}`),
      );
    } catch {
      // charts without values.yaml have no image
    }
  }
  const identify = (dir: string) => {
    git(dir, 'config', 'user.email', 'platform@example.com');
    git(dir, 'config', 'user.name', 'platform team');
  };
  identify(seed);
  git(seed, 'add', '-A');
  git(seed, 'commit', '-qm', 'the example platform');
  git(seed, 'push', '-q', 'origin', 'main');
  const clone = (name: string) => {
    const dir = join(base, name);
    git(base, 'clone', '-q', remote, dir);
    identify(dir);
    return dir;
  };
  return { remote, work: clone('work'), clone };
}
