// Builds the Argo CD objects of an environment from env.yaml and app.yaml: pure data, no I/O.
import type { BerthSettings, Environment, Service } from '../workspace/model';
import { paths } from '../workspace/model';
import { CLUSTER_BASE_CLUSTER_KINDS, CLUSTER_BASE_NAMESPACED_KINDS, ROOT_KINDS, SERVICE_KINDS } from './kinds';
import { CLUSTER_BASE_WAVE } from './waves';

export { CLUSTER_BASE, applicationName, projectNames } from '../workspace/names';
import { CLUSTER_BASE, applicationName, projectNames } from '../workspace/names';
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
  /** The commit whose charts/ this environment deploys; absent: the branch, so chart changes arrive at once. */
  chartRevision?: string;
}

function helmApplication(settings: BerthSettings, env: Environment, spec: HelmApplicationSpec): Manifest {
  const chartSource = {
    repoURL: settings.repoURL,
    targetRevision: spec.chartRevision ?? settings.revision,
    path: paths.chart(spec.app),
    helm: {
      releaseName: spec.app,
      ...(spec.valueFiles.length > 0 ? { valueFiles: spec.valueFiles.map((file) => `$values/${file}`) } : {}),
      valuesObject: environmentValues(env),
      kubeVersion: env.cluster.kubeVersion,
      apiVersions: env.cluster.apiVersions,
    },
  };
  const sources = spec.valueFiles.length > 0 ? { sources: [chartSource, { repoURL: settings.repoURL, targetRevision: settings.revision, ref: 'values' }] } : { source: chartSource };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: applicationName(env.name, spec.app),
      namespace: settings.argocdNamespace,
      labels: { 'berth.dev/environment': env.name, 'berth.dev/service': spec.app },
      annotations: { 'argocd.argoproj.io/sync-wave': String(spec.wave) },
      finalizers: ['resources-finalizer.argocd.argoproj.io'],
    },
    spec: { project: spec.project, destination: destination(env), ...sources, syncPolicy: syncPolicy(env, spec.prune) },
  };
}

export function serviceApplication(settings: BerthSettings, env: Environment, service: Service, wave: number, chartRevision?: string): Manifest {
  return helmApplication(settings, env, {
    app: service.name,
    chartRevision,
    project: projectNames(env.name).services,
    wave,
    valueFiles: [paths.envValues(env.name), paths.overlay(env.name, service.name)],
    prune: env.sync.prune,
  });
}

/** The namespace, gp3 class and secret store; never pruned automatically, since everything else stands on them. */
export function clusterBaseApplication(settings: BerthSettings, env: Environment): Manifest {
  return helmApplication(settings, env, { app: CLUSTER_BASE, project: projectNames(env.name).cluster, wave: CLUSTER_BASE_WAVE, valueFiles: [], prune: false });
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

export function projects(settings: BerthSettings, env: Environment): Manifest[] {
  const names = projectNames(env.name);
  const inCluster = { server: IN_CLUSTER, namespace: settings.argocdNamespace };
  return [
    project(settings, names.services, `Services of ${env.name}: only the kinds the library chart renders, only in namespace ${env.namespace}.`, [destination(env)], [], SERVICE_KINDS),
    project(settings, names.cluster, `Cluster-level objects ${env.name}'s services rely on: its namespace, the gp3 StorageClass, the secret store.`, [destination(env)], CLUSTER_BASE_CLUSTER_KINDS, CLUSTER_BASE_NAMESPACED_KINDS),
    project(settings, names.root, `The ${env.name} app of apps: Applications in ${settings.argocdNamespace}, nothing else.`, [inCluster], [], ROOT_KINDS),
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
