// Where the cluster's pieces live: binaries and CRDs in a cache outside the repository (one folder per Kubernetes
// release), the running cluster's state (PKI, kubeconfig, logs, pid files) under dist/cluster of the repository.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPOSITORY = resolve(__dirname, '../../..');
/** The Go module that builds the control plane (tools/cluster/go.mod). */
export const GO_MODULE = resolve(__dirname, '..');

export interface CacheLayout {
  /** ~/.cache/berth/cluster/<kubernetes version> */
  root: string;
  bin: string;
  crds: string;
  /** kwok's Stage objects (node heartbeat, pod ready, ...), taken from the kwok module */
  kwokStages: string;
  /** what was built, with which versions: a binary is rebuilt when its entry differs */
  versions: string;
}

const cacheBase = (env: NodeJS.ProcessEnv) =>
  resolve(env.BERTH_CLUSTER_CACHE || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'berth', 'cluster'));

export function cacheLayout(kubernetesVersion: string, env: NodeJS.ProcessEnv = process.env): CacheLayout {
  const root = join(cacheBase(env), kubernetesVersion);
  return {
    root,
    bin: join(root, 'bin'),
    crds: join(root, 'crds'),
    kwokStages: join(root, 'kwok-stages.yaml'),
    versions: join(root, 'versions.json'),
  };
}

/** The Go module that builds Argo CD (tools/cluster/argocd/go.mod): its own, so its replaces leave GO_MODULE alone. */
export const ARGOCD_GO_MODULE = join(GO_MODULE, 'argocd');

/** The Go module of the Helm Argo CD's repo-server runs (tools/cluster/helm/go.mod). */
export const HELM_GO_MODULE = join(GO_MODULE, 'helm');

export interface ArgocdCacheLayout {
  /** ~/.cache/berth/cluster/argocd-<argo cd version> */
  root: string;
  /** bin/argocd: Argo CD's one binary */
  binary: string;
  /** bin/helm: the Helm the repo-server finds on its PATH */
  helm: string;
  /** the release's own CRDs (manifests/crds), applied over the ones the cluster installs */
  crds: string;
  versions: string;
}

export function argocdCacheLayout(argocdVersion: string, env: NodeJS.ProcessEnv = process.env): ArgocdCacheLayout {
  const root = join(cacheBase(env), `argocd-${argocdVersion}`);
  return {
    root,
    binary: join(root, 'bin', 'argocd'),
    helm: join(root, 'bin', 'helm'),
    crds: join(root, 'crds'),
    versions: join(root, 'versions.json'),
  };
}

export interface StateLayout {
  root: string;
  pki: string;
  logs: string;
  run: string;
  etcdData: string;
  /** the admin kubeconfig a user (and the tests) point KUBECONFIG at */
  kubeconfig: string;
  /** ports and binaries of the running cluster, written once every component is up */
  state: string;
  /** Argo CD's processes and ports, written once all of them are up (up --argocd) */
  argocdState: string;
  /** ARGOCD_SERVER and ARGOCD_AUTH_TOKEN for the argocd CLI */
  argocdEnv: string;
  /** the TLS, SSH and GnuPG folders Argo CD's processes read */
  argocdData: string;
}

/** dist/cluster of the repository; BERTH_CLUSTER_STATE moves it (the tests run their own cluster in a temporary folder). */
export function stateLayout(env: NodeJS.ProcessEnv = process.env): StateLayout {
  const root = resolve(env.BERTH_CLUSTER_STATE || join(REPOSITORY, 'dist', 'cluster'));
  return {
    root,
    pki: join(root, 'pki'),
    logs: join(root, 'logs'),
    run: join(root, 'run'),
    etcdData: join(root, 'etcd-data'),
    kubeconfig: join(root, 'kubeconfig'),
    state: join(root, 'state.json'),
    argocdState: join(root, 'argocd.json'),
    argocdEnv: join(root, 'argocd.env'),
    argocdData: join(root, 'argocd'),
  };
}
