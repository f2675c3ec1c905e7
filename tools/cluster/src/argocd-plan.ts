// Argo CD on the local cluster as a table: which release tools/cluster/argocd/go.mod builds with which Go, each
// process's command line as Argo CD's own Procfile runs it, and the ConfigMaps and Secret it reads. Pure, so tested.
import { BerthError } from '../../berth/src/errors';
import { HOST } from './components';

export const ARGOCD_NAMESPACE = 'argocd';
/** The package of Argo CD's one binary (upstream's cmd/main.go): it runs what ARGOCD_BINARY_NAME names. */
export const ARGOCD_PACKAGE = 'github.com/argoproj/argo-cd/v3/cmd';
const ARGOCD_MODULE = 'github.com/argoproj/argo-cd/v3';

export interface ArgocdBuild {
  /** "3.6.1" */
  version: string;
  /** the go.mod's toolchain line ("go1.27.3"), which the build sets as GOTOOLCHAIN; undefined: the local Go */
  toolchain?: string;
}

/** The Argo CD release and toolchain tools/cluster/argocd/go.mod names (scripts/pin-argocd.sh writes both). */
export function argocdBuild(goMod: string, file = 'tools/cluster/argocd/go.mod'): ArgocdBuild {
  const escaped = ARGOCD_MODULE.replace(/[.]/g, '\\.');
  const match = new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+v(\\d+\\.\\d+\\.\\d+)\\b`, 'm').exec(goMod);
  if (!match) {
    throw new BerthError(`go.mod requires no release of ${ARGOCD_MODULE}.`, {
      file,
      field: 'require',
      fix: 'regenerate it: GOTOOLCHAIN=go1.27.3 tools/cluster/scripts/pin-argocd.sh ARGOCD (e.g. 3.6.1).',
    });
  }
  const toolchain = /^toolchain\s+(go\d+\.\d+(?:\.\d+)?)\s*$/m.exec(goMod)?.[1];
  return { version: match[1], toolchain };
}

/** The client-go Argo CD is built with (its replace block pins it), which the Makefile stamps as kubectlVersion. */
export function clientGoVersion(goMod: string): string | undefined {
  return /^\s*k8s\.io\/client-go\s+=>\s+k8s\.io\/client-go\s+(v\S+)\s*$/m.exec(goMod)?.[1];
}

/** The version `argocd version` reports, stamped at link time as Argo CD's Makefile does (LDFLAGS). */
export function argocdLdflags(version: string, kubectlVersion: string): string {
  const pkg = `${ARGOCD_MODULE}/common`;
  return [`${pkg}.version=${version}`, `${pkg}.gitTag=v${version}`, `${pkg}.kubectlVersion=${kubectlVersion}`]
    .map((value) => `-X ${value}`)
    .join(' ');
}

/** The Helm release tools/cluster/helm/go.mod requires (the one Argo CD's hack/tool-versions.sh pins). */
export function helmRelease(goMod: string, file = 'tools/cluster/helm/go.mod'): string {
  const match = /^\s*(?:require\s+)?helm\.sh\/helm\/v4\s+v(\d+\.\d+\.\d+)\b/m.exec(goMod);
  if (!match) {
    throw new BerthError('go.mod requires no release of helm.sh/helm/v4.', {
      file,
      field: 'require',
      fix: 'regenerate it: GOTOOLCHAIN=go1.27.3 tools/cluster/scripts/pin-argocd.sh ARGOCD (e.g. 3.6.1).',
    });
  }
  return match[1];
}

/** The version `helm version` reports, stamped as Helm's Makefile does; without it Helm says v4.N-dev or similar. */
export function helmLdflags(version: string): string {
  return `-X helm.sh/helm/v4/internal/version.version=v${version} -X helm.sh/helm/v4/internal/version.metadata=`;
}

export interface ArgocdPorts {
  git: number;
  redis: number;
  repoServer: number;
  repoServerMetrics: number;
  controllerMetrics: number;
  server: number;
  serverMetrics: number;
}

export const ARGOCD_PROCESSES = [
  'git-server',
  'redis',
  'argocd-repo-server',
  'argocd-application-controller',
  'argocd-server',
] as const;
export type ArgocdProcess = (typeof ARGOCD_PROCESSES)[number];

export interface ArgocdPlan {
  name: ArgocdProcess;
  /** 'argocd': the Argo CD binary of the cache; 'node': this Node.js; otherwise a program on PATH */
  program: 'argocd' | 'redis-server' | 'node';
  args: string[];
  env: Record<string, string>;
  /** http URL answering 200, or redis://host:port answering PING */
  health: string;
}

export interface ArgocdPaths {
  kubeconfig: string;
  /** dist/cluster/argocd: TLS, SSH and GnuPG data folders the repo-server and controller read */
  data: string;
  /** PATH of Argo CD's processes: the cache's bin (Argo CD's hack/ scripts) first */
  path: string;
  /** the repository up serves over git smart HTTP, and the script (git-server.ts) and loader that serve it */
  repository: { root: string; name: string; script: string; register: string };
}

/** The URL the repo-server clones the served repository from. */
export const servedRepoUrl = (ports: ArgocdPorts, name: string) => `http://${HOST}:${ports.git}/${name}`;

/**
 * The processes in start order, with the flags and environment of Argo CD's Procfile (local development: the
 * components outside the cluster, ARGOCD_FAKE_IN_CLUSTER so the in-cluster destination is KUBECONFIG's cluster),
 * minus its debug and e2e settings. Redis runs as hack/start-redis-with-password.sh runs a local one: no persistence.
 */
export function argocdPlans(ports: ArgocdPorts, paths: ArgocdPaths): ArgocdPlan[] {
  const redis = `${HOST}:${ports.redis}`;
  const repoServer = `${HOST}:${ports.repoServer}`;
  const common = {
    PATH: paths.path,
    ARGOCD_FAKE_IN_CLUSTER: 'true',
    KUBECONFIG: paths.kubeconfig,
    ARGOCD_TLS_DATA_PATH: `${paths.data}/tls`,
    ARGOCD_SSH_DATA_PATH: `${paths.data}/ssh`,
  };
  const kube = [`--kubeconfig=${paths.kubeconfig}`, `--namespace=${ARGOCD_NAMESPACE}`];
  const { repository } = paths;
  return [
    {
      name: 'git-server',
      program: 'node',
      args: ['-r', repository.register, repository.script, repository.root, repository.name, String(ports.git)],
      env: {},
      health: `${servedRepoUrl(ports, repository.name)}/info/refs?service=git-upload-pack`,
    },
    {
      name: 'redis',
      program: 'redis-server',
      // its own process title would hide the program name that tells a reused pid from ours
      args: [
        '--bind',
        HOST,
        '--port',
        String(ports.redis),
        '--save',
        '',
        '--appendonly',
        'no',
        '--set-proc-title',
        'no',
      ],
      env: {},
      health: `redis://${redis}`,
    },
    {
      name: 'argocd-repo-server',
      program: 'argocd',
      args: [
        '--address',
        HOST,
        '--port',
        String(ports.repoServer),
        '--metrics-address',
        HOST,
        '--metrics-port',
        String(ports.repoServerMetrics),
        '--redis',
        redis,
      ],
      env: {
        ...common,
        ARGOCD_BINARY_NAME: 'argocd-repo-server',
        ARGOCD_GPG_ENABLED: 'false',
        ARGOCD_GNUPGHOME: `${paths.data}/gpg/keys`,
        ARGOCD_GPG_DATA_PATH: `${paths.data}/gpg/source`,
        ARGOCD_PLUGINSOCKFILEPATH: `${paths.data}/plugins`,
      },
      health: `http://${HOST}:${ports.repoServerMetrics}/healthz`,
    },
    {
      name: 'argocd-application-controller',
      program: 'argocd',
      // its metrics server listens on 0.0.0.0 whatever the flags say (controller/appcontroller.go)
      args: [...kube, '--redis', redis, '--repo-server', repoServer, '--metrics-port', String(ports.controllerMetrics)],
      env: { ...common, ARGOCD_BINARY_NAME: 'argocd-application-controller' },
      health: `http://${HOST}:${ports.controllerMetrics}/healthz`,
    },
    {
      name: 'argocd-server',
      program: 'argocd',
      args: [
        ...kube,
        '--insecure', // plain HTTP on loopback, as the Procfile runs it; the CLI then needs --plaintext
        '--address',
        HOST,
        '--port',
        String(ports.server),
        '--metrics-address',
        HOST,
        '--metrics-port',
        String(ports.serverMetrics),
        '--redis',
        redis,
        '--repo-server',
        repoServer,
      ],
      env: { ...common, ARGOCD_BINARY_NAME: 'argocd-server' },
      health: `http://${HOST}:${ports.server}/healthz`,
    },
  ];
}

export interface ArgocdSecrets {
  /** signs Argo CD's session and API tokens (argocd-secret server.secretkey) */
  serverSecretKey: string;
  /** bcrypt of the admin password (argocd account bcrypt) */
  adminPasswordHash: string;
  /** RFC 3339: tokens issued before it are refused */
  adminPasswordMtime: string;
}

const PART_OF = { 'app.kubernetes.io/part-of': 'argocd' }; // Argo CD's settings informers select by this label

const configMap = (name: string, data: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ARGOCD_NAMESPACE, labels: { ...PART_OF, 'app.kubernetes.io/name': name } },
  data,
});

