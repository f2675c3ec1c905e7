// A valid, hardened example platform held in memory (rendered objects, value files, the real AppProjects), for rule tests to break one thing at a time.
import { parse, stringify } from 'yaml';
import { applicationName, CLUSTER_BASE, projectNames, projects } from '../../src/argocd/manifests';
import type { EnvironmentRender, KubeObject, RenderedApplication, RuleContext } from '../../src/validate/context';
import type { WorkspaceFiles } from '../../src/workspace/files';
import { BUILT_IN_API_VERSIONS } from './addons';
import type { BerthSettings, Environment, Service, Workspace } from '../../src/workspace/model';

/** WorkspaceFiles over a map of path -> text; directories are implied by the paths. */
export function memoryFiles(files: Map<string, string>, root = '/memory/platform'): WorkspaceFiles {
  const children = (dir: string) => {
    const prefix = dir === '' || dir === '.' ? '' : `${dir.replace(/\/$/, '')}/`;
    return [
      ...new Set(
        [...files.keys()]
          .filter((path) => path.startsWith(prefix))
          .map((path) => path.slice(prefix.length).split('/')[0]),
      ),
    ].sort();
  };
  return {
    root,
    read: (path) => files.get(path),
    list: (dir) => children(dir),
    isDirectory: (path) => !files.has(path) && children(path).length > 0,
  };
}

export const settings: BerthSettings = {
  repoURL: 'https://github.com/acme/platform-gitops.git',
  revision: 'main',
  argocdNamespace: 'argocd',
  libraryChart: 'common',
};

// the fixture's clusters still list the CRD group/versions, as env.yaml did before add-ons declared them
const API_VERSIONS = [
  ...BUILT_IN_API_VERSIONS,
  'external-secrets.io/v1',
  'monitoring.coreos.com/v1',
  'elbv2.k8s.aws/v1beta1',
];

/** The environments of the fixture, as environments/<env>/env.yaml states them. */
export function environment(name: 'dev' | 'prod'): Environment {
  const prod = name === 'prod';
  return {
    name,
    promotesFrom: prod ? 'dev' : null,
    cluster: {
      server: `https://${name}.eks.eu-west-1.example.internal`,
      kubeVersion: prod ? '1.32.0' : '1.33.0',
      apiVersions: [...API_VERSIONS],
      storageClasses: ['gp2'],
      autoMode: false,
      preInstalled: [],
    },
    argocd: { version: '3.5' },
    namespace: name,
    domain: prod ? 'example.com' : `${name}.example.com`,
    region: 'eu-west-1',
    vpcCidr: prod ? '10.30.0.0/16' : '10.10.0.0/16',
    ingress: {
      groupName: `berth-${name}`,
      scheme: 'internet-facing',
      certificateArn: `arn:aws:acm:eu-west-1:123456789012:certificate/00000000-0000-0000-0000-00000000000${prod ? 4 : 3}`,
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    },
    secrets: {
      store: 'aws-secrets-manager',
      prefix: `berth/${name}/`,
      roleArn: `arn:aws:iam::123456789012:role/berth-${name}-external-secrets`,
    },
    aws: { accountId: '123456789012' },
    sync: { automated: !prod, prune: true, selfHeal: true },
    imageUpdates: { strategy: 'semver' },
    chartUpdates: {},
    addons: {},
    promotion: { mode: prod ? 'pr' : 'push', gates: { healthy: false, windows: [], freezes: [] } },
  };
}

const ENVIRONMENTS = ['dev', 'prod'] as const;

/** The services of the fixture: three HTTP services behind one ALB and PostgreSQL, as in the example platform. */
interface ServiceSpec {
  name: string;
  kind: 'stateless' | 'stateful';
  image: string;
  version: string;
  port: number;
  path?: string;
  secrets?: { env: string; key: string; property: string }[];
}

const SERVICES: ServiceSpec[] = [
  {
    name: 'postgres',
    kind: 'stateful',
    image: 'public.ecr.aws/docker/library/postgres',
    version: '16.4',
    port: 5432,
    secrets: [{ env: 'POSTGRES_PASSWORD', key: 'postgres/admin', property: 'password' }],
  },
  {
    name: 'service-a',
    kind: 'stateless',
    image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-a',
    version: '1.4.3',
    port: 8080,
    path: '/a',
  },
  {
    name: 'service-b',
    kind: 'stateless',
    image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-b',
    version: '2.1.0',
    port: 8080,
    path: '/b',
    secrets: [
      { env: 'DB_USER', key: 'service-b/db', property: 'username' },
      { env: 'DB_PASSWORD', key: 'service-b/db', property: 'password' },
    ],
  },
  {
    name: 'service-c',
    kind: 'stateless',
    image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-c',
    version: '0.9.2',
    port: 8080,
    path: '/c',
  },
];

