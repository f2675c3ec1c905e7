// Each environment stays in its own room: its own namespace and cluster destination, Argo CD names nobody else has.
import { isIP } from 'node:net';
import { BerthError } from '../errors';
import { CLUSTER_BASE, applicationName, projectNames } from './names';
import { paths, type BerthSettings, type Environment, type Service } from './model';

/** Namespaces Kubernetes itself uses; cluster-base would take one over (labels, and prune) if an environment named it. */
export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Why an environment's namespace is not its own, or undefined. */
export function namespaceProblem(namespace: string, settings: BerthSettings): string | undefined {
  if (SYSTEM_NAMESPACES.includes(namespace)) return `"${namespace}" is a Kubernetes system namespace`;
  if (namespace === settings.argocdNamespace)
    return `"${namespace}" is the namespace Argo CD runs in (berth.yaml argocdNamespace)`;
  return undefined;
}

const LINK_LOCAL_V4 = /^169\.254\./;
const GLOB = /[*?[\]{}!]/;

/** Why a cluster destination is not one cluster Argo CD can be pinned to, or undefined. */
export function clusterProblem(cluster: {
  server?: string;
  name?: string;
}): { field: string; problem: string; fix: string } | undefined {
  if (cluster.name !== undefined) {
    if (GLOB.test(cluster.name) || /\s/.test(cluster.name)) {
      return {
        field: 'cluster.name',
        problem: `"${cluster.name}" is a pattern, which would let the AppProject deploy to any matching cluster`,
        fix: 'name exactly one cluster registered in Argo CD (argocd cluster list).',
      };
    }
    return undefined;
  }
  const server = cluster.server ?? '';
  const fix =
    'use the cluster API endpoint, https://<host>[:port] (aws eks describe-cluster --query cluster.endpoint), or https://kubernetes.default.svc for the cluster Argo CD runs in.';
  let url: URL;
  try {
    url = new URL(server);
  } catch {
    return { field: 'cluster.server', problem: `"${server}" is not a URL`, fix };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (GLOB.test(host) || GLOB.test(decodeURIComponent(url.pathname))) {
    return {
      field: 'cluster.server',
      problem: `"${server}" is a pattern, which would let the AppProject deploy to any cluster`,
      fix,
    };
  }
  if (url.protocol !== 'https:')
    return {
      field: 'cluster.server',
      problem: `"${server}" uses ${url.protocol.replace(/:$/, '')}; Argo CD must reach a cluster over https`,
      fix,
    };
  if (url.username || url.password)
    return {
      field: 'cluster.server',
      problem: 'carries credentials in the URL, which would be copied into every AppProject',
      fix: 'remove them; Argo CD holds cluster credentials in its cluster secret.',
    };
  if (!host) return { field: 'cluster.server', problem: `"${server}" names no host`, fix };
  if (
    (isIP(host) === 4 && LINK_LOCAL_V4.test(host)) ||
    (isIP(host) === 6 && /^fe[89ab]/i.test(host)) ||
    host === '0.0.0.0' ||
    host === '::'
  ) {
    return {
      field: 'cluster.server',
      problem: `"${server}" is a link-local or unspecified address (instance metadata lives there), not a cluster`,
      fix,
    };
  }
  if (url.search || url.hash) return { field: 'cluster.server', problem: `"${server}" has a query or fragment`, fix };
  return undefined;
}

const destinationOf = (env: Environment) =>
  env.cluster.server ? `server ${env.cluster.server.replace(/\/+$/, '')}` : `cluster ${env.cluster.name}`;

/** Refuses namespaces, destinations and Argo CD object names that two environments (or an environment and Kubernetes) would share. */
export function checkTenancy(settings: BerthSettings, environments: Environment[], services: Service[]): void {
  const destinations = new Map<string, string>();
  for (const env of environments) {
    const file = paths.env(env.name);
    const problem = namespaceProblem(env.namespace, settings);
    if (problem) {
      throw new BerthError(`${problem}; an environment needs a namespace of its own.`, {
        file,
        field: 'namespace',
        fix: `set namespace: ${env.name} (or another name no one else uses).`,
      });
    }
    const cluster = clusterProblem(env.cluster);
    if (cluster) throw new BerthError(`${cluster.problem}.`, { file, field: cluster.field, fix: cluster.fix });
    const key = `${destinationOf(env)} namespace ${env.namespace}`;
    const other = destinations.get(key);
    if (other) {
      throw new BerthError(
        `"${env.namespace}" on the same cluster is environment ${other}'s namespace; each would prune the other's objects.`,
        {
          file,
          field: 'namespace',
          fix: `give ${env.name} a namespace of its own, e.g. namespace: ${env.name}.`,
        },
      );
    }
    destinations.set(key, env.name);
  }
  checkArgoNames(environments, services);
}

/** Argo CD names AppProjects and Applications by concatenation: "dev-service" + "a" and "dev" + "service-a" meet. */
function checkArgoNames(environments: Environment[], services: Service[]): void {
  const projects = new Map<string, string>();
  const applications = new Map<string, string>();
  const claim = (
    names: Map<string, string>,
    kind: string,
    name: string,
    owner: string,
    file: string,
    field: string,
  ) => {
    const other = names.get(name);
    if (other && other !== owner) {
      throw new BerthError(
        `makes the Argo CD ${kind} "${name}", which ${other} already makes; Argo CD would see one object.`,
        {
          file,
          field,
          fix: "rename the environment or the service so the names differ (environment names should not end in -cluster or -root, or begin with another environment's name and a dash).",
        },
      );
    }
    names.set(name, owner);
  };
  for (const env of environments) {
    const file = paths.env(env.name);
    for (const [role, name] of Object.entries(projectNames(env.name)))
      claim(projects, 'AppProject', name, `environment ${env.name} (${role} project)`, file, 'name');
    for (const app of [CLUSTER_BASE, 'root'])
      claim(
        applications,
        'Application',
        applicationName(env.name, app),
        `environment ${env.name} (${app})`,
        file,
        'name',
      );
  }
  for (const service of services) {
    for (const env of service.environments) {
      claim(
        applications,
        'Application',
        applicationName(env, service.name),
        `service ${service.name} in ${env}`,
        paths.app(service.name),
        'name',
      );
    }
  }
}
