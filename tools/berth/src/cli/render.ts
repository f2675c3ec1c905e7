// `berth render` on the command line: runs the render and prints the environment x service summary.
import { render } from '../render/command';
import { progress, table } from './output';
import { plural } from '../util/plural';

export interface RenderCommandOptions {
  root: string;
  environments?: string[];
  services?: string[];
  out?: string;
  json?: boolean;
}

export async function renderCommand(options: RenderCommandOptions): Promise<void> {
  const started = Date.now();
  const results = await render({ ...options, onProgress: progress('rendering') });
  if (options.json) {
    console.log(JSON.stringify(results, null, 2));
    return;
  }
  console.log(table(
    ['ENV', 'SERVICE', 'KIND', 'REPLICAS', 'IMAGE', 'OBJECTS', 'FILE'],
    results.map((result) => [result.environment, result.service, result.workload, result.replicas, result.image, String(result.objects), result.file]),
  ));
  const fresh = results.filter((result) => !result.cached).length;
  console.log(`\nrendered ${plural(results.length, 'Application')} (${fresh} with helm, ${results.length - fresh} unchanged) in ${((Date.now() - started) / 1000).toFixed(1)}s`);
}
