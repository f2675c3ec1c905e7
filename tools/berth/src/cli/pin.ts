// `berth pin` and `berth unpin` on the command line: what changed, and where it went (commit, push, pull request).
import { pin, unpin, type PinOptions, type PinResult } from '../pin/command';
import type { Transaction } from '../git/transact';

function report({ result, commits, pushed }: Transaction<PinResult>): string {
  if (!commits.length) return result.message;
  const commit = commits[0].slice(0, 12);
  if (result.mode !== 'pr') return `${result.message} (commit ${commit}${pushed ? ', pushed' : ''})`;
  const proposed = `proposed: ${result.message.replace(/^(pinned|unpinned)/, (verb) => (verb === 'pinned' ? 'pin' : 'unpin'))}`;
  if (result.pullRequest)
    return `${proposed}\nopened pull request #${result.pullRequest.number}: ${result.pullRequest.url}`;
  const branch = `pushed branch ${result.branch} (commit ${commit}) for a pull request into ${result.base}: the environment takes changes by pull request`;
  if (result.compareUrl) return `${proposed}\n${branch}.\nOpen the pull request: ${result.compareUrl}`;
  return `${proposed}\n${branch}.\nOpen a pull request from ${result.branch} into ${result.base}.`;
}

export async function pinCommand(options: PinOptions): Promise<void> {
  console.log(report(await pin(options)));
}

export async function unpinCommand(options: Omit<PinOptions, 'version' | 'reason' | 'force'>): Promise<void> {
  console.log(report(await unpin(options)));
}
