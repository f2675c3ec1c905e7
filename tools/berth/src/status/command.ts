// Gathers what `berth status` shows: the workspace and its overlays from disk, the history from one git call.
import { readHistory } from '../history/log';
import { diskFiles } from '../workspace/files';
import { loadWorkspace } from '../workspace/load';
import { buildStatus, type StatusReport } from './model';
import { readOverlays } from './overlays';

export async function status(root: string, now: Date = new Date()): Promise<StatusReport> {
  // the one git call: every commit under environments/ and apps/ with its records and files
  const history = readHistory(root);
  history.catch(() => undefined); // awaited below; a workspace error must not leave it unhandled
  const files = diskFiles(root);
  const workspace = loadWorkspace(files);
  const overlays = readOverlays(files, workspace);
  return buildStatus(workspace, overlays, await history, now);
}
