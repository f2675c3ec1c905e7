// What `berth diff` reports: the shape of --json, and what the text and markdown formats are made from.
import type { ApplicationStatus } from './affected';
import type { BaseRevision } from './checkout';
import type { ObjectsDiff } from './objects';
import type { UnrenderedAddon } from './unrendered';

export interface ApplicationDiff extends ObjectsDiff {
  environment: string;
  /** The Application's metadata.name. */
  application: string;
  /** The service it renders; absent for a root Application (app of apps), whose objects are Applications. */
  service?: string;
  /** Whether the Application itself is new, gone, or on both sides. */
  status: ApplicationStatus;
}

export interface DiffReport {
  base: BaseRevision;
  /** The other side: always the working tree, uncommitted and untracked files included. */
  head: 'working tree';
  /** The environments compared, in promotion order. */
  environments: string[];
  /** Applications in those environments, on either side, counted as `berth render` counts them (one per service per environment). */
  compared: number;
  /** Root Applications (app of apps) in those environments, on either side, compared besides. */
  roots: number;
  /** Applications and root Applications rendered (a root's folder read) because their inputs differ; the others are not rendered at all. */
  rendered: number;
  /** Applications whose objects differ, by environment (promotion order) then name. */
  applications: ApplicationDiff[];
  /** Add-on Applications whose Application or values differ but whose upstream chart could not be rendered here. */
  unrendered?: UnrenderedAddon[];
  /** Milliseconds per step, for people chasing a slow diff. */
  timings: { checkout: number; hash: number; render: number; compare: number };
}
