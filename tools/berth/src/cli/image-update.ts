// `berth image-update` on the command line: a line per service, the diff on --dry-run, every verdict on --explain.
import type { Decision } from '../image-update/decide';
import { describe } from '../image-update/decide';
import { imageUpdate } from '../image-update/command';
import { table } from './output';
import { plural } from '../util/plural';

export interface ImageUpdateCommandOptions {
  root: string;
  environments?: string[];
  services?: string[];
  dryRun?: boolean;
  push?: boolean;
  explain?: boolean;
  commitPerService?: boolean;
  json?: boolean;
}

const RESULT: Record<Decision['status'], string> = { update: 'bumped', current: 'up to date', pinned: 'pinned', none: 'no candidate' };

export async function imageUpdateCommand(options: ImageUpdateCommandOptions): Promise<void> {
  const report = await imageUpdate(options);
  if (options.json) {
    console.log(JSON.stringify({
      commits: report.commits,
      pushed: report.pushed,
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
    }, null, 2));
    return;
  }
  const updates = report.decisions.filter((decision) => decision.status === 'update');
  console.log(table(
    ['ENV', 'SERVICE', 'FROM', 'TO', 'RESULT'],
    report.decisions.map((decision) => [
      decision.target.env.name,
      decision.target.service.name,
      describe(decision.target.current),
      decision.next ? describe(decision.next) : '-',
      decision.status === 'pinned' || decision.status === 'none' ? `${RESULT[decision.status]}: ${decision.reason}` : RESULT[decision.status],
    ]),
  ));
  for (const decision of report.decisions) {
    if (decision.invalidTags.length) {
      console.log(`\n${decision.target.repository}: skipped ${plural(decision.invalidTags.length, 'tag')} that ${decision.invalidTags.length === 1 ? 'is not an OCI tag' : 'are not OCI tags'}: ${decision.invalidTags.slice(0, 5).map((tag) => JSON.stringify(tag)).join(', ')}`);
    }
    if (options.explain && decision.selection) {
      console.log(`\n${decision.target.env.name}/${decision.target.service.name} (${decision.target.repository}):`);
      for (const verdict of decision.selection.candidates) console.log(`  ${verdict.taken ? '*' : ' '} ${verdict.tag.padEnd(30)} ${verdict.reason}`);
    }
  }
  if (options.dryRun) {
    console.log(updates.length ? `\n${report.diff}` : '\nup to date: nothing would change');
  } else if (updates.length === 0) {
    console.log('\nup to date: no new images, no commit');
  } else {
    console.log(`\n${plural(updates.length, 'image')} bumped in ${plural(report.commits.length, 'commit')} ${report.commits.map((commit) => commit.slice(0, 12)).join(', ')}${report.pushed ? ', pushed' : ' (not pushed; use --push)'}`);
  }
}
