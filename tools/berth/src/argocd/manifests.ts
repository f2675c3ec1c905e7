// Builds the Argo CD objects of an environment from env.yaml and app.yaml: pure data, no I/O.
import type { BerthSettings, Environment, Service } from '../workspace/model';
import { paths } from '../workspace/model';
import { addonValues, type Addon } from '../workspace/addons';
import { CLUSTER_BASE_CLUSTER_KINDS, CLUSTER_BASE_NAMESPACED_KINDS, CONTROLLER_MADE_KINDS, ROOT_KINDS, SERVICE_KINDS, type GroupKind } from './kinds';
import { CLUSTER_BASE_WAVE } from './waves';
import { mergeValues, type Values } from '../util/values-merge';

export { CLUSTER_BASE, applicationName, projectNames } from '../workspace/names';
import { CLUSTER_BASE, VALUES_FROM_ANNOTATION, applicationName, projectNames } from '../workspace/names';
const IN_CLUSTER = 'https://kubernetes.default.svc';


type Manifest = Record<string, unknown>;

function destination(env: Environment): Manifest {
  const cluster = env.cluster.server ? { server: env.cluster.server } : { name: env.cluster.name };
  return { ...cluster, namespace: env.namespace };
}

/** The chart-visible facts of env.yaml, handed to every chart as the Application's valuesObject. */
export function environmentValues(env: Environment): Manifest {
  return {
    environment: {
      name: env.name,
      namespace: env.namespace,
      domain: env.domain,
      region: env.region,
      vpcCidr: env.vpcCidr,
      alb: dropEmpty({ ...env.ingress }),
      secrets: dropEmpty({ ...env.secrets }),
    },
  };
}

function dropEmpty(value: Record<string, unknown>): Manifest {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined && item !== ''));
}

function syncPolicy(env: Environment, prune: boolean): Manifest {
  return {
    ...(env.sync.automated ? { automated: { prune, selfHeal: env.sync.selfHeal } } : {}),
    syncOptions: ['ServerSideApply=true', 'PruneLast=true'],
    retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
  };
}

interface HelmApplicationSpec {
  app: string;
  project: string;
  wave: number;
  valueFiles: string[];
  prune: boolean;
  /** A chart pinned at a commit (berth promote), with the values its value files hold. Absent: the branch. */
  pin?: PinnedChart;
  /** The Applications' helm.apiVersions: what the environment serves (workspace/api-kinds servedApis). */
  apiVersions: string[];
  /** Values cluster-base alone takes beside the environment block. */
  extraValues?: Manifest;
}

/** The commit whose charts/ an environment deploys, and the values of the service's value files there (merged). */
export interface PinnedChart {
  chartRevision: string;
  values: Values;
}

function applicationMetadata(
  settings: BerthSettings,
  env: Environment,
  app: string,
  wave: number,
  labels: Record<string, string> = {},
  annotations: Record<string, string> = {},
): Manifest {
  return {
    name: applicationName(env.name, app),
    namespace: settings.argocdNamespace,
    labels: { 'berth.dev/environment': env.name, 'berth.dev/service': app, ...labels },
    annotations: { 'argocd.argoproj.io/sync-wave': String(wave), ...annotations },
    finalizers: ['resources-finalizer.argocd.argoproj.io'],
  };
}

const valuesSource = (settings: BerthSettings) => ({
  repoURL: settings.repoURL,
  targetRevision: settings.revision,
  ref: 'values',
});

/**
 * A chart of this repository. Following the branch, its value files come from the branch too (`$values/`, the
 * `ref: values` source). Pinned at a commit, it is one source that carries its values (valuesObject): Argo CD reads
 * one repository at one revision per Application ("cannot reference a different revision of the same repository"),
 * and the files at the pinned commit are not the environment's values now.
 */
