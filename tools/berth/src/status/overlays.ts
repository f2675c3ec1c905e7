// Reads what every environment runs of every service from its overlay (image.tag, image.digest, chartRevision).
import { readDeployedVersion, type DeployedVersion } from '../image-update/writeback';
import type { WorkspaceFiles } from '../workspace/files';
import { paths, type Workspace } from '../workspace/model';

/** Keyed by `overlayKey(env, service)`; a service without an overlay in an environment it runs in has none. */
export type Overlays = Map<string, DeployedVersion>;

export const overlayKey = (env: string, service: string) => `${env}/${service}`;

export function readOverlays(files: WorkspaceFiles, workspace: Workspace): Overlays {
  const overlays: Overlays = new Map();
  for (const service of workspace.services) {
    for (const env of service.environments) {
      const file = paths.overlay(env, service.name);
      const text = files.read(file);
      if (text !== undefined) overlays.set(overlayKey(env, service.name), readDeployedVersion(text, file));
    }
  }
  return overlays;
}