const selectorLabels = (service: string) => ({
  'app.kubernetes.io/name': service,
  'app.kubernetes.io/instance': service,
});
const labels = (spec: ServiceSpec) => ({
  ...selectorLabels(spec.name),
  'app.kubernetes.io/version': spec.version,
  'app.kubernetes.io/component': spec.kind === 'stateful' ? 'database' : 'server',
  'app.kubernetes.io/part-of': 'berth',
  'app.kubernetes.io/managed-by': 'Helm',
});
const metadata = (name: string, env: Environment, spec: ServiceSpec, extra: KubeObject = {}) => ({
  name,
  namespace: env.namespace,
  labels: labels(spec),
  ...extra,
});

/** The pod template the library chart renders: hardened, probed, with requests and a memory limit. */
function podTemplate(env: Environment, spec: ServiceSpec): KubeObject {
  const stateful = spec.kind === 'stateful';
  const user = stateful ? 999 : 10001;
  const probe = (periodSeconds: number) =>
    stateful
      ? { tcpSocket: { port: 'http' }, periodSeconds, timeoutSeconds: 3, failureThreshold: 6 }
      : { httpGet: { path: '/healthz', port: 'http' }, periodSeconds, timeoutSeconds: 2, failureThreshold: 3 };
  return {
    metadata: { labels: labels(spec), annotations: { 'checksum/config': '0'.repeat(64) } },
    spec: {
      serviceAccountName: spec.name,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      securityContext: {
        fsGroup: user,
        runAsGroup: user,
        runAsNonRoot: true,
        runAsUser: user,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: spec.name,
          image: `${spec.image}:${spec.version}`,
          imagePullPolicy: 'IfNotPresent',
          ports: [{ name: 'http', containerPort: spec.port, protocol: 'TCP' }],
          ...(stateful
            ? { env: [{ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' }] }
            : {
                env: [
                  { name: 'LOG_LEVEL', value: 'info' },
                  { name: 'ENVIRONMENT', value: env.name },
                ],
              }),
          envFrom: [
            { configMapRef: { name: `${spec.name}-config` } },
            ...(spec.secrets ? [{ secretRef: { name: `${spec.name}-secrets` } }] : []),
          ],
          livenessProbe: probe(10),
          readinessProbe: probe(5),
          resources: { limits: { memory: '256Mi' }, requests: { cpu: '50m', memory: '96Mi' } },
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            privileged: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
          },
          volumeMounts: [
            { name: 'writable-tmp', mountPath: '/tmp' },
            ...(stateful ? [{ name: 'data', mountPath: '/var/lib/postgresql/data' }] : []),
          ],
        },
      ],
      volumes: [{ name: 'writable-tmp', emptyDir: {} }],
    },
  };
}

function workload(env: Environment, spec: ServiceSpec): KubeObject {
  const common = {
    replicas: 1,
    revisionHistoryLimit: 5,
    selector: { matchLabels: selectorLabels(spec.name) },
    template: podTemplate(env, spec),
  };
  if (spec.kind === 'stateless') {
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: metadata(spec.name, env, spec),
      spec: { ...common, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } } },
    };
  }
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: metadata(spec.name, env, spec),
    spec: {
      ...common,
      serviceName: `${spec.name}-headless`,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate' },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data', labels: selectorLabels(spec.name) },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: 'gp3',
            resources: { requests: { storage: '20Gi' } },
          },
        },
      ],
    },
  };
}

function services(env: Environment, spec: ServiceSpec): KubeObject[] {
  const port = { name: 'http', port: spec.kind === 'stateful' ? spec.port : 80, targetPort: 'http', protocol: 'TCP' };
  const service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(spec.name, env, spec),
    spec: { type: 'ClusterIP', selector: selectorLabels(spec.name), ports: [port] },
  };
  if (spec.kind === 'stateless') return [service];
  const headlessMetadata = metadata(`${spec.name}-headless`, env, spec);
  return [
    service,
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { ...headlessMetadata, labels: { ...headlessMetadata.labels, 'berth.dev/headless': 'true' } },
      spec: { clusterIP: 'None', publishNotReadyAddresses: true, selector: selectorLabels(spec.name), ports: [port] },
    },
  ];
}

