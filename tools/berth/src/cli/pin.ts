// `berth pin` and `berth unpin` on the command line.
import { pin, unpin, type PinOptions } from '../pin/command';

export async function pinCommand(options: PinOptions): Promise<void> {
  const { result, commits, pushed } = await pin(options);
  console.log(`${result.message}${commits.length ? ` (commit ${commits[0].slice(0, 12)}${pushed ? ', pushed' : ''})` : ''}`);
}

export async function unpinCommand(options: Omit<PinOptions, 'version' | 'reason'>): Promise<void> {
  const { result, commits, pushed } = await unpin(options);
  console.log(`${result.message} (commit ${commits[0].slice(0, 12)}${pushed ? ', pushed' : ''})`);
}
