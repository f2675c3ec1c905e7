// Which Applications may differ between two checkouts: those whose input hashes differ, or that exist on one side only.
import type { ApplicationInputs } from './inputs';

export type ApplicationStatus = 'added' | 'removed' | 'changed';

export interface AffectedApplication {
  id: string;
  environment: string;
  application: string;
  /** The service a helm Application renders; absent for a root Application. */
  service?: string;
  status: ApplicationStatus;
  before?: ApplicationInputs;
  after?: ApplicationInputs;
}

/**
 * Pure: compares the keys of each Application on both sides, in `environments` only (all when empty). An
 * Application whose key is the same on both sides renders the same objects, so it is never rendered.
 */
export function affectedApplications(
  before: Map<string, ApplicationInputs>,
  after: Map<string, ApplicationInputs>,
  environments: string[] = [],
): AffectedApplication[] {
  const selected = (inputs: ApplicationInputs) =>
    environments.length === 0 || environments.includes(inputs.environment);
  const affected: AffectedApplication[] = [];
  for (const id of new Set([...before.keys(), ...after.keys()])) {
    const [old, current] = [before.get(id), after.get(id)];
    const either = (current ?? old)!;
    if (!selected(either) || old?.key === current?.key) continue;
    const status: ApplicationStatus = !old ? 'added' : !current ? 'removed' : 'changed';
    affected.push({
      id,
      environment: either.environment,
      application: either.application,
      service: either.service,
      status,
      before: old,
      after: current,
    });
  }
  return affected;
}