/** The Ingress as the library chart renders it: every ALB annotation from env.yaml, healthcheck-path per service. */
function ingress(env: Environment, spec: ServiceSpec): KubeObject {
  const alb = 'alb.ingress.kubernetes.io';
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: metadata(spec.name, env, spec, {
      annotations: {
        [`${alb}/certificate-arn`]: env.ingress.certificateArn,
        [`${alb}/group.name`]: env.ingress.groupName,
        [`${alb}/healthcheck-path`]: '/healthz',
        [`${alb}/listen-ports`]: '[{"HTTP":80},{"HTTPS":443}]',
        [`${alb}/scheme`]: env.ingress.scheme,
        [`${alb}/ssl-policy`]: env.ingress.sslPolicy,
        [`${alb}/ssl-redirect`]: '443',
        [`${alb}/target-type`]: 'ip',
      },
    }),
    spec: {
      ingressClassName: 'alb',
      rules: [
        {
          host: `api.${env.domain}`,
          http: {
            paths: [
              {
                path: spec.path,
                pathType: 'Prefix',
                backend: { service: { name: spec.name, port: { name: 'http' } } },
              },
            ],
          },
        },
      ],
    },
  };
}

function externalSecret(env: Environment, spec: ServiceSpec): KubeObject {
  return {
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: metadata(spec.name, env, spec),
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'SecretStore', name: env.secrets.store },
      target: { name: `${spec.name}-secrets`, creationPolicy: 'Owner', deletionPolicy: 'Retain' },
      data: spec.secrets!.map((item) => ({
        secretKey: item.env,
        remoteRef: { key: `${env.secrets.prefix}${item.key}`, property: item.property },
      })),
    },
  };
}

/** Everything the library chart renders for one service in one environment. */
function serviceObjects(env: Environment, spec: ServiceSpec): KubeObject[] {
  const selector = { matchLabels: selectorLabels(spec.name) };
  return [
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata(spec.name, env, spec),
      spec: {
        podSelector: selector,
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ ipBlock: { cidr: env.vpcCidr } }], ports: [{ port: 'http', protocol: 'TCP' }] }],
      },
    },
    ...(spec.kind === 'stateful'
      ? [
          {
            apiVersion: 'policy/v1',
            kind: 'PodDisruptionBudget',
            metadata: metadata(spec.name, env, spec),
            spec: { maxUnavailable: 1, selector },
          },
        ]
      : []),
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: metadata(spec.name, env, spec),
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: metadata(`${spec.name}-config`, env, spec),
      data: { SERVICE_NAME: spec.name },
    },
    ...services(env, spec),
    workload(env, spec),
    ...(spec.path ? [ingress(env, spec)] : []),
    ...(spec.secrets ? [externalSecret(env, spec)] : []),
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: metadata(spec.name, env, spec),
      spec: {
        jobLabel: 'app.kubernetes.io/name',
        selector,
        endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
      },
    },
  ];
}

/** What charts/cluster-base renders: the namespace, the gp3 StorageClass, the secret store and its ServiceAccount. */
function clusterBaseObjects(env: Environment): KubeObject[] {
  const labels = {
    'app.kubernetes.io/name': CLUSTER_BASE,
    'app.kubernetes.io/instance': CLUSTER_BASE,
    'app.kubernetes.io/part-of': 'berth',
    'app.kubernetes.io/managed-by': 'Helm',
  };
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: env.namespace, labels: { ...labels, 'pod-security.kubernetes.io/enforce': 'restricted' } },
    },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: {
        name: 'external-secrets',
        namespace: env.namespace,
        labels,
        annotations: { 'eks.amazonaws.com/role-arn': env.secrets.roleArn },
      },
      automountServiceAccountToken: false,
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'gp3', labels },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', 'csi.storage.k8s.io/fstype': 'ext4', encrypted: 'true' },
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
    },
    {
      apiVersion: 'external-secrets.io/v1',
      kind: 'SecretStore',
      metadata: { name: env.secrets.store, namespace: env.namespace, labels },
      spec: {
        provider: {
          aws: {
            service: 'SecretsManager',
            region: env.region,
            auth: { jwt: { serviceAccountRef: { name: 'external-secrets' } } },
          },
        },
      },
    },
  ];
}

