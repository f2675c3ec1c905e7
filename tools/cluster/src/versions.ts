// The versions the cluster is built from: Kubernetes, etcd and kwok as tools/cluster/go.mod requires them, and the
// Go modules whose CRDs the example platform uses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BerthError } from '../../berth/src/errors';
import { GO_MODULE } from './layout';

export interface ComponentVersions {
  kubernetes: string;
  etcd: string;
  kwok: string;
}

const REQUIREMENTS: Record<keyof ComponentVersions, string> = {
  kubernetes: 'k8s.io/kubernetes',
  etcd: 'go.etcd.io/etcd/server/v3',
  kwok: 'sigs.k8s.io/kwok',
};

/** The versions go.mod requires (without the leading v): "k8s.io/kubernetes v1.36.3" gives kubernetes "1.36.3". */
export function componentVersions(goMod: string, file = 'tools/cluster/go.mod'): ComponentVersions {
  const versionOf = (module: string): string => {
    const escaped = module.replace(/[.]/g, '\\.');
    const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+v(\\d+\\.\\d+\\.\\d+)\\b`, 'm').exec(goMod);
    if (!match) {
      throw new BerthError(`go.mod requires no release of ${module}.`, {
        file,
        field: 'require',
        fix: 'regenerate it: tools/cluster/scripts/pin-versions.sh KUBERNETES ETCD KWOK (e.g. 1.36.3 3.6.13 0.8.0).',
      });
    }
    return match[1];
  };
  return {
    kubernetes: versionOf(REQUIREMENTS.kubernetes),
    etcd: versionOf(REQUIREMENTS.etcd),
    kwok: versionOf(REQUIREMENTS.kwok),
  };
}

export function readComponentVersions(): ComponentVersions {
  const file = join(GO_MODULE, 'go.mod');
  return componentVersions(readFileSync(file, 'utf8'), file);
}

export interface CrdSource {
  /** the folder name under the cache's crds/ */
  name: string;
  module: string;
  version: string;
  /** the folder inside the module holding the CRD files */
  folder: string;
}

/**
 * The CRDs of the APIs the example's env.yaml files declare (argoproj.io, external-secrets.io, monitoring.coreos.com),
 * at the releases the example runs. AWS Load Balancer Controller's CRDs (elbv2.k8s.aws) are missing: its module path
 * has no /v2, so the proxy serves only v1.1.9, which predates them.
 */
export const CRD_SOURCES: readonly CrdSource[] = [
  { name: 'argo-cd', module: 'github.com/argoproj/argo-cd/v3', version: 'v3.5.7', folder: 'manifests/crds' },
  {
    name: 'external-secrets',
    module: 'github.com/external-secrets/external-secrets',
    version: 'v1.3.2',
    folder: 'config/crds/bases',
  },
  {
    name: 'prometheus-operator',
    module: 'github.com/prometheus-operator/prometheus-operator',
    version: 'v0.85.0',
    folder: 'example/prometheus-operator-crd',
  },
];

/** kwok's own Stage objects, by path inside the kwok module: nodes become Ready and keep a lease, pods run. */
export const KWOK_STAGE_FILES: readonly string[] = [
  'kustomize/stage/node/fast/node-initialize.yaml',
  'kustomize/stage/node/heartbeat-with-lease/node-heartbeat-with-lease.yaml',
  'kustomize/stage/pod/fast/pod-ready.yaml',
  'kustomize/stage/pod/fast/pod-complete.yaml',
  'kustomize/stage/pod/fast/pod-delete.yaml',
];
