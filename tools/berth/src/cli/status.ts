// `berth status` on the command line: the services × environments matrix as text, JSON, or one HTML page.
import { BerthError } from '../errors';
import { boardFile } from '../status/board-file';
import { status } from '../status/command';
import { renderStatusHtml } from '../status/html';
import { formatStatusText } from '../status/text';
import { writeFileAtomic } from '../util/fs';
import { assertOutputLocation } from '../workspace/output-location';
import { plural } from '../util/plural';

export interface StatusCommandOptions {
  root: string;
  json?: boolean;
  /** Write the page here: the command line passes it resolved from where the user is; a relative one is from the root. */
  html?: string;
  /** --html as the user typed it, for messages. */
  htmlAsTyped?: string;
  /** The moment ages are counted to; the clock when absent. */
  now?: Date;
  /** Ask Argo CD's API (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN) for sync, health, revision and images of every cell. */
  live?: boolean;
}

export async function statusCommand(options: StatusCommandOptions): Promise<void> {
  // the target is checked before any work, so a bad --html fails fast and writes nothing
  const shown = options.htmlAsTyped ?? options.html;
  const file = options.html === undefined ? undefined : boardFile(options.root, options.html, shown);
  if (file) assertOutputLocation(options.root, file, '--html');
  const report = await status(options.root, options.now, { live: options.live });
  if (file) {
    try {
      writeFileAtomic(file, renderStatusHtml(report));
    } catch (error) {
      throw new BerthError(`cannot be written: ${(error as Error).message}.`, {
        file: shown,
        field: '--html',
        fix: 'pass a file in a folder you can write to, such as dist/status.html.',
        cause: error,
      });
    }
    if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else
      process.stdout.write(
        `wrote ${file}: ${plural(report.services.length, 'service')} in ${plural(report.environments.length, 'environment')}\n`,
      );
    return;
  }
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatusText(report));
}
