// Reads what every environment runs of every service from its overlay (image.tag, image.digest, chartRevision).
import type { WorkspaceFiles } from '../workspace/files';
import type { Workspace } from '../workspace/model';
import { readOverlayIfPresent, type DeployedVersion } from '../workspace/overlay';

/** Keyed by `overlayKey(env, service)`; a service without an overlay in an environment it runs in has none. */
export type Overlays = Map<string, DeployedVersion>;

export const overlayKey = (env: string, service: string) => `${env}/${service}`;

export function readOverlays(files: WorkspaceFiles, workspace: Workspace): Overlays {
  const overlays: Overlays = new Map();
  for (const service of workspace.services) {
    for (const env of service.environments) {
      const overlay = readOverlayIfPresent(files, env, service.name);
      if (overlay) overlays.set(overlayKey(env, service.name), overlay.version);
    }
  }
  return overlays;
}
