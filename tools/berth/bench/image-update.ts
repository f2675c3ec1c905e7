// `npm run bench`, image-update part: two `berth image-update` passes over 100 ECR repositories behind a slow registry.
//
// The registry is the ECR-protocol test server (50 ms on every call, 200 tags a repository: releases, pre-releases and
// noise); the workspace is a git repository with a bare remote (repository.ts), as a CronJob's clone would be. The
// first pass picks, writes and commits every service; the second finds nothing new and must not commit. It changes
// nothing, so it runs `rounds` times and its figure is the median, like berth's other figures (the machine may be busy).
import { createHash } from 'node:crypto';
import { git } from '../src/git/run';
import { startEcrServer, type EcrImage, type EcrServer } from '../test/registry/support/ecr-server';
import { BenchStepFailed } from './berth';
import { measureProcess, type Measurement } from './measure';
import { median, round, type Figure, type Target } from './report';

export const LATENCY_MS = 50;
export const TAGS_PER_REPOSITORY = 200;
/** DescribeImages' largest page (maxResults). */
const ECR_PAGE = 1000;

/** What a step saw, for the bench to log or stop on. */
export class ImageUpdateStepFailed extends BenchStepFailed {}

export interface ImageUpdateBench {
  figures: Figure[];
  /** Targets that depend on what was measured (the expected call count). */
  targets: Record<string, Target>;
}

interface Pass {
  measurement: Measurement;
  report: any;
  head: string;
  calls: number;
}

const noise = (seed: string, count: number) =>
  Array.from({ length: count }, (_, i) => `sha-${createHash('sha1').update(`${seed}-${i}`).digest('hex').slice(0, 7)}`);

/**
 * 200 tags for one repository, one image each, in a scrambled order as ECR returns them: 180 releases 1.<0-11>.<0-14>
 * (the highest, 1.11.14, is the one to pick), 6 release candidates of 2.0.0 (a semver policy skips them), and noise
 * (latest, main, nightly, sha-<hex>).
 */
export function benchImages(repository: string): EcrImage[] {
  const releases = Array.from({ length: 12 }, (_, minor) =>
    Array.from({ length: 15 }, (_, patch) => `1.${minor}.${patch}`),
  ).flat();
  const candidates = Array.from({ length: 6 }, (_, i) => `2.0.0-rc.${i + 1}`);
  const other = ['latest', 'main', 'nightly', ...noise(repository, 11)];
  const tags = [...releases, ...candidates, ...other];
  if (tags.length !== TAGS_PER_REPOSITORY)
    throw new Error(`benchImages made ${tags.length} tags, not ${TAGS_PER_REPOSITORY}`);
  const start = Date.UTC(2025, 0, 1) / 1000;
  const images = tags.map((tag, i) => ({
    tags: [tag],
    digest: `sha256:${createHash('sha256').update(`${repository}:${tag}`).digest('hex')}`,
    pushedAt: start + i * 600,
  }));
  // a fixed scramble: index i goes to (i * 7) mod 200, a bijection because 7 and 200 are coprime
  const scrambled: EcrImage[] = new Array(images.length);
  images.forEach((image, i) => (scrambled[(i * 7) % images.length] = image));
  return scrambled;
}

export const EXPECTED_TAG = '1.11.14';

/** A child environment with fake static keys (the default chain's first link) and nothing of the caller's AWS setup. */
function berthEnv(server: EcrServer): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('AWS_')) env[name] = value;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_REGION: 'eu-west-1',
    AWS_EC2_METADATA_DISABLED: 'true',
    BERTH_ECR_ENDPOINT: server.endpoint,
    CI: 'true',
  };
}

export interface ImageUpdateBenchOptions {
  /** The synthetic workspace, a git repository with a bare remote (publishWorkspace). */
  root: string;
  /** bin/berth.js, and where to run it from. */
  berth: string;
  cwd: string;
  /** The services to update: those whose images are on the bench ECR. */
  services: string[];
  /** How many no-op passes the second-pass figure is the median of. */
  rounds: number;
  log: (message: string) => void;
}

