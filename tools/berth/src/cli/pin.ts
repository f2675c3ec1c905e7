// `berth pin` and `berth unpin` on the command line.
import { pin, unpin } from '../pin/command';

export interface PinCommandOptions {
  root: string;
  service: string;
  env: string;
  version?: string;
  reason?: string;
  push?: boolean;
}

export async function pinCommand(options: PinCommandOptions): Promise<void> {
  const { result, commits, pushed } = await pin(options);
  console.log(`${result.message}${commits.length ? ` (commit ${commits[0].slice(0, 12)}${pushed ? ', pushed' : ''})` : ''}`);
}

export async function unpinCommand(options: Omit<PinCommandOptions, 'version' | 'reason'>): Promise<void> {
  const { result, commits, pushed } = await unpin(options);
  console.log(`${result.message} (commit ${commits[0].slice(0, 12)}${pushed ? ', pushed' : ''})`);
}
