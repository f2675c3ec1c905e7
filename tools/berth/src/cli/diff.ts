// `berth diff` on the command line: prints the report as text, a pull-request comment (--markdown) or JSON.
import { diff, type DiffOptions } from '../diff/command';
import { formatMarkdown, formatText } from '../diff/report';
import { progress } from './output';

export interface DiffCommandOptions extends Omit<DiffOptions, 'onProgress'> {
  markdown?: boolean;
  json?: boolean;
}

/** Exits 0 whether or not anything differs (a difference is what the command is for); errors throw. */
export async function diffCommand(options: DiffCommandOptions): Promise<void> {
  const { markdown: _markdown, json: _json, ...request } = options;
  const report = await diff({ ...request, onProgress: progress('rendering') });
  if (options.json) {
    // with --markdown too, the comment rides along, so CI gets both from one run
    console.log(JSON.stringify(options.markdown ? { ...report, markdown: formatMarkdown(report) } : report, null, 2));
  } else if (options.markdown) {
    process.stdout.write(formatMarkdown(report));
  } else {
    console.log(formatText(report, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }));
  }
}
