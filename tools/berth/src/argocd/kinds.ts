// The Kubernetes kinds each AppProject may create: exactly what the charts render, nothing more.

export interface GroupKind {
  group: string;
  kind: string;
}

/** Namespaced kinds the library chart (charts/common) can render for a service. */
export const SERVICE_KINDS: GroupKind[] = [
  { group: '', kind: 'ConfigMap' },
  { group: '', kind: 'Service' },
  { group: '', kind: 'ServiceAccount' },
  { group: 'apps', kind: 'Deployment' },
  { group: 'apps', kind: 'StatefulSet' },
  { group: 'batch', kind: 'CronJob' },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' },
  { group: 'policy', kind: 'PodDisruptionBudget' },
  { group: 'networking.k8s.io', kind: 'Ingress' },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy' },
  { group: 'external-secrets.io', kind: 'ExternalSecret' },
  { group: 'monitoring.coreos.com', kind: 'ServiceMonitor' },
  { group: 'monitoring.coreos.com', kind: 'PrometheusRule' },
];

/**
 * Kinds the workloads' controllers make: a Deployment's ReplicaSets, a CronJob's Jobs and their Pods. Argo CD leaves a
 * child out of an Application's resource tree, and so out of status.summary.images, unless the AppProject permits its
 * kind (Argo CD's docs/user-guide/projects.md); status --live and the healthy gate read the images Pods run from there.
 * The services' project permits them for that alone: validate refuses a chart that renders one (project-permits).
 */
export const CONTROLLER_MADE_KINDS: GroupKind[] = [
  { group: 'apps', kind: 'ReplicaSet' },
  { group: 'batch', kind: 'Job' },
  { group: '', kind: 'Pod' },
];

/** What charts/cluster-base renders: the namespace, the gp3 class and the secret store. */
export const CLUSTER_BASE_CLUSTER_KINDS: GroupKind[] = [
  { group: '', kind: 'Namespace' },
  { group: 'storage.k8s.io', kind: 'StorageClass' },
];
export const CLUSTER_BASE_NAMESPACED_KINDS: GroupKind[] = [
  { group: '', kind: 'ServiceAccount' },
  { group: 'external-secrets.io', kind: 'SecretStore' },
];

/** The root Application only creates Applications. */
export const ROOT_KINDS: GroupKind[] = [{ group: 'argoproj.io', kind: 'Application' }];
