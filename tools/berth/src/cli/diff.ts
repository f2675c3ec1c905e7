// `berth diff` on the command line: prints the report as text, a pull-request comment (--markdown) or JSON.
import { diff } from '../diff/command';
import { formatMarkdown, formatText } from '../diff/report';
import { progress } from './output';

export interface DiffCommandOptions {
  root: string;
  base?: string;
  environments?: string[];
  markdown?: boolean;
  json?: boolean;
}

/** Exits 0 whether or not anything differs (a difference is what the command is for); errors throw. */
export async function diffCommand(options: DiffCommandOptions): Promise<void> {
  const report = await diff({
    root: options.root,
    base: options.base,
    environments: options.environments,
    onProgress: progress('rendering'),
  });
  if (options.json) {
    // with --markdown too, the comment rides along, so CI gets both from one run
    console.log(JSON.stringify(options.markdown ? { ...report, markdown: formatMarkdown(report) } : report, null, 2));
  } else if (options.markdown) {
    process.stdout.write(formatMarkdown(report));
  } else {
    console.log(formatText(report, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }));
  }
}
