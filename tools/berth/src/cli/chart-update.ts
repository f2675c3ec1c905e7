// `berth chart-update` on the command line (work in progress on this branch).
import { BerthError } from '../errors';

export interface ChartUpdateCommandOptions {
  root: string;
  environments?: string[];
  services?: string[];
  dryRun?: boolean;
  push?: boolean;
  explain?: boolean;
  json?: boolean;
}

export async function chartUpdateCommand(_options: ChartUpdateCommandOptions): Promise<void> {
  throw new BerthError('chart-update is not built yet.');
}
