// The workspace as the tooling sees it: settings, environments (env.yaml) and services (app.yaml).

export interface BerthSettings {
  repoURL: string;
  revision: string;
  argocdNamespace: string;
  libraryChart: string;
}

export interface ClusterSettings {
  server?: string;
  name?: string;
  kubeVersion: string;
  apiVersions: string[];
  storageClasses: string[];
}

export interface IngressSettings {
  groupName: string;
  scheme: 'internet-facing' | 'internal';
  certificateArn?: string;
  sslPolicy?: string;
}

export interface SyncSettings {
  automated: boolean;
  prune: boolean;
  selfHeal: boolean;
}

export interface Environment {
  name: string;
  promotesFrom: string | null;
  cluster: ClusterSettings;
  namespace: string;
  domain: string;
  region: string;
  vpcCidr: string;
  ingress: IngressSettings;
  secrets: { store: string; prefix: string; roleArn?: string };
  /** The AWS account the environment's cluster and IAM roles live in (env.yaml aws.accountId). */
  aws?: { accountId?: string };
  sync: SyncSettings;
  imageUpdates: Record<string, unknown>;
  promotion: { mode: 'push' | 'pr' };
}

/** stateless: a Deployment; stateful: a StatefulSet with EBS volumes; scheduled: a CronJob (no Service, no Ingress). */
export type ServiceKind = 'stateless' | 'stateful' | 'scheduled';

/** A hold on a service in one environment: image updates skip it until `berth unpin`. */
export interface Pin {
  version?: string;
  reason?: string;
  since?: string;
}

export interface Service {
  name: string;
  kind: ServiceKind;
  owner?: string;
  environments: string[];
  dependsOn: string[];
  imageUpdates: Record<string, unknown>;
  /** By environment name. */
  pins: Record<string, Pin>;
}

export interface Workspace {
  settings: BerthSettings;
  /** In promotion order: each environment after the one it promotes from. */
  environments: Environment[];
  /** Sorted by name. */
  services: Service[];
}

export const paths = {
  settings: 'berth.yaml',
  app: (service: string) => `apps/${service}/app.yaml`,
  chart: (chart: string) => `charts/${chart}`,
  env: (env: string) => `environments/${env}/env.yaml`,
  envValues: (env: string) => `environments/${env}/values.yaml`,
  overlay: (env: string, service: string) => `environments/${env}/${service}.yaml`,
  project: (env: string) => `argocd/projects/${env}.yaml`,
  bootstrap: (env: string) => `argocd/bootstrap/${env}.yaml`,
  application: (env: string, app: string) => `argocd/apps/${env}/${app}.yaml`,
  appsDir: (env: string) => `argocd/apps/${env}`,
  umbrella: 'charts/platform',
};
