// `berth render` on the command line: runs the render and prints the environment x service summary.
import { relative, resolve } from 'node:path';
import type { Selection } from '../render/applications';
import { render, type RenderOptions } from '../render/command';
import { RenderSession } from '../render/session';
import { table } from '../util/table';
import { progress } from './output';
import { plural } from '../util/plural';
import { helmUseLine, helmUses } from '../helm/report';

export interface RenderCommandOptions extends Selection, Omit<RenderOptions, 'onProgress' | 'complete'> {
  root: string;
  json?: boolean;
  /** Where the user is: the table's paths are relative to it, as git prints them (JSON keeps them from the root). */
  cwd?: string;
}

export async function renderCommand(options: RenderCommandOptions): Promise<void> {
  const started = Date.now();
  const session = RenderSession.open(options.root);
  const requests = await session.requests(options);
  const results = await render(session, requests, {
    out: options.out,
    onProgress: progress('rendering'),
    complete: !options.environments?.length && !options.services?.length,
  });
  const { cwd } = options;
  const shown = (file: string) => (cwd ? relative(cwd, resolve(options.root, file)) : file);
  if (options.json) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  console.log(
    table(
      ['ENV', 'SERVICE', 'KIND', 'REPLICAS', 'IMAGE', 'OBJECTS', 'FILE'],
      results.map((result) => [
        result.environment,
        result.service,
        result.unavailable ? 'not rendered' : result.workload,
        result.replicas,
        result.image,
        String(result.objects),
        result.unavailable ? '-' : shown(result.file),
      ]),
    ),
  );
  // once per environment, so a reader knows which Helm stood in for each Argo CD
  for (const use of helmUses(requests)) console.log(helmUseLine(use));
  const missing = results.filter((result) => result.unavailable);
  if (missing.length) console.log('');
  // not a failure: the chart is simply not on this machine yet, and the line says how to get it
  for (const result of missing) console.log(`${result.environment}/${result.service}: ${result.unavailable!.message}`);
  const done = results.length - missing.length;
  const fresh = results.filter((result) => !result.cached && !result.unavailable).length;
  console.log(
    `\nrendered ${plural(done, 'Application')} (${fresh} with helm, ${done - fresh} unchanged)${missing.length ? `, ${missing.length} not rendered (chart not cached)` : ''} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
}