/**
 * The namespace and what Argo CD reads at start (manifests/base/config): argocd-cm lets the admin account issue API
 * tokens (the argocd CLI's ARGOCD_AUTH_TOKEN), argocd-rbac-cm keeps the built-in roles, argocd-secret holds the
 * signing key and the admin password. The TLS, SSH and GnuPG ConfigMaps are empty, as a fresh install has them.
 */
export function argocdConfigObjects(secrets: ArgocdSecrets, url: string): object {
  const items = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ARGOCD_NAMESPACE } },
    configMap('argocd-cm', { 'accounts.admin': 'apiKey, login', 'admin.enabled': 'true', url }),
    configMap('argocd-cmd-params-cm'),
    configMap('argocd-rbac-cm', { 'policy.default': '' }),
    configMap('argocd-ssh-known-hosts-cm'),
    configMap('argocd-tls-certs-cm'),
    configMap('argocd-gpg-keys-cm'),
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: {
        name: 'argocd-secret',
        namespace: ARGOCD_NAMESPACE,
        labels: { ...PART_OF, 'app.kubernetes.io/name': 'argocd-secret' },
      },
      stringData: {
        'server.secretkey': secrets.serverSecretKey,
        'admin.password': secrets.adminPasswordHash,
        'admin.passwordMtime': secrets.adminPasswordMtime,
      },
    },
  ];
  return { apiVersion: 'v1', kind: 'List', items };
}

/** dist/cluster/argocd.env: what the argocd CLI (and berth status --live) read to reach the API server. */
export function argocdEnvFile(server: string, token: string, repoUrl: string): string {
  return [
    '# written by npm run cluster -- up --argocd; source it: set -a; . dist/cluster/argocd.env; set +a',
    `ARGOCD_SERVER=${server}`,
    `ARGOCD_AUTH_TOKEN=${token}`,
    'ARGOCD_OPTS=--plaintext',
    '# this repository, read-only over git smart HTTP, as the repo-server clones it',
    `BERTH_CLUSTER_REPO_URL=${repoUrl}`,
    '',
  ].join('\n');
}
