// pod-security: every control of Pod Security Standards baseline and restricted, one breaking and one passing case each, in every kind of pod template.
import { describe, expect, it } from 'vitest';
import { podSecurityRule } from '../../src/validate/rules/pod-security';
import { CONTROLS, safeSysctls } from '../../src/validate/rules/pod-security-controls';
import type { KubeObject } from '../../src/validate/context';
import type { Platform } from './fixtures';
import { describeRule, findingsAfter } from './table';

const spec = 'spec.template.spec';
const container = `${spec}.containers[0]`;
const where = (env = 'dev') => ({ environment: env, application: `${env}-service-a`, object: 'Deployment/service-a' });
const at = (field: string, env = 'dev') => ({ ...where(env), field: `${container}.securityContext.${field}` });
const atPod = (field: string, env = 'dev') => ({ ...where(env), field: `${spec}.${field}` });
const own = (platform: Platform, env = 'dev'): KubeObject => platform.container(env, 'service-a').securityContext;
const pod = (platform: Platform, env = 'dev'): KubeObject =>
  platform.object(env, 'service-a', 'Deployment/service-a').spec.template.spec;
const podMetadata = (platform: Platform): KubeObject =>
  platform.object('dev', 'service-a', 'Deployment/service-a').spec.template.metadata;
const kubeVersion = (platform: Platform, env: string, version: string) =>
  (platform.context.renders.find((render) => render.environment.name === env)!.environment.cluster.kubeVersion =
    version);
const hardenedInit = (platform: Platform) => {
  const init: KubeObject = { ...structuredClone(platform.container('dev', 'postgres')), name: 'init-permissions' };
  platform.object('dev', 'postgres', 'StatefulSet/postgres').spec.template.spec.initContainers = [init];
  return init;
};
const addVolume = (volume: KubeObject) => (p: Platform) => pod(p).volumes.push(volume);

/** service-a's hardened pod template, carried by another kind of object that service-a's chart renders as an extra template. */
function extraObject(p: Platform, kind: string, change: (pod: KubeObject) => void = () => {}): KubeObject {
  const template = structuredClone(p.object('dev', 'service-a', 'Deployment/service-a').spec.template);
  change(template.spec);
  const metadata = { name: `service-a-${kind.toLowerCase()}`, namespace: 'dev' };
  const object =
    kind === 'Pod'
      ? { apiVersion: 'v1', kind, metadata: { ...metadata, ...template.metadata }, spec: template.spec }
      : kind === 'CronJob'
        ? {
            apiVersion: 'batch/v1',
            kind,
            metadata,
            spec: { schedule: '0 * * * *', jobTemplate: { spec: { template } } },
          }
        : { apiVersion: kind === 'Job' ? 'batch/v1' : 'apps/v1', kind, metadata, spec: { template } };
  p.app('dev', 'service-a').objects.push(object);
  return object;
}
const inExtra = (kind: string, field: string) => ({
  environment: 'dev',
  application: 'dev-service-a',
  object: `${kind}/service-a-${kind.toLowerCase()}`,
  field,
});

