// `berth chart-fetch <repo> <chart> <version>`: fills berth's chart cache, the command a "not cached" notice names.
import { chartCacheRoot } from '../charts/cache';
import { fetchChartEntry } from '../charts/fetch';
import { chartRef, describeChart } from '../charts/reference';

export interface ChartFetchCommandOptions {
  repo: string;
  chart: string;
  version: string;
  json?: boolean;
}

export async function chartFetchCommand(options: ChartFetchCommandOptions): Promise<void> {
  const ref = chartRef(options.repo, options.chart, options.version, { field: '<repo> <chart> <version>' });
  const cached = await fetchChartEntry(ref);
  if (options.json) console.log(JSON.stringify({ ...ref, digest: cached.digest, dir: cached.dir }, null, 2));
  else console.log(`cached ${describeChart(ref)} (${cached.digest}) in ${chartCacheRoot()}`);
}
