// A GitOps repository with a release history made of real commits: berth's trailers, hand edits, a real pin.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { commitMessage, type ChangeRecord } from '../../src/git/trailers';
import { writeDeployedVersion } from '../../src/workspace/overlay';
import { pin } from '../../src/pin/command';
import { gitOpsRepository } from '../image-update/support';

/** Commits get increasing dates a day apart from here, so "since" is predictable. */
export const EPOCH = Date.UTC(2025, 2, 1, 9, 0, 0);

/** `days` after the first commit: a fixed "now" to count ages to. */
export const dayAfterEpoch = (days: number) => new Date(EPOCH + days * 86_400_000);

export class History {
  private day = 0;
  constructor(readonly dir: string) {}

  /** The date the next commit gets. */
  nextDate(): string {
    return new Date(EPOCH + this.day * 86_400_000).toISOString().replace('.000Z', 'Z');
  }

  private commit(message: string, author: string, files: string[]): string {
    const date = this.nextDate();
    this.day++;
    const env = {
      ...process.env,
      GIT_AUTHOR_NAME: author,
      GIT_AUTHOR_EMAIL: `${author}@example.com`,
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    };
    execFileSync('git', ['add', '--', ...files], { cwd: this.dir });
    execFileSync('git', ['commit', '-q', '--no-verify', '-F', '-'], {
      cwd: this.dir,
      input: message,
      env,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    return this.head();
  }

  head(): string {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: this.dir, encoding: 'utf8' }).trim();
  }

  /**
   * One commit as berth writes it: each change's overlay set to its version (digest and chart revision as given),
   * and the Berth-* trailers that record it.
   */
  release(author: string, changes: (Omit<ChangeRecord, 'from'> & { to: string; chartRevision?: string })[]): string {
    const records: ChangeRecord[] = [];
    const files: string[] = [];
    for (const change of changes) {
      const file = `environments/${change.env}/${change.service}.yaml`;
      const text = readFileSync(join(this.dir, file), 'utf8');
      const from = /tag: "?([^"\n]+)"?/.exec(text)?.[1];
      writeFileSync(
        join(this.dir, file),
        writeDeployedVersion(text, file, {
          tag: change.to,
          digest: change.digest ?? null,
          chartRevision: change.chartRevision,
        }),
      );
      records.push({ ...change, from });
      files.push(file);
    }
    const first = changes[0];
    return this.commit(
      commitMessage(
        `chore(${first.env}): ${first.action} ${changes.map((change) => `${change.service} to ${change.to}`).join(', ')}`,
        records,
      ),
      author,
      files,
    );
  }

  /** A commit a person made without berth: no trailers. */
  handEdit(author: string, subject: string, file: string, change: (text: string) => string): string {
    return this.handEdits(author, subject, { [file]: change });
  }

  /** One commit of several files edited by hand; a file that does not exist starts empty. */
  handEdits(author: string, subject: string, changes: Record<string, (text: string) => string>): string {
    for (const [file, change] of Object.entries(changes)) {
      const path = join(this.dir, file);
      let text = '';
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        mkdirSync(dirname(path), { recursive: true });
      }
      writeFileSync(path, change(text));
    }
    return this.commit(`${subject}\n`, author, Object.keys(changes));
  }

  /** The real `berth pin`, committed by berth itself. */
  async pin(service: string, env: string, version: string | undefined, reason: string): Promise<string> {
    const date = this.nextDate();
    this.day++;
    const saved = { ...process.env };
    Object.assign(process.env, {
      GIT_AUTHOR_NAME: 'pinner',
      GIT_AUTHOR_EMAIL: 'pinner@example.com',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    });
    try {
      const { commits } = await pin({
        root: this.dir,
        service,
        env,
        version,
        reason,
        now: new Date(date),
        force: true,
      });
      return commits[0];
    } finally {
      for (const key of ['GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL', 'GIT_AUTHOR_DATE', 'GIT_COMMITTER_DATE']) {
        if (saved[key] === undefined) delete process.env[key];
        else process.env[key] = saved[key];
      }
    }
  }
}

