// Name rules: what Kubernetes, Helm and the file layout accept as a service or environment name.

/** Helm release names are at most 53 characters; the release name is the service name. */
export const MAX_SERVICE_NAME = 53;
/** Leaves room for "-<service>" in Application names and "-headless" in Service names. */
export const MAX_ENVIRONMENT_NAME = 20;
/** Chart and Application names berth itself uses; a service of that name would collide. */
export const RESERVED_NAMES = ['common', 'platform', 'cluster-base', 'root'];

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` cannot be used, or undefined when it can. */
export function nameProblem(name: unknown, maxLength: number): string | undefined {
  if (typeof name !== 'string' || name === '') return 'is empty';
  if (name.length > maxLength) return `is ${name.length} characters long; the limit is ${maxLength}`;
  if (!DNS_LABEL.test(name)) {
    return 'is not a DNS-1123 label (lower-case letters, digits and "-", starting and ending with a letter or digit)';
  }
  return undefined;
}

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

export function isDnsName(value: unknown): value is string {
  return typeof value === 'string' && DNS_NAME.test(value);
}

/** The chart every environment syncs first: its namespace, storage class and secret store. */
export const CLUSTER_BASE = 'cluster-base';

/** Argo CD object names: four AppProjects per environment, one Application per app (service, add-on, cluster-base, root). */
export const projectNames = (env: string) => ({
  services: env,
  cluster: `${env}-cluster`,
  root: `${env}-root`,
  addons: `${env}-addons`,
});
export const applicationName = (env: string, app: string) => `${env}-${app}`;

/** Names, on an Application that carries its values (a pinned chart), the value files they come from: what a person edits. */
export const VALUES_FROM_ANNOTATION = 'berth.dev/values-from';
