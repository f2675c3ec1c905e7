// `berth image-update` on the command line: a line per service, the diff on --dry-run, every verdict on --explain.
// Exit codes: 0 done (or nothing to do); 1 an error, nothing written; 3 partial: some registries failed, their
// services are listed and left as they were, every other service was decided and bumped.
import { BerthError } from '../errors';
import type { Decision } from '../image-update/decide';
import { imageUpdate, type ImageUpdateOptions, type RegistryFailure } from '../image-update/command';
import { describeImage } from '../workspace/overlay';
import { table } from '../util/table';
import { plural } from '../util/plural';

/** Some registries failed; the services whose registries answered were updated. */
export const EXIT_PARTIAL = 3;

export interface ImageUpdateCommandOptions extends ImageUpdateOptions {
  explain?: boolean;
  json?: boolean;
}

const RESULT: Record<Decision['status'], string> = {
  update: 'bumped',
  current: 'up to date',
  pinned: 'pinned',
  none: 'no candidate',
};

const problemOf = (error: Error) => (error instanceof BerthError ? error.problem : error.message);
const fixOf = (error: Error) => (error instanceof BerthError ? error.fix : undefined);

function failureLines(failures: RegistryFailure[]): string {
  const lines = failures.map(({ target, registry, error }) => {
    const fix = fixOf(error);
    return `  ${target.env.name}/${target.service.name} (${registry}): ${problemOf(error)}${fix ? `\n    Fix: ${fix}` : ''}`;
  });
  return `\n${plural(failures.length, 'service')} not updated because their registry failed (exit code ${EXIT_PARTIAL}; the others were updated):\n${lines.join('\n')}`;
}

export async function imageUpdateCommand(options: ImageUpdateCommandOptions): Promise<void> {
  const report = await imageUpdate(options);
  if (report.failures.length > 0) process.exitCode = EXIT_PARTIAL;
  if (options.json) {
    console.log(
      JSON.stringify(
        {
          commits: report.commits,
          pushed: report.pushed,
          partial: report.failures.length > 0,
          failures: report.failures.map(({ target, registry, error }) => ({
            environment: target.env.name,
            service: target.service.name,
            repository: target.repository,
            registry,
            error: problemOf(error),
            fix: fixOf(error) ?? null,
          })),
          services: report.decisions.map((decision) => ({
            environment: decision.target.env.name,
            service: decision.target.service.name,
            repository: decision.target.repository,
            from: decision.target.current,
            to: decision.next ?? null,
            status: decision.status,
            reason: decision.reason,
            invalidTags: decision.invalidTags,
            ...(options.explain ? { candidates: decision.selection?.candidates ?? [] } : {}),
          })),
        },
        null,
        2,
      ),
    );
    return;
  }
  const updates = report.decisions.filter((decision) => decision.status === 'update');
  console.log(
    table(
      ['ENV', 'SERVICE', 'FROM', 'TO', 'RESULT'],
      report.decisions
        .map((decision) => [
          decision.target.env.name,
          decision.target.service.name,
          describeImage(decision.target.current),
          decision.next ? describeImage(decision.next) : '-',
          decision.status === 'pinned' || decision.status === 'none'
            ? `${RESULT[decision.status]}: ${decision.reason}`
            : RESULT[decision.status],
        ])
        .concat(
          report.failures.map(({ target, registry }) => [
            target.env.name,
            target.service.name,
            describeImage(target.current),
            '-',
            `registry failed: ${registry}`,
          ]),
        ),
    ),
  );
  for (const decision of report.decisions) {
    if (decision.invalidTags.length) {
      console.log(
        `\n${decision.target.repository}: skipped ${plural(decision.invalidTags.length, 'tag')} that ${decision.invalidTags.length === 1 ? 'is not an OCI tag' : 'are not OCI tags'}: ${decision.invalidTags
          .slice(0, 5)
          .map((tag) => JSON.stringify(tag))
          .join(', ')}`,
      );
    }
    if (options.explain && decision.selection) {
      console.log(`\n${decision.target.env.name}/${decision.target.service.name} (${decision.target.repository}):`);
      for (const verdict of decision.selection.candidates)
        console.log(`  ${verdict.taken ? '*' : ' '} ${verdict.tag.padEnd(30)} ${verdict.reason}`);
    }
  }
  // on stderr, so the --dry-run patch on stdout stays a patch
  if (report.failures.length > 0) console.error(`berth: ${failureLines(report.failures).trimStart()}`);
  const upToDate = report.failures.length > 0 ? 'nothing new from the registries that answered' : 'up to date';
  if (options.dryRun) {
    // the patch goes out as it is, so `berth image-update --dry-run | git apply` works
    if (updates.length) process.stdout.write(`\n${report.diff}`);
    else console.log(`\n${upToDate}: nothing would change`);
  } else if (updates.length === 0) {
    console.log(`\n${upToDate}: no new images, no commit`);
  } else {
    console.log(
      `\n${plural(updates.length, 'image')} bumped in ${plural(report.commits.length, 'commit')} ${report.commits.map((commit) => commit.slice(0, 12)).join(', ')}${report.pushed ? ', pushed' : ' (not pushed; use --push)'}`,
    );
  }
}