describeRule(podSecurityRule, {
  accepts: [
    // runAsNonRoot, seccomp
    { name: 'runAsNonRoot stated only for the pod', change: (p) => delete own(p).runAsNonRoot },
    {
      name: 'seccomp stated only on the container',
      change: (p) => {
        delete pod(p).securityContext.seccompProfile;
        own(p).seccompProfile = { type: 'RuntimeDefault' };
      },
    },
    {
      name: 'a Localhost seccomp profile',
      change: (p) =>
        (pod(p).securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/strict.json' }),
    },
    { name: 'a hardened init container', change: (p) => hardenedInit(p) },
    // host namespaces, HostProcess, privileged, host ports
    {
      name: 'hostNetwork, hostPID and hostIPC stated false',
      change: (p) => Object.assign(pod(p), { hostNetwork: false, hostPID: false, hostIPC: false }),
    },
    {
      name: 'hostProcess stated false',
      change: (p) => (pod(p).securityContext.windowsOptions = { hostProcess: false }),
    },
    { name: 'privileged stated false', change: (p) => (own(p).privileged = false) },
    { name: 'a hostPort of 0', change: (p) => (p.container('dev', 'service-a').ports[0].hostPort = 0) },
    // capabilities
    { name: 'NET_BIND_SERVICE added back', change: (p) => (own(p).capabilities.add = ['NET_BIND_SERVICE']) },
    // volumes
    {
      name: 'every volume type restricted allows',
      change: (p) =>
        pod(p).volumes.push(
          { name: 'config', configMap: { name: 'service-a-config' } },
          { name: 'token', projected: { sources: [] } },
          { name: 'tls', secret: { secretName: 'service-a-tls' } },
          { name: 'info', downwardAPI: { items: [] } },
          { name: 'csi', csi: { driver: 'secrets-store.csi.k8s.io' } },
          { name: 'data', persistentVolumeClaim: { claimName: 'data' } },
          { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } },
          { name: 'model', image: { reference: 'registry.example.com/model:1' } },
          { name: 'defaulted' },
        ),
    },
    // AppArmor
    {
      name: 'AppArmor runtime/default and localhost/ annotations',
      change: (p) =>
        Object.assign(podMetadata(p).annotations, {
          'container.apparmor.security.beta.kubernetes.io/service-a': 'runtime/default',
          'container.apparmor.security.beta.kubernetes.io/sidecar': 'localhost/strict',
        }),
    },
    {
      name: 'AppArmor RuntimeDefault and Localhost fields',
      change: (p) => {
        pod(p).securityContext.appArmorProfile = { type: 'RuntimeDefault' };
        own(p).appArmorProfile = { type: 'Localhost', localhostProfile: 'strict' };
      },
    },
    // SELinux
    {
      name: 'an SELinux type the container runtime uses, and a level',
      change: (p) => {
        pod(p).securityContext.seLinuxOptions = { type: 'container_t', level: 's0:c123,c456' };
        own(p).seLinuxOptions = { type: 'container_init_t' };
      },
    },
    {
      name: 'container_engine_t on Kubernetes 1.31 and later',
      change: (p) => (own(p).seLinuxOptions = { type: 'container_engine_t' }),
    },
    // /proc, sysctls, probes
    { name: 'procMount Default', change: (p) => (own(p).procMount = 'Default') },
    {
      name: 'safe sysctls, tcp_rmem from 1.32',
      change: (p) =>
        (pod(p).securityContext.sysctls = [
          { name: 'net.ipv4.ip_unprivileged_port_start', value: '0' },
          { name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' },
        ]),
    },
    {
      name: 'a probe host before Kubernetes 1.34',
      change: (p) => (p.container('dev', 'service-a').livenessProbe.httpGet.host = '10.0.0.1'),
    },
    // runAsUser
    { name: 'a non-zero user on pod and container', change: (p) => (own(p).runAsUser = 10002) },
    // Windows pods are exempt from seccomp, capabilities and allowPrivilegeEscalation from 1.25 on
    {
      name: 'a Windows pod without the Linux-only fields',
      change: (p) => {
        pod(p).os = { name: 'windows' };
        delete pod(p).securityContext.seccompProfile;
        delete own(p).capabilities;
        delete own(p).allowPrivilegeEscalation;
      },
    },
    // other kinds of pod template, hardened
    ...['Pod', 'CronJob', 'Job', 'DaemonSet', 'ReplicaSet'].map((kind) => ({
      name: `a hardened ${kind} from the chart's own templates`,
      change: (p: Platform) => void extraObject(p, kind),
    })),
  ],
  rejects: [
    // runAsNonRoot (restricted)
    {
      name: 'a container that overrides the pod to runAsNonRoot: false',
      change: (p) => (own(p).runAsNonRoot = false),
      finding: at('runAsNonRoot'),
      message: /may run as root/,
    },
    {
      name: 'runAsNonRoot stated nowhere',
      change: (p) => {
        delete own(p).runAsNonRoot;
        delete pod(p).securityContext.runAsNonRoot;
      },
      finding: at('runAsNonRoot'),
    },
    {
      name: 'a pod that says runAsNonRoot: false under containers that say true',
      change: (p) => (pod(p).securityContext.runAsNonRoot = false),
      finding: atPod('securityContext.runAsNonRoot'),
    },
    // runAsUser (restricted)
    {
      name: 'a container running as user 0',
      change: (p) => (own(p).runAsUser = 0),
      finding: at('runAsUser'),
      message: /user 0/,
    },
    // the cluster refuses pod-level 0 even where every container overrides it, so the finding names the pod's field
    {
      name: 'a pod running as user 0',
      change: (p) => (pod(p).securityContext.runAsUser = 0),
      finding: atPod('securityContext.runAsUser'),
      message: /user 0/,
    },
    // allowPrivilegeEscalation (restricted)
    {
      name: 'privilege escalation allowed',
      change: (p) => (own(p).allowPrivilegeEscalation = true),
      finding: at('allowPrivilegeEscalation'),
    },
    {
      name: 'allowPrivilegeEscalation left unset',
      change: (p) => delete own(p).allowPrivilegeEscalation,
      finding: at('allowPrivilegeEscalation'),
      message: /unset/,
    },
    // privileged (baseline)
    {
      name: 'a privileged container',
      change: (p) => (own(p).privileged = true),
      finding: at('privileged'),
      message: /privileged/,
    },
    // capabilities (baseline and restricted)
    {
      name: 'capabilities dropped one by one instead of ALL',
      change: (p) => (own(p).capabilities.drop = ['NET_RAW', 'SYS_ADMIN']),
      finding: at('capabilities.drop'),
    },
    {
      name: 'a capability added back',
      change: (p) => (own(p).capabilities.add = ['NET_ADMIN']),
      finding: at('capabilities.add'),
      message: /NET_ADMIN/,
    },
    {
      name: 'a capability baseline allows but restricted does not',
      change: (p) => (own(p).capabilities.add = ['NET_BIND_SERVICE', 'CHOWN']),
      finding: at('capabilities.add'),
      message: /adds capabilities CHOWN;/,
    },
    {
      name: 'SYS_ADMIN on a Windows pod (baseline still applies)',
      change: (p) => {
        pod(p).os = { name: 'windows' };
        own(p).capabilities.add = ['SYS_ADMIN'];
      },
      finding: at('capabilities.add'),
      message: /SYS_ADMIN beyond even baseline/,
    },
    // seccomp (baseline: never Unconfined; restricted: RuntimeDefault or Localhost)
    {
      name: 'a container that opts out of seccomp',
      change: (p) => (own(p).seccompProfile = { type: 'Unconfined' }),
      finding: at('seccompProfile.type'),
      message: /Unconfined/,
    },
    {
      name: 'no seccomp profile anywhere',
      change: (p) => delete pod(p).securityContext.seccompProfile,
      finding: at('seccompProfile.type'),
      message: /unset/,
    },
    {
      name: 'an Unconfined pod under a RuntimeDefault container',
      change: (p) => {
        pod(p).securityContext.seccompProfile = { type: 'Unconfined' };
        own(p).seccompProfile = { type: 'RuntimeDefault' };
      },
      finding: atPod('securityContext.seccompProfile.type'),
      message: /Unconfined/,
    },
    {
      name: 'an Unconfined Windows pod',
      change: (p) => {
        pod(p).os = { name: 'windows' };
        pod(p).securityContext.seccompProfile = { type: 'Unconfined' };
      },
      finding: atPod('securityContext.seccompProfile.type'),
    },
    // host namespaces (baseline)
    {
      name: 'hostNetwork',
      change: (p) => (pod(p).hostNetwork = true),
      finding: atPod('hostNetwork'),
      message: /network namespace/,
    },
    {
      name: 'hostPID',
      change: (p) => (pod(p).hostPID = true),
      finding: atPod('hostPID'),
      message: /process namespace/,
    },
    { name: 'hostIPC', change: (p) => (pod(p).hostIPC = true), finding: atPod('hostIPC'), message: /IPC namespace/ },
    // HostProcess (baseline)
    {
      name: 'a Windows HostProcess pod',
      change: (p) => (pod(p).securityContext.windowsOptions = { hostProcess: true }),
      finding: atPod('securityContext.windowsOptions.hostProcess'),
      message: /HostProcess/,
    },
    {
      name: 'a Windows HostProcess container',
      change: (p) => (own(p).windowsOptions = { hostProcess: true }),
      finding: at('windowsOptions.hostProcess'),
    },
    // volumes (baseline: no hostPath; restricted: the allowed list)
    {
      name: 'a hostPath volume',
      change: addVolume({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }),
      finding: atPod('volumes[1].hostPath'),
      message: /docker.sock.*hostPath.*baseline: hostPathVolumes/,
    },
    {
      name: 'an nfs volume',
      change: addVolume({ name: 'share', nfs: { server: 'nfs.internal', path: '/' } }),
      finding: atPod('volumes[1].nfs'),
      message: /nfs/,
    },
    {
      name: 'an in-tree EBS volume',
      change: addVolume({ name: 'disk', awsElasticBlockStore: { volumeID: 'vol-1' } }),
      finding: atPod('volumes[1].awsElasticBlockStore'),
    },
    // host ports (baseline)
    {
      name: 'a hostPort',
      change: (p) => (p.container('dev', 'service-a').ports[0].hostPort = 8080),
      finding: { ...where(), field: `${container}.ports[0].hostPort` },
      message: /8080/,
    },
    // AppArmor (baseline), annotation and field
    {
      name: 'an AppArmor unconfined annotation',
      change: (p) =>
        (podMetadata(p).annotations['container.apparmor.security.beta.kubernetes.io/service-a'] = 'unconfined'),
      finding: {
        ...where(),
        field: 'spec.template.metadata.annotations.container.apparmor.security.beta.kubernetes.io/service-a',
      },
      message: /unconfined/,
    },
    {
      name: 'an AppArmor Unconfined pod profile',
      change: (p) => (pod(p).securityContext.appArmorProfile = { type: 'Unconfined' }),
      finding: atPod('securityContext.appArmorProfile.type'),
      message: /Unconfined/,
    },
    {
      name: 'an AppArmor Unconfined container profile',
      change: (p) => (own(p).appArmorProfile = { type: 'Unconfined' }),
      finding: at('appArmorProfile.type'),
    },
    // SELinux (baseline): type, user, role
    {
      name: 'a custom SELinux type on the pod',
      change: (p) => (pod(p).securityContext.seLinuxOptions = { type: 'spc_t' }),
      finding: atPod('securityContext.seLinuxOptions.type'),
      message: /spc_t/,
    },
    {
      name: 'an SELinux user on the container',
      change: (p) => (own(p).seLinuxOptions = { user: 'system_u' }),
      finding: at('seLinuxOptions.user'),
    },
    {
      name: 'an SELinux role on the container',
      change: (p) => (own(p).seLinuxOptions = { role: 'system_r' }),
      finding: at('seLinuxOptions.role'),
    },
    {
      name: 'container_engine_t before Kubernetes 1.31',
      change: (p) => {
        kubeVersion(p, 'dev', '1.30.2');
        own(p).seLinuxOptions = { type: 'container_engine_t' };
      },
      finding: at('seLinuxOptions.type'),
    },
    // /proc (baseline)
    {
      name: 'procMount Unmasked',
      change: (p) => (own(p).procMount = 'Unmasked'),
      finding: at('procMount'),
      message: /Unmasked/,
    },
    // sysctls (baseline), by the cluster's version
    {
      name: 'an unsafe sysctl',
      change: (p) => (pod(p).securityContext.sysctls = [{ name: 'net.ipv4.ip_forward', value: '1' }]),
      finding: atPod('securityContext.sysctls[0].name'),
      message: /ip_forward/,
    },
    {
      name: 'tcp_rmem before Kubernetes 1.32',
      change: (p) => {
        kubeVersion(p, 'dev', '1.31.0');
        pod(p).securityContext.sysctls = [{ name: 'net.ipv4.tcp_rmem', value: '4096' }];
      },
      finding: atPod('securityContext.sysctls[0].name'),
    },
    // probe and lifecycle hosts (baseline from 1.34)
    {
      name: 'a probe host on Kubernetes 1.34',
      change: (p) => {
        kubeVersion(p, 'dev', '1.34.1');
        p.container('dev', 'service-a').livenessProbe.httpGet.host = '169.254.169.254';
      },
      finding: { ...where(), field: `${container}.livenessProbe.httpGet.host` },
      message: /169.254.169.254/,
    },
    {
      name: 'a preStop host on Kubernetes 1.34',
      change: (p) => {
        kubeVersion(p, 'dev', '1.34.1');
        p.container('dev', 'service-a').lifecycle = {
          preStop: { httpGet: { host: 'example.com', path: '/', port: 80 } },
        };
      },
      finding: { ...where(), field: `${container}.lifecycle.preStop.httpGet.host` },
    },
    // in prod only
    {
      name: 'a weakened container in prod only',
      change: (p) => (own(p, 'prod').privileged = true),
      finding: at('privileged', 'prod'),
    },
    // init and ephemeral containers
    {
      name: 'a privileged init container',
      change: (p) => (hardenedInit(p).securityContext.privileged = true),
      finding: {
        environment: 'dev',
        application: 'dev-postgres',
        object: 'StatefulSet/postgres',
        field: 'spec.template.spec.initContainers[0].securityContext.privileged',
      },
      message: /init container "init-permissions"/,
    },
    {
      name: 'an ephemeral container that may run as root',
      change: (p) =>
        (pod(p).ephemeralContainers = [
          {
            ...structuredClone(p.container('dev', 'service-a')),
            name: 'debug',
            securityContext: { ...structuredClone(own(p)), runAsNonRoot: false },
          },
        ]),
      finding: { ...where(), field: `${spec}.ephemeralContainers[0].securityContext.runAsNonRoot` },
      message: /ephemeral container "debug"/,
    },
    // every kind of pod template a chart's own templates can render
    {
      name: 'a bare Pod with hostPID',
      change: (p) => void extraObject(p, 'Pod', (s) => (s.hostPID = true)),
      finding: inExtra('Pod', 'spec.hostPID'),
    },
    {
      name: 'a CronJob with hostNetwork',
      change: (p) => void extraObject(p, 'CronJob', (s) => (s.hostNetwork = true)),
      finding: inExtra('CronJob', 'spec.jobTemplate.spec.template.spec.hostNetwork'),
    },
    {
      name: 'a Job with a hostPath volume',
      change: (p) => void extraObject(p, 'Job', (s) => s.volumes.push({ name: 'root', hostPath: { path: '/' } })),
      finding: inExtra('Job', 'spec.template.spec.volumes[1].hostPath'),
    },
    {
      name: 'a DaemonSet with a privileged container',
      change: (p) => void extraObject(p, 'DaemonSet', (s) => (s.containers[0].securityContext.privileged = true)),
      finding: inExtra('DaemonSet', 'spec.template.spec.containers[0].securityContext.privileged'),
    },
    {
      name: 'a ReplicaSet running as root',
      change: (p) => void extraObject(p, 'ReplicaSet', (s) => (s.securityContext.runAsUser = 0)),
      finding: inExtra('ReplicaSet', 'spec.template.spec.securityContext.runAsUser'),
    },
    {
      name: 'a Pod with an Unconfined AppArmor annotation on its own metadata',
      change: (p) => {
        extraObject(p, 'Pod').metadata.annotations['container.apparmor.security.beta.kubernetes.io/service-a'] =
          'unconfined';
      },
      finding: inExtra('Pod', 'metadata.annotations.container.apparmor.security.beta.kubernetes.io/service-a'),
    },
  ],
});

describe('pod-security findings', () => {
  it('cover every control of pod-security-admission baseline and restricted', () => {
    expect(CONTROLS.map((control) => control.id).sort()).toEqual(
      [
        'allowPrivilegeEscalation',
        'appArmorProfile',
        'capabilities',
        'hostNamespaces',
        'hostPorts',
        'hostProbesAndHostLifecycle',
        'hostProcess',
        'privileged',
        'procMount',
        'restrictedVolumes',
        'runAsNonRoot',
        'runAsUser',
        'seLinuxOptions',
        'seccompProfile',
        'sysctls',
      ].sort(),
    );
  });

  it('name the control, the level and a fix that names the service chart', () => {
    const [finding] = findingsAfter(podSecurityRule, (p) => (pod(p).hostPID = true));
    expect(finding.message).toMatch(/\(Pod Security Standards baseline: hostNamespaces\)$/);
    expect(finding.fix).toMatch(/charts\/service-a\/templates\//);
  });

  it('report every broken field of one pod, not the first', () => {
    const findings = findingsAfter(podSecurityRule, (p) =>
      Object.assign(pod(p), { hostNetwork: true, hostPID: true, hostIPC: true }),
    );
    expect(findings.map((finding) => finding.field)).toEqual(
      ['hostNetwork', 'hostPID', 'hostIPC'].map((field) => `${spec}.${field}`),
    );
  });

  it('know the safe sysctls of each Kubernetes version', () => {
    expect(safeSysctls(26).has('net.ipv4.ip_local_reserved_ports')).toBe(false);
    expect(safeSysctls(27).has('net.ipv4.ip_local_reserved_ports')).toBe(true);
    expect(safeSysctls(33).size).toBe(12);
  });
});