/** The repository's text files the rules read: app.yaml, chart defaults, env.yaml and the overlays. */
function repositoryFiles(environments: Environment[]): Map<string, string> {
  const files = new Map<string, string>();
  const yaml = (value: unknown) => stringify(value);
  files.set('berth.yaml', yaml(settings));
  files.set(
    'charts/cluster-base/values.yaml',
    yaml({
      podSecurity: { level: 'restricted', version: '' },
      storageClass: {
        create: true,
        name: 'gp3',
        isDefault: false,
        reclaimPolicy: 'Delete',
        fsType: 'ext4',
        kmsKeyId: '',
      },
      secretStore: { serviceAccountName: 'external-secrets' },
    }),
  );
  for (const spec of SERVICES) {
    files.set(
      `apps/${spec.name}/app.yaml`,
      yaml({
        name: spec.name,
        kind: spec.kind,
        owner: 'team-web',
        environments: environments.map((env) => env.name),
        dependsOn: spec.name === 'service-b' ? ['postgres'] : [],
        imageUpdates: {},
      }),
    );
    files.set(
      `charts/${spec.name}/values.yaml`,
      yaml({
        ...(spec.kind === 'stateful'
          ? { kind: 'stateful', persistence: { name: 'data', size: '20Gi', storageClassName: 'gp3' } }
          : {}),
        image: { repository: spec.image },
        containerPort: spec.port,
        ingress: spec.path
          ? { enabled: true, host: 'api', path: spec.path, healthCheckPath: '/healthz' }
          : { enabled: false },
        ...(spec.secrets ? { secrets: { refreshInterval: '1h', items: spec.secrets } } : {}),
      }),
    );
  }
  for (const env of environments) {
    files.set(`environments/${env.name}/env.yaml`, yaml(env));
    files.set(
      `environments/${env.name}/values.yaml`,
      yaml({ replicas: 1, resources: { requests: { cpu: '50m', memory: '96Mi' }, limits: { memory: '256Mi' } } }),
    );
    for (const spec of SERVICES)
      files.set(`environments/${env.name}/${spec.name}.yaml`, yaml({ image: { tag: spec.version } }));
  }
  return files;
}

export interface Platform {
  context: RuleContext;
  /** The repository's text files by path; context.files reads them, so an edit here is what the rules see. */
  files: Map<string, string>;
  /** The rendered Application of a service (or cluster-base) in an environment. */
  app(env: string, service: string): RenderedApplication;
  /** A rendered object, by "Kind/name", of a service's Application in an environment. */
  object(env: string, service: string, kindAndName: string): KubeObject;
  /** The first container of a service's workload in an environment. */
  container(env: string, service: string): KubeObject;
  /** Parses a YAML file, lets `change` edit it and writes it back. */
  editYaml(path: string, change: (values: any) => void): void;
}

/** A fresh platform every call, so a test may change anything in it. */
export function hardenedPlatform(): Platform {
  const environments = ENVIRONMENTS.map(environment);
  const workspace: Workspace = {
    settings,
    environments,
    services: SERVICES.map((spec): Service => ({
      name: spec.name,
      kind: spec.kind,
      owner: 'team-web',
      environments: environments.map((env) => env.name),
      dependsOn: spec.name === 'service-b' ? ['postgres'] : [],
      imageUpdates: {},
      pins: {},
    })),
  };
  // each object is cloned on its own, so objects never share a part and a test changes exactly the one it means to
  const separate = (objects: KubeObject[]) => objects.map((object) => structuredClone(object));
  const renders: EnvironmentRender[] = environments.map((env) => ({
    environment: env,
    applications: [
      {
        application: applicationName(env.name, CLUSTER_BASE),
        service: CLUSTER_BASE,
        project: projectNames(env.name).cluster,
        objects: separate(clusterBaseObjects(env)),
      },
      ...SERVICES.map((spec) => ({
        application: applicationName(env.name, spec.name),
        service: spec.name,
        project: projectNames(env.name).services,
        objects: separate(serviceObjects(env, spec)),
      })),
    ],
  }));
  const files = repositoryFiles(environments);
  const context: RuleContext = {
    workspace,
    files: memoryFiles(files),
    renders,
    projects: new Map(
      environments
        .flatMap((env) => projects(settings, env))
        .map((project: KubeObject) => [project.metadata.name, project]),
    ),
  };
  const app = (env: string, service: string) => {
    const found = renders
      .find((render) => render.environment.name === env)
      ?.applications.find((candidate) => candidate.service === service);
    if (!found) throw new Error(`the fixture has no Application for ${service} in ${env}`);
    return found;
  };
  const object = (env: string, service: string, kindAndName: string) => {
    const found = app(env, service).objects.find(
      (candidate) => `${candidate.kind}/${candidate.metadata?.name}` === kindAndName,
    );
    if (!found) throw new Error(`the fixture's ${env} ${service} renders no ${kindAndName}`);
    return found;
  };
  return {
    context,
    files,
    app,
    object,
    container: (env, service) =>
      object(
        env,
        service,
        `${SERVICES.find((spec) => spec.name === service)?.kind === 'stateful' ? 'StatefulSet' : 'Deployment'}/${service}`,
      ).spec.template.spec.containers[0],
    editYaml(path, change) {
      const text = files.get(path);
      if (text === undefined) throw new Error(`the fixture has no ${path}`);
      const values = parse(text) ?? {};
      change(values);
      files.set(path, stringify(values));
    },
  };
}