function helmApplication(settings: BerthSettings, env: Environment, spec: HelmApplicationSpec): Manifest {
  const environment = { ...environmentValues(env), ...spec.extraValues };
  const helm = (fromFiles: Manifest) => ({
    releaseName: spec.app,
    ...fromFiles,
    kubeVersion: env.cluster.kubeVersion,
    apiVersions: spec.apiVersions,
  });
  const chartSource = (fromFiles: Manifest) => ({
    repoURL: settings.repoURL,
    targetRevision: spec.pin?.chartRevision ?? settings.revision,
    path: paths.chart(spec.app),
    helm: helm(fromFiles),
  });
  const sources = spec.pin
    ? { source: chartSource({ valuesObject: mergeValues(spec.pin.values, environment) }) }
    : spec.valueFiles.length > 0
      ? {
          sources: [
            chartSource({ valueFiles: spec.valueFiles.map((file) => `$values/${file}`), valuesObject: environment }),
            valuesSource(settings),
          ],
        }
      : { source: chartSource({ valuesObject: environment }) };
  const annotations: Record<string, string> = spec.pin ? { [VALUES_FROM_ANNOTATION]: spec.valueFiles.join(',') } : {};
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: applicationMetadata(settings, env, spec.app, spec.wave, {}, annotations),
    spec: { project: spec.project, destination: destination(env), ...sources, syncPolicy: syncPolicy(env, spec.prune) },
  };
}

/** The value files of a service's Application, in helm's order: the environment's values, then the service's overlay. */
export const serviceValueFiles = (env: string, service: string): string[] => [
  paths.envValues(env),
  paths.overlay(env, service),
];

export function serviceApplication(
  settings: BerthSettings,
  env: Environment,
  service: Service,
  wave: number,
  apiVersions: string[],
  pin?: PinnedChart,
): Manifest {
  return helmApplication(settings, env, {
    app: service.name,
    pin,
    project: projectNames(env.name).services,
    wave,
    valueFiles: serviceValueFiles(env.name, service.name),
    prune: env.sync.prune,
    apiVersions,
  });
}

/** The EBS CSI provisioner of the gp3 class: EKS Auto Mode runs its own, under another name. */
export const ebsProvisioner = (env: Environment) => (env.cluster.autoMode ? 'ebs.csi.eks.amazonaws.com' : 'ebs.csi.aws.com');

/** The namespace, gp3 class and secret store; never pruned automatically, since everything else stands on them. */
export function clusterBaseApplication(settings: BerthSettings, env: Environment, apiVersions: string[]): Manifest {
  return helmApplication(settings, env, {
    app: CLUSTER_BASE,
    project: projectNames(env.name).cluster,
    wave: CLUSTER_BASE_WAVE,
    valueFiles: [],
    prune: false,
    apiVersions,
    extraValues: { storageClass: { provisioner: ebsProvisioner(env) } },
  });
}

/**
 * An add-on: the upstream chart at the version its overlay pins, with the overlay as its value file, in its own
 * namespace. An https repository names the chart (`chart:`); an OCI registry is Argo CD's native OCI source
 * (3.1+): the chart's own reference as repoURL and `path: .`.
 */
export function addonApplication(settings: BerthSettings, env: Environment, addon: Addon, wave: number, apiVersions: string[], chartVersion: string): Manifest {
  const { chart, namespace, serverSideApply } = addon.addon;
  const where = chart.repo.startsWith('oci://') ? { repoURL: `${chart.repo}/${chart.name}`, targetRevision: chartVersion, path: '.' } : { repoURL: chart.repo, chart: chart.name, targetRevision: chartVersion };
  const chartSource = {
    ...where,
    helm: {
      releaseName: addon.name,
      valueFiles: [`$values/${paths.overlay(env.name, addon.name)}`],
      valuesObject: addonValues(addon, env),
      kubeVersion: env.cluster.kubeVersion,
      apiVersions,
    },
  };
  const base = syncPolicy(env, env.sync.prune);
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: applicationMetadata(settings, env, addon.name, wave, { 'berth.dev/kind': 'addon' }),
    spec: {
      project: projectNames(env.name).addons,
      destination: { ...destination(env), namespace },
      sources: [chartSource, valuesSource(settings)],
      syncPolicy: { ...base, syncOptions: ['CreateNamespace=true', ...(serverSideApply ? ['ServerSideApply=true'] : []), 'PruneLast=true'] },
    },
  };
}

