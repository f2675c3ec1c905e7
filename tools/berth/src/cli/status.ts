// `berth status` on the command line: the services × environments matrix as text, JSON, or one HTML page.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { status } from '../status/command';
import { renderStatusHtml } from '../status/html';
import { formatStatusText } from '../status/text';
import { writeFileAtomic } from '../util/fs';
import { BerthError } from '../errors';
import { assertOutputLocation } from '../workspace/output-location';

export interface StatusCommandOptions {
  root: string;
  json?: boolean;
  /** Write the page here (relative to the root, like render's --out). */
  html?: string;
}

export async function statusCommand(options: StatusCommandOptions): Promise<void> {
  if (options.html) {
    assertOutputLocation(options.root, resolve(options.root, options.html), '--html');
    if (existsSync(resolve(options.root, options.html)) && statSync(resolve(options.root, options.html)).isDirectory()) {
      throw new BerthError(`${options.html} is a folder; --html names the page's file.`, { field: '--html', fix: 'name a file such as dist/status.html.' });
    }
  }
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
