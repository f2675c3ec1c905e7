// Every Application of one checkout with a hash of everything its objects depend on; reads files, renders nothing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { paths } from '../workspace/model';
import { loadHelmRequests } from '../render/applications';
import type { HelmRequest } from '../render/argo-rules';
import { InputHasher } from '../render/cache';
import { helmLineFor } from '../helm/versions';
import { RenderSession } from '../render/session';
import { directoryApplications, type DirectoryApplication } from './directory';

export interface ApplicationInputs {
  environment: string;
  application: string;
  /** The service a helm Application renders (what `render --service` selects); absent for a root Application. */
  service?: string;
  /** Equal on both sides exactly when the rendered objects must be equal. */
  key: string;
  /** How its objects are made: rendered with helm, or read from a directory (the root Application). */
  source: { helm: HelmRequest } | { directory: DirectoryApplication };
}

export interface CheckoutInputs {
  /** The checkout's workspace, loaded once: what its Applications render with (none before the workspace existed). */
  session?: RenderSession;
  /** Environment names in promotion order. */
  environments: string[];
  /** By applicationId(). */
  applications: Map<string, ApplicationInputs>;
}

export const applicationId = (environment: string, application: string) => `${environment}/${application}`;

/** Keys are only compared between the two sides of one diff, made by this same code: no tool version needed. */
const SAME_TOOL = 'berth diff';

/** The Applications of the workspace at `root`; a checkout from before the workspace existed has none. */
export function checkoutInputs(root: string): CheckoutInputs {
  if (!existsSync(join(root, paths.settings))) return { environments: [], applications: new Map() };
  const session = RenderSession.open(root);
  const { files, workspace } = session;
  const hasher = new InputHasher(root, SAME_TOOL, session.charts);
  const applications = new Map<string, ApplicationInputs>();
  const argocd = new Map(workspace.environments.map((env) => [env.name, helmLineFor(env.argocd.version).argocd]));
  for (const request of loadHelmRequests(files, workspace)) {
    // a new argocd.version changes the helm that renders: the Application changes with it
    const key = hasher.request(request, `for Argo CD ${argocd.get(request.environment)}`);
    applications.set(applicationId(request.environment, request.application), {
      environment: request.environment,
      application: request.application,
      service: request.service,
      key,
      source: { helm: request },
    });
  }
  for (const directory of directoryApplications(root)) {
    applications.set(applicationId(directory.environment, directory.application), {
      environment: directory.environment,
      application: directory.application,
      key: directory.key,
      source: { directory },
    });
  }
  return { session, environments: workspace.environments.map((env) => env.name), applications };
}