const groupKind = (entry: string): GroupKind => ({ group: entry.slice(0, entry.lastIndexOf('/')), kind: entry.slice(entry.lastIndexOf('/') + 1) });
const byGroupKind = (a: GroupKind, b: GroupKind) => a.group.localeCompare(b.group) || a.kind.localeCompare(b.kind);
const union = (entries: string[]) => [...new Set(entries)].map(groupKind).sort(byGroupKind);

/** The add-ons' project: their chart repositories and berth's (the $values ref), their namespaces, exactly their kinds. */
function addonsProject(settings: BerthSettings, env: Environment, addons: Addon[]): Manifest {
  const cluster = env.cluster.server ? { server: env.cluster.server } : { name: env.cluster.name };
  const manifest = project(
    settings,
    projectNames(env.name).addons,
    `Cluster add-ons of ${env.name}: upstream charts from their repositories, each in its own namespace, only the kinds they declare.`,
    [...new Set(addons.map((addon) => addon.addon.namespace))].sort().map((namespace) => ({ ...cluster, namespace })),
    union(addons.flatMap((addon) => [...addon.addon.clusterKinds, ...(addon.addon.clusterKinds.includes('/Namespace') ? [] : ['/Namespace'])])),
    union(addons.flatMap((addon) => addon.addon.namespacedKinds)),
  );
  const repos = [...new Set(addons.map((addon) => (addon.addon.chart.repo.startsWith('oci://') ? `${addon.addon.chart.repo}/${addon.addon.chart.name}` : addon.addon.chart.repo)))].sort();
  (manifest.spec as Manifest).sourceRepos = [...repos, settings.repoURL];
  return manifest;
}

function project(settings: BerthSettings, name: string, description: string, destinations: Manifest[], clusterKinds: object[], namespacedKinds: object[]): Manifest {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: { name, namespace: settings.argocdNamespace },
    spec: {
      description,
      sourceRepos: [settings.repoURL],
      destinations,
      clusterResourceWhitelist: clusterKinds,
      namespaceResourceWhitelist: namespacedKinds,
      orphanedResources: { warn: true },
    },
  };
}

/** The environment's AppProjects; `addons`: those running there (none: no add-ons project). */
export function projects(settings: BerthSettings, env: Environment, addons: Addon[] = []): Manifest[] {
  const names = projectNames(env.name);
  const inCluster = { server: IN_CLUSTER, namespace: settings.argocdNamespace };
  return [
    project(settings, names.services, `Services of ${env.name}: only the kinds the library chart renders (and the ReplicaSets, Jobs and Pods its workloads make, so Argo CD shows them), only in namespace ${env.namespace}.`, [destination(env)], [], [...SERVICE_KINDS, ...CONTROLLER_MADE_KINDS]),
    project(settings, names.cluster, `Cluster-level objects ${env.name}'s services rely on: its namespace, the gp3 StorageClass, the secret store.`, [destination(env)], CLUSTER_BASE_CLUSTER_KINDS, CLUSTER_BASE_NAMESPACED_KINDS),
    project(settings, names.root, `The ${env.name} app of apps: Applications in ${settings.argocdNamespace}, nothing else.`, [inCluster], [], ROOT_KINDS),
    ...(addons.length ? [addonsProject(settings, env, addons)] : []),
  ];
}

export function rootApplication(settings: BerthSettings, env: Environment): Manifest {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: applicationName(env.name, 'root'),
      namespace: settings.argocdNamespace,
      labels: { 'berth.dev/environment': env.name },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: {
      project: projectNames(env.name).root,
      source: { repoURL: settings.repoURL, targetRevision: settings.revision, path: paths.appsDir(env.name), directory: { recurse: false } },
      destination: { server: IN_CLUSTER, namespace: settings.argocdNamespace },
      syncPolicy: { automated: { prune: true, selfHeal: true }, retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } } },
    },
  };
}
