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
  /** Built-in API group/versions only; the Applications add those the environment's add-ons serve (workspace/api-kinds). */
  apiVersions: string[];
  storageClasses: string[];
  /** EKS Auto Mode: add-ons it provides (providedByAutoMode) are left out, and its EBS provisioner is used. */
  autoMode: boolean;
  /** API kinds served without an add-on of this repository, as group/version/Kind. */
  preInstalled: string[];
}

/** How an add-on's pods get their IAM role: an IRSA annotation, or an EKS Pod Identity association made outside. */
export interface AddonIdentity {
  roleArn?: string;
  identity: 'irsa' | 'pod-identity';
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
  /** The Argo CD that syncs the cluster (env.yaml argocd.version, default 3.5): berth renders with the Helm it runs. */
  argocd: { version: string };
  namespace: string;
  domain: string;
  region: string;
  vpcCidr: string;
  ingress: IngressSettings;
  secrets: { store: string; prefix: string; roleArn?: string };
  /** The AWS account the environment's cluster and IAM roles live in (env.yaml aws.accountId). */
  aws?: { accountId?: string; clusterName?: string; vpcId?: string };
  /** Per add-on settings of this environment (env.yaml addons.<name>). */
  addons: Record<string, AddonIdentity>;
  chartUpdates: Record<string, unknown>;
  sync: SyncSettings;
  imageUpdates: Record<string, unknown>;
  promotion: { mode: 'push' | 'pr'; gates: PromotionGates };
}

/**
 * A recurring window, as Argo CD's AppProject syncWindows write one: from each time `schedule` fires (cron, in
 * `timeZone`) for `duration`. allow: promotions only inside an allow window (when there is any); deny: none inside.
 */
export interface PromotionWindow {
  kind: 'allow' | 'deny';
  schedule: string;
  /** As written (8h, 1h30m, 1d) and in milliseconds. */
  duration: string;
  durationMs: number;
  timeZone: string;
  description?: string;
}

/** A dated freeze: no promotion from `from` until `until` (exclusive), as instants. */
export interface PromotionFreeze {
  /** As written, for messages. */
  from: string;
  until: string;
  fromMs: number;
  untilMs: number;
  /** The zone a date or time without an offset is read in, and messages show. */
  timeZone: string;
  reason?: string;
}

/** env.yaml promotion.gates of the environment promoted into (docs/promotion-gates.md). */
export interface PromotionGates {
  /** The source runs the version Synced and Healthy in Argo CD. */
  healthy: boolean;
  /** ...and has been Healthy with it for at least this long (implies healthy). */
  soak?: { text: string; ms: number };
  windows: PromotionWindow[];
  freezes: PromotionFreeze[];
}

/**
 * stateless: a Deployment; stateful: a StatefulSet with EBS volumes; scheduled: a CronJob (no Service, no Ingress);
 * addon: an upstream chart the platform runs on (docs/addons.md), with no chart of its own in charts/.
 */
export type ServiceKind = 'stateless' | 'stateful' | 'scheduled' | 'addon';

/** An upstream chart: an https:// Helm repository or an oci:// registry path, and the chart's name there. */
export interface ChartCoordinates {
  name: string;
  repo: string;
}

/** What app.yaml says of an add-on beyond what every app has. */
export interface AddonSpec {
  chart: ChartCoordinates;
  namespace: string;
  serverSideApply: boolean;
  /** API kinds the chart serves (its CRDs), as group/version/Kind. */
  serves: string[];
  /** Kinds the chart renders, as group/Kind ("" group: core); its AppProject permits exactly these. */
  clusterKinds: string[];
  namespacedKinds: string[];
  /** Left out where env.yaml says cluster.autoMode: true. */
  providedByAutoMode: boolean;
  /** <value path>: <environment fact> (clusterName, region, vpcId, accountId, roleArn). */
  environmentValues: Record<string, string>;
  chartUpdates: Record<string, unknown>;
}

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
  /** Set exactly when kind is addon. */
  addon?: AddonSpec;
}

export const isAddon = (service: Service): service is Service & { addon: AddonSpec } => service.kind === 'addon';

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