export const HOSTILE_REASON = 'CVE-2025-1234 <script>document.title="pwned"</script> & <img src=x onerror=alert(1)>';
export const DIGEST = `sha256:${'ab'.repeat(32)}`;

export interface Scenario {
  dir: string;
  commits: Record<string, string>;
}

/**
 * The example platform (dev 1.4.3 / stage 1.4.2 / prod 1.4.1 for service-a, and so on) after a few weeks of work:
 *
 * - service-a: dev bumped 1.5.0, 1.6.0, 1.7.0 (with a digest); stage promoted 1.5.0 (deploying charts of a commit);
 *   prod promoted 1.5.0; later a hand edit of dev's replicas that leaves the version alone.
 * - service-b: dev bumped 2.2.0, then hand-edited to 2.2.1; stage promoted 2.1.0; prod hand-edited to 2.0.9.
 * - service-c: dev bumped 0.9.3; stage pinned at 0.9.2 by the real `berth pin`, with a hostile reason.
 * - postgres: 16.4 everywhere, no release ever recorded.
 * - batch-job: added by hand, dev only.
 */
export async function scenario(): Promise<Scenario> {
  const { work: dir } = gitOpsRepository('registry.invalid');
  const history = new History(dir);
  const commits: Record<string, string> = {};
  commits.aDev150 = history.release('alice', [{ service: 'service-a', env: 'dev', action: 'bump', to: '1.5.0' }]);
  commits.aStage150 = history.release('bob', [
    {
      service: 'service-a',
      env: 'stage',
      action: 'promote',
      to: '1.5.0',
      sourceEnv: 'dev',
      chartRevision: commits.aDev150,
      reason: 'approved in CAB-42 <b>not bold</b>',
    },
  ]);
  commits.aDev160 = history.release('alice', [{ service: 'service-a', env: 'dev', action: 'bump', to: '1.6.0' }]);
  commits.aDev170bDev220 = history.release('alice', [
    { service: 'service-a', env: 'dev', action: 'bump', to: '1.7.0', digest: DIGEST },
    { service: 'service-b', env: 'dev', action: 'bump', to: '2.2.0' },
  ]);
  commits.aProd150 = history.release('carol', [
    { service: 'service-a', env: 'prod', action: 'promote', to: '1.5.0', sourceEnv: 'stage' },
  ]);
  commits.bStage210 = history.release('bob', [
    { service: 'service-b', env: 'stage', action: 'promote', to: '2.1.0', sourceEnv: 'dev' },
  ]);
  commits.bProdHand = history.handEdit(
    'dave',
    'fix(prod): hotfix service-b by hand',
    'environments/prod/service-b.yaml',
    (text) => text.replace('"2.0.2"', '"2.0.9"'),
  );
  commits.bDevHand = history.handEdit(
    'frank',
    'chore(dev): try service-b 2.2.1',
    'environments/dev/service-b.yaml',
    (text) => text.replace('"2.2.0"', '"2.2.1"'),
  );
  commits.cDev093 = history.release('alice', [{ service: 'service-c', env: 'dev', action: 'bump', to: '0.9.3' }]);
  commits.cStagePin = await history.pin('service-c', 'stage', '0.9.2', HOSTILE_REASON);
  commits.aDevReplicas = history.handEdit(
    'erin',
    'chore(dev): two replicas of service-a',
    'environments/dev/service-a.yaml',
    (text) => `${text}replicas: 2\n`,
  );
  history.handEdit(
    'gina',
    'feat: batch-job',
    'apps/batch-job/app.yaml',
    () => 'name: batch-job\nkind: stateless\nenvironments: [dev]\n',
  );
  commits.batchJob = history.handEdit(
    'gina',
    'feat: batch-job overlay',
    'environments/dev/batch-job.yaml',
    () => 'image:\n  tag: "1.0.0"\n',
  );
  return { dir, commits };
}