export async function benchImageUpdate(options: ImageUpdateBenchOptions): Promise<ImageUpdateBench> {
  const { root, services, log } = options;
  const repositories = Object.fromEntries(
    services.map((service) => [`bench/${service}`, benchImages(`bench/${service}`)]),
  );
  const pages = Object.values(repositories).reduce(
    (sum, images) => sum + Math.max(1, Math.ceil(images.length / ECR_PAGE)),
    0,
  );
  const server = await startEcrServer({ repositories, latencyMs: LATENCY_MS });
  const env = berthEnv(server);

  const pass = async (label: string): Promise<Pass> => {
    const before = server.calls.length;
    const measurement = await measureProcess(
      process.execPath,
      [options.berth, 'image-update', '--service', services.join(','), '--cwd', root, '--json'],
      { cwd: options.cwd, env },
    );
    let report: any;
    try {
      report = JSON.parse(measurement.stdout);
    } catch {
      throw new ImageUpdateStepFailed(
        `berth image-update (${label}) failed (exit ${measurement.exitCode}) after ${measurement.seconds.toFixed(2)}s:\n${measurement.stderr.trim() || measurement.stdout.trim()}`,
      );
    }
    return { measurement, report, head: await git(root, ['rev-parse', 'HEAD']), calls: server.calls.length - before };
  };

  try {
    const start = await git(root, ['rev-parse', 'HEAD']);
    const first = await pass('first pass');
    const seconds: Pass[] = [];
    for (let index = 0; index < Math.max(1, options.rounds); index++)
      seconds.push(await pass(`second pass ${index + 1}`));
    const second = seconds[seconds.length - 1];
    const firstCalls = server.calls.slice(0, first.calls);
    const operations = [...new Set(server.calls.map((call) => call.operation))];

    const bumped = first.report.services.filter(
      (service: any) => service.status === 'update' && service.to?.tag === EXPECTED_TAG,
    ).length;
    const skipped = first.report.services.reduce((sum: number, service: any) => sum + service.invalidTags.length, 0);
    log(
      `image-update: ${services.length} services, ${TAGS_PER_REPOSITORY} tags a repository, ${LATENCY_MS} ms a registry call; ` +
        `first pass ${first.measurement.seconds.toFixed(2)}s (${bumped}/${services.length} bumped to ${EXPECTED_TAG}, ${first.report.commits.length} commit(s), ${skipped} non-OCI tags skipped), ` +
        `second pass ${seconds.map((run) => `${run.measurement.seconds.toFixed(2)}s`).join(', ')} (${second.report.services.filter((service: any) => service.status === 'current').length} up to date, ${second.head === first.head ? 'no new commit' : 'A NEW COMMIT'})`,
    );
    log(
      `  registry calls: first pass ${first.calls}, second passes ${seconds.map((run) => run.calls).join(', ')}; expected ${services.length} repositories x ${pages / services.length} page(s) = ${pages} ` +
        `(operations seen: ${operations.join(', ')}; DescribeImages asked for maxResults ${[...new Set(firstCalls.map((call) => call.input.maxResults))].join(', ')})`,
    );
    if (first.measurement.exitCode !== 0)
      log(`  warning: the first pass exited ${first.measurement.exitCode}: ${first.measurement.stderr.trim()}`);
    if (bumped !== services.length)
      log(`  warning: only ${bumped} of ${services.length} services were bumped to ${EXPECTED_TAG}`);
    if (first.head === start) log('  warning: the first pass made no commit');

    // every pass makes the same calls, all of them DescribeImages: one a repository page
    const callsPerPass = Math.max(first.calls, ...seconds.map((run) => run.calls));
    const asExpected =
      operations.every((operation) => operation === 'DescribeImages') &&
      seconds.every((run) => run.calls === first.calls);
    return {
      figures: [
        { name: 'image_update.repositories', value: services.length, unit: 'count' },
        { name: 'image_update.first_pass_s', value: round(first.measurement.seconds), unit: 's' },
        {
          name: 'image_update.second_pass_s',
          value: round(median(seconds.map((run) => run.measurement.seconds))),
          unit: 's',
        },
        { name: 'image_update.registry_calls', value: callsPerPass, unit: 'count' },
        { name: 'image_update.bumped', value: bumped, unit: 'count' },
        {
          name: 'image_update.second_pass_new_commits',
          value: Number((await git(root, ['rev-list', '--count', `${first.head}..${second.head}`])).trim()),
          unit: 'count',
        },
      ],
      targets: {
        'image_update.registry_calls': {
          label: `= ${pages} (${services.length} x ${pages / services.length} page)`,
          met: (value) => value === pages && asExpected,
        },
        'image_update.bumped': {
          label: `= ${services.length}`,
          met: (value) => value === services.length && first.head !== start,
        },
      },
    };
  } finally {
    await server.close();
  }
}
