// `berth status` on the command line: the services × environments matrix as text, JSON, or one HTML page.
import { resolve } from 'node:path';
import { status } from '../status/command';
import { renderStatusHtml } from '../status/html';
import { formatStatusText } from '../status/text';
import { writeFileAtomic } from '../util/fs';

export interface StatusCommandOptions {
  root: string;
  json?: boolean;
  /** Write the page here: the command line passes it resolved from where the user is; a relative one is from the root. */
  html?: string;
}

export async function statusCommand(options: StatusCommandOptions): Promise<void> {
  const report = await status(options.root);
  if (options.html) {
    const file = resolve(options.root, options.html);
    writeFileAtomic(file, renderStatusHtml(report));
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else process.stdout.write(`wrote ${file}: ${report.services.length} services in ${report.environments.length} environments\n`);
    return;
  }
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatusText(report));
}