/**
 * Two environments promote from dev: qa (added by hand, like stage) and stage, and prod from stage. service-a, one
 * commit a day from EPOCH:
 *
 * 0 qa added, running dev's 1.4.3 · 1 prod promoted 1.4.2 · 2 dev bumped 1.5.0 · 3 dev bumped 1.6.0 ·
 * 4 qa promoted 1.6.0 · 5 stage promoted 1.5.0 · 6 dev bumped 1.7.0 (with a digest)
 *
 * so dev 1.7.0; qa 1.6.0 (behind dev by 1 since day 6); stage 1.5.0 (behind dev by 2 since day 3, when dev left
 * 1.5.0); prod 1.4.2 (behind stage by 1 since day 5). Counted along dev -> qa -> stage -> prod instead, stage would
 * look diverged from qa, which never ran 1.5.0.
 */
export async function branchingScenario(): Promise<Scenario> {
  const { work: dir } = gitOpsRepository('registry.invalid');
  const history = new History(dir);
  const commits: Record<string, string> = {};
  commits.addQa = history.handEdits('quinn', 'feat: a qa environment that promotes from dev', {
    'environments/qa/env.yaml': () =>
      readFileSync(join(dir, 'environments/stage/env.yaml'), 'utf8')
        .replace(/stage/g, 'qa')
        .replace('10.20.0.0/16', '10.30.0.0/16'),
    'environments/qa/values.yaml': () =>
      readFileSync(join(dir, 'environments/stage/values.yaml'), 'utf8').replace(/stage/g, 'qa'),
    'environments/qa/service-a.yaml': () => '# service-a in qa\nimage:\n  tag: "1.4.3"\n',
    'apps/service-a/app.yaml': (text) =>
      text.replace('environments: [dev, stage, prod]', 'environments: [dev, qa, stage, prod]'),
  });
  commits.prod142 = history.release('carol', [
    { service: 'service-a', env: 'prod', action: 'promote', to: '1.4.2', sourceEnv: 'stage' },
  ]);
  commits.dev150 = history.release('alice', [{ service: 'service-a', env: 'dev', action: 'bump', to: '1.5.0' }]);
  commits.dev160 = history.release('alice', [{ service: 'service-a', env: 'dev', action: 'bump', to: '1.6.0' }]);
  commits.qa160 = history.release('quinn', [
    {
      service: 'service-a',
      env: 'qa',
      action: 'promote',
      to: '1.6.0',
      sourceEnv: 'dev',
      chartRevision: commits.dev160,
    },
  ]);
  commits.stage150 = history.release('bob', [
    {
      service: 'service-a',
      env: 'stage',
      action: 'promote',
      to: '1.5.0',
      sourceEnv: 'dev',
      chartRevision: commits.dev150,
    },
  ]);
  commits.dev170 = history.release('alice', [
    { service: 'service-a', env: 'dev', action: 'bump', to: '1.7.0', digest: DIGEST },
  ]);
  return { dir, commits };
}

export const HOSTILE_SUBJECT =
  'fix(dev): <script>document.title="pwned"</script> & <img src=x onerror=alert(1)> "quoted"';
export const HOSTILE_TAG = '1.0.0"><img src=x onerror=alert(2)>';
/** A clone URL with a token in it, as CI systems write them: the token must never reach a board. */
export const SECRET = 'ghp_TOKEN0123456789abcdefTOKEN';
export const CREDENTIAL_REPO_URL = `https://x-access-token:${SECRET}@github.com/acme/platform-gitops.git`;

/**
 * The example platform where a person committed a hand edit with markup in its subject and in the tag it wrote (dev's
 * service-a), and a release of service-c whose reason carries markup.
 */
export async function hostileScenario(): Promise<Scenario> {
  const { work: dir } = gitOpsRepository('registry.invalid');
  const history = new History(dir);
  const commits: Record<string, string> = {};
  commits.hostile = history.handEdit('mallory', HOSTILE_SUBJECT, 'environments/dev/service-a.yaml', (text) =>
    text.replace(/tag: .*/, `tag: '${HOSTILE_TAG}'`),
  );
  commits.cDev = history.release('alice', [
    { service: 'service-c', env: 'dev', action: 'bump', to: '0.9.3', reason: HOSTILE_REASON },
  ]);
  return { dir, commits };
}
