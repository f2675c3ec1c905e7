// The Pod Security Standards, baseline and restricted, as k8s.io/pod-security-admission checks them: one control per entry, pure.
import type { KubeObject } from '../context';

/** A pod template as admission sees it: the pod's metadata and spec. */
export interface PodTemplate {
  metadata: KubeObject;
  spec: KubeObject;
}

/** One field that the cluster would refuse; `field` is relative to the pod (spec..., metadata...). */
export interface Violation {
  control: string;
  level?: 'baseline' | 'restricted';
  field: string;
  message: string;
  fix: string;
}

/** Where the pod comes from, so a fix can say which file to change. */
export interface Origin {
  /** charts/<service>/values.yaml */
  values: string;
  /** charts/<service>/templates/ */
  templates: string;
}

export interface Control {
  id: string;
  level: 'baseline' | 'restricted';
  /** The Kubernetes minor version (1.x) the policy version that checks this applies from. */
  since: number;
  check(pod: PodTemplate, minor: number, origin: Origin): Violation[];
}

interface ContainerAt {
  container: KubeObject;
  path: string;
  /** container "app", init container "setup", ephemeral container "debug" */
  label: string;
}

/** Every container admission looks at, init and ephemeral containers included. */
export function podContainers(spec: KubeObject): ContainerAt[] {
  const lists: [string, string][] = [
    ['containers', 'container'],
    ['initContainers', 'init container'],
    ['ephemeralContainers', 'ephemeral container'],
  ];
  return lists.flatMap(([list, kind]) =>
    (Array.isArray(spec[list]) ? spec[list] : []).map((container: KubeObject, index: number) => ({
      container: container ?? {},
      path: `spec.${list}[${index}]`,
      label: `${kind} "${container?.name ?? index}"`,
    })),
  );
}

const isWindows = (pod: PodTemplate) => pod.spec.os?.name === 'windows';

/** Capabilities baseline lets a container add (the container runtime's defaults); restricted allows NET_BIND_SERVICE alone. */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const RESTRICTED_CAPABILITIES = new Set(['NET_BIND_SERVICE']);

/** The sysctls baseline allows, by the policy version that added them. */
const SAFE_SYSCTLS: [number, string[]][] = [
  [
    0,
    [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_unprivileged_port_start',
    ],
  ],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [
    29,
    [
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes',
    ],
  ],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
];
export const safeSysctls = (minor: number) =>
  new Set(SAFE_SYSCTLS.filter(([since]) => minor >= since).flatMap(([, names]) => names));

/** The SELinux types baseline allows; container_engine_t from 1.31. */
const selinuxTypes = (minor: number) =>
  new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', ...(minor >= 31 ? ['container_engine_t'] : [])]);

/** The inline volume sources restricted allows; every other one (hostPath, nfs, the in-tree cloud disks...) is refused. */
const RESTRICTED_VOLUMES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';
const allowedAppArmorAnnotation = (value: unknown) =>
  value === undefined ||
  value === '' ||
  value === 'runtime/default' ||
  (typeof value === 'string' && value.startsWith('localhost/'));
const allowedProfileType = (type: unknown) => type === 'RuntimeDefault' || type === 'Localhost';

const podField = (origin: Origin, field: string) =>
  `set podSecurityContext.${field} in ${origin.values} (or in the pod spec of the template under ${origin.templates} that renders it)`;
const containerField = (origin: Origin, field: string) =>
  `set securityContext.${field} in ${origin.values} (or on the container in the template under ${origin.templates} that renders it)`;
const removeFromTemplate = (origin: Origin, what: string) =>
  `remove ${what} from the template under ${origin.templates} that renders it`;

export const CONTROLS: Control[] = [
  {
    id: 'hostProcess',
    level: 'baseline',
    since: 0,
    check(pod, _minor, origin) {
      const found: Violation[] = [];
      if (pod.spec.securityContext?.windowsOptions?.hostProcess === true) {
        found.push({
          control: this.id,
          field: 'spec.securityContext.windowsOptions.hostProcess',
          message: 'the pod runs as a Windows HostProcess, with full access to the node.',
          fix: `${removeFromTemplate(origin, 'windowsOptions.hostProcess')}; HostProcess pods are refused by every Pod Security level above privileged.`,
        });
      }
      for (const { container, path, label } of podContainers(pod.spec)) {
        if (container.securityContext?.windowsOptions?.hostProcess === true) {
          found.push({
            control: this.id,
            field: `${path}.securityContext.windowsOptions.hostProcess`,
            message: `${label} runs as a Windows HostProcess, with full access to the node.`,
            fix: `${removeFromTemplate(origin, 'windowsOptions.hostProcess')}.`,
          });
        }
      }
      return found;
    },
  },
  {
    id: 'hostNamespaces',
    level: 'baseline',
    since: 0,
    check(pod, _minor, origin) {
      return (['hostNetwork', 'hostPID', 'hostIPC'] as const)
        .filter((field) => pod.spec[field] === true)
        .map((field) => ({
          control: this.id,
          field: `spec.${field}`,
          message: `the pod shares the node's ${{ hostNetwork: 'network', hostPID: 'process', hostIPC: 'IPC' }[field]} namespace (${field}: true).`,
          fix: `${removeFromTemplate(origin, `${field}: true`)}; a pod in the restricted namespace keeps its own namespaces.`,
        }));
    },
  },
  {
    id: 'privileged',
    level: 'baseline',
    since: 0,
    check(pod, _minor, origin) {
      return podContainers(pod.spec)
        .filter(({ container }) => container.securityContext?.privileged === true)
        .map(({ path, label }) => ({
          control: this.id,
          field: `${path}.securityContext.privileged`,
          message: `${label} is privileged.`,
          fix: `remove privileged: true (${containerField(origin, 'privileged: false')}).`,
        }));
    },
  },
  {
    id: 'capabilities',
    level: 'restricted',
    since: 0,
    check(pod, minor, origin) {
      const found: Violation[] = [];
      // restricted's drop-ALL and add-only-NET_BIND_SERVICE came with policy 1.22; Windows pods are exempt from 1.25
      const restricted = minor >= 22 && !(minor >= 25 && isWindows(pod));
      for (const { container, path, label } of podContainers(pod.spec)) {
        const capabilities = container.securityContext?.capabilities ?? {};
        const added: unknown[] = Array.isArray(capabilities.add) ? capabilities.add : [];
        const beyondBaseline = added.filter((capability) => !BASELINE_CAPABILITIES.has(String(capability)));
        const beyondRestricted = added.filter((capability) => !RESTRICTED_CAPABILITIES.has(String(capability)));
        const refused = restricted ? beyondRestricted : beyondBaseline;
        if (refused.length > 0) {
          found.push({
            control: this.id,
            field: `${path}.securityContext.capabilities.add`,
            message: `${label} adds capabilities ${refused.join(', ')}${beyondBaseline.length ? ` (${beyondBaseline.join(', ')} beyond even baseline)` : ''}; restricted allows adding NET_BIND_SERVICE alone.`,
            fix: `remove them from securityContext.capabilities.add in ${origin.values} or the template under ${origin.templates}; keep at most NET_BIND_SERVICE.`,
          });
        }
        const dropped: unknown[] = Array.isArray(capabilities.drop) ? capabilities.drop : [];
        if (restricted && !dropped.includes('ALL')) {
          found.push({
            control: this.id,
            field: `${path}.securityContext.capabilities.drop`,
            message: `${label} keeps Linux capabilities (capabilities.drop does not hold ALL).`,
            fix: `${containerField(origin, 'capabilities.drop: [ALL]')}.`,
          });
        }
      }
      return found;
    },
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    since: 0,
    check(pod, _minor, origin) {
      const volumes: KubeObject[] = Array.isArray(pod.spec.volumes) ? pod.spec.volumes : [];
      return volumes.flatMap((volume, index) => {
        const sources = Object.keys(volume ?? {}).filter((key) => key !== 'name');
        // a volume without a source is an emptyDir (the API server's default)
        if (sources.length === 0 || sources.some((source) => RESTRICTED_VOLUMES.has(source))) return [];
        const source = sources[0] ?? 'unknown';
        const host = source === 'hostPath';
        return [
          {
            control: host ? 'hostPathVolumes' : this.id,
            field: `spec.volumes[${index}].${source}`,
            message: host
              ? `volume "${volume?.name}" mounts ${JSON.stringify(volume.hostPath?.path ?? '')} from the node (hostPath).`
              : `volume "${volume?.name}" uses the volume type ${source}, which the restricted level refuses.`,
            fix: `${removeFromTemplate(origin, `volume "${volume?.name}"`)}; use emptyDir, configMap, secret, projected, downwardAPI, csi, ephemeral, image or a persistentVolumeClaim (persistence in ${origin.values}).`,
          },
        ];
      });
    },
  },
  {
    id: 'hostPorts',
    level: 'baseline',
    since: 0,
    check(pod, _minor, origin) {
      return podContainers(pod.spec).flatMap(({ container, path, label }) =>
        (Array.isArray(container.ports) ? container.ports : []).flatMap((port: KubeObject, index: number) =>
          port?.hostPort !== undefined && port.hostPort !== null && Number(port.hostPort) !== 0
            ? [
                {
                  control: this.id,
                  field: `${path}.ports[${index}].hostPort`,
                  message: `${label} binds port ${port.hostPort} on the node (hostPort).`,
                  fix: `${removeFromTemplate(origin, 'hostPort')}; reach the pod through a Service (and the Ingress) instead.`,
                },
              ]
            : [],
        ),
      );
    },
  },
  {
    id: 'appArmorProfile',
    level: 'baseline',
    since: 0,
    check(pod, _minor, origin) {
      const found: Violation[] = [];
      for (const [key, value] of Object.entries<unknown>(pod.metadata.annotations ?? {})) {
        if (key.startsWith(APPARMOR_ANNOTATION) && !allowedAppArmorAnnotation(value)) {
          found.push({
            control: this.id,
            field: `metadata.annotations.${key}`,
            message: `sets the AppArmor profile of container "${key.slice(APPARMOR_ANNOTATION.length)}" to ${JSON.stringify(value)}.`,
            fix: `remove the annotation from podAnnotations in ${origin.values} (or the template under ${origin.templates}), or set runtime/default or localhost/<profile>.`,
          });
        }
      }
      const type = pod.spec.securityContext?.appArmorProfile?.type;
      if (pod.spec.securityContext?.appArmorProfile && !allowedProfileType(type)) {
        found.push({
          control: this.id,
          field: 'spec.securityContext.appArmorProfile.type',
          message: `the pod sets AppArmor profile ${JSON.stringify(type ?? null)}.`,
          fix: `${podField(origin, 'appArmorProfile.type: RuntimeDefault')}, or remove it.`,
        });
      }
      for (const { container, path, label } of podContainers(pod.spec)) {
        const own = container.securityContext?.appArmorProfile;
        if (own && !allowedProfileType(own.type)) {
          found.push({
            control: this.id,
            field: `${path}.securityContext.appArmorProfile.type`,
            message: `${label} sets AppArmor profile ${JSON.stringify(own.type ?? null)}.`,
            fix: `${containerField(origin, 'appArmorProfile.type: RuntimeDefault')}, or remove it.`,
          });
        }
      }
      return found;
    },
  },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    since: 0,
    check(pod, minor, origin) {
      const allowed = selinuxTypes(minor);
      const judge = (options: KubeObject | undefined, base: string, who: string, fix: string): Violation[] => {
        if (!options || typeof options !== 'object') return [];
        const found: Violation[] = [];
        if (!allowed.has(options.type ?? ''))
          found.push({
            control: this.id,
            field: `${base}.seLinuxOptions.type`,
            message: `${who} sets the SELinux type ${JSON.stringify(options.type)}.`,
            fix: `${fix}: remove seLinuxOptions.type or use ${[...allowed].filter(Boolean).join(', ')}.`,
          });
        for (const field of ['user', 'role'] as const) {
          if (options[field])
            found.push({
              control: this.id,
              field: `${base}.seLinuxOptions.${field}`,
              message: `${who} sets the SELinux ${field} ${JSON.stringify(options[field])}; no level above privileged allows a custom one.`,
              fix: `${fix}: remove seLinuxOptions.${field}.`,
            });
        }
        return found;
      };
      return [
        ...judge(
          pod.spec.securityContext?.seLinuxOptions,
          'spec.securityContext',
          'the pod',
          `in podSecurityContext (${origin.values}) or the template under ${origin.templates}`,
        ),
        ...podContainers(pod.spec).flatMap(({ container, path, label }) =>
          judge(
            container.securityContext?.seLinuxOptions,
            `${path}.securityContext`,
            label,
            `in securityContext (${origin.values}) or the template under ${origin.templates}`,
          ),
        ),
      ];
    },
  },
  {
    id: 'procMount',
    level: 'baseline',
    since: 0,
    check(pod, _minor, origin) {
      return podContainers(pod.spec)
        .filter(
          ({ container }) =>
            container.securityContext?.procMount !== undefined &&
            container.securityContext?.procMount !== null &&
            container.securityContext.procMount !== 'Default',
        )
        .map(({ container, path, label }) => ({
          control: this.id,
          field: `${path}.securityContext.procMount`,
          message: `${label} mounts /proc ${container.securityContext.procMount}, without the default masks.`,
          fix: `remove procMount (or set Default) in securityContext in ${origin.values} or the template under ${origin.templates}.`,
        }));
    },
  },
  {
    id: 'seccompProfile',
    level: 'restricted',
    since: 0,
    check(pod, minor, origin) {
      const found: Violation[] = [];
      // baseline refuses Unconfined anywhere; restricted (not for Windows pods from 1.25) wants RuntimeDefault or Localhost
      const restricted = !(minor >= 25 && isWindows(pod));
      const podType = pod.spec.securityContext?.seccompProfile?.type;
      const refused = (type: unknown) => (restricted ? !allowedProfileType(type) : type === 'Unconfined');
      if (podType !== undefined && refused(podType)) {
        found.push({
          control: this.id,
          field: 'spec.securityContext.seccompProfile.type',
          message: `the pod has seccomp profile ${podType}.`,
          fix: `${podField(origin, 'seccompProfile.type: RuntimeDefault')}.`,
        });
      }
      for (const { container, path, label } of podContainers(pod.spec)) {
        const own = container.securityContext?.seccompProfile?.type;
        if (own !== undefined ? refused(own) : restricted && !allowedProfileType(podType)) {
          found.push({
            control: this.id,
            field: `${path}.securityContext.seccompProfile.type`,
            message: `${label} has seccomp profile ${own ?? 'unset'}${own === undefined ? ' and the pod sets none' : ''}.`,
            fix: `${podField(origin, 'seccompProfile.type: RuntimeDefault')}, and remove any other profile from the container.`,
          });
        }
      }
      return found;
    },
  },
  {
    id: 'sysctls',
    level: 'baseline',
    since: 0,
    check(pod, minor, origin) {
      const safe = safeSysctls(minor);
      const sysctls: KubeObject[] = Array.isArray(pod.spec.securityContext?.sysctls)
        ? pod.spec.securityContext.sysctls
        : [];
      return sysctls.flatMap((sysctl, index) =>
        safe.has(sysctl?.name)
          ? []
          : [
              {
                control: this.id,
                field: `spec.securityContext.sysctls[${index}].name`,
                message: `the pod sets the sysctl ${JSON.stringify(sysctl?.name)}, which is not namespaced to the pod (not one of the safe sysctls of Kubernetes 1.${minor}).`,
                fix: `remove it from podSecurityContext.sysctls in ${origin.values} or the template under ${origin.templates}; allowed: ${[...safe].join(', ')}.`,
              },
            ],
      );
    },
  },
  {
    id: 'hostProbesAndHostLifecycle',
    level: 'baseline',
    since: 34,
    check(pod, _minor, origin) {
      const handlers = ['livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle.postStart', 'lifecycle.preStop'];
      return podContainers(pod.spec).flatMap(({ container, path, label }) =>
        handlers.flatMap((handler) => {
          const node = handler.split('.').reduce<KubeObject | undefined>((value, key) => value?.[key], container);
          return (['httpGet', 'tcpSocket'] as const)
            .filter((kind) => node?.[kind]?.host)
            .map((kind) => ({
              control: this.id,
              field: `${path}.${handler}.${kind}.host`,
              message: `${label} sends its ${handler} to host ${JSON.stringify(node![kind].host)} instead of the pod.`,
              fix: `remove host from the ${handler} in ${origin.values} (probes) or the template under ${origin.templates}.`,
            }));
        }),
      );
    },
  },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    since: 0,
    check(pod, minor, origin) {
      if (minor >= 25 && isWindows(pod)) return [];
      return podContainers(pod.spec)
        .filter(({ container }) => container.securityContext?.allowPrivilegeEscalation !== false)
        .map(({ container, path, label }) => ({
          control: this.id,
          field: `${path}.securityContext.allowPrivilegeEscalation`,
          message: `${label} may escalate privileges (allowPrivilegeEscalation is ${container.securityContext?.allowPrivilegeEscalation ?? 'unset'}).`,
          fix: `${containerField(origin, 'allowPrivilegeEscalation: false')}.`,
        }));
    },
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    since: 0,
    check(pod, _minor, origin) {
      const found: Violation[] = [];
      const podValue = pod.spec.securityContext?.runAsNonRoot;
      if (podValue === false)
        found.push({
          control: this.id,
          field: 'spec.securityContext.runAsNonRoot',
          message: 'the pod may run as root (runAsNonRoot: false).',
          fix: `${podField(origin, 'runAsNonRoot: true')}.`,
        });
      for (const { container, path, label } of podContainers(pod.spec)) {
        const own = container.securityContext?.runAsNonRoot;
        if (own === false || (own === undefined && podValue !== true)) {
          found.push({
            control: this.id,
            field: `${path}.securityContext.runAsNonRoot`,
            message: `${label} may run as root (runAsNonRoot is ${own ?? 'unset'} here${own === undefined ? ' and on the pod' : ''}).`,
            fix: `${podField(origin, 'runAsNonRoot: true')} (and a non-zero runAsUser), and do not set it false on the container.`,
          });
        }
      }
      return found;
    },
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    since: 23,
    check(pod, _minor, origin) {
      const found: Violation[] = [];
      if (pod.spec.securityContext?.runAsUser === 0)
        found.push({
          control: this.id,
          field: 'spec.securityContext.runAsUser',
          message: 'the pod runs as user 0 (root).',
          fix: `${podField(origin, 'runAsUser')} to the image's non-zero user.`,
        });
      for (const { container, path, label } of podContainers(pod.spec)) {
        if (container.securityContext?.runAsUser === 0)
          found.push({
            control: this.id,
            field: `${path}.securityContext.runAsUser`,
            message: `${label} runs as user 0 (root).`,
            fix: `remove runAsUser: 0 from the container (the pod's non-zero podSecurityContext.runAsUser then applies), in ${origin.values} or the template under ${origin.templates}.`,
          });
      }
      return found;
    },
  },
];

/** Every violation of the pod, for a cluster at Kubernetes 1.<minor>: what the namespace's enforce=restricted would refuse. */
export function podSecurityViolations(pod: PodTemplate, minor: number, origin: Origin): Violation[] {
  return CONTROLS.filter((control) => minor >= control.since).flatMap((control) =>
    control.check(pod, minor, origin).map((violation) => ({
      ...violation,
      level: violation.level ?? (violation.control === 'hostPathVolumes' ? 'baseline' : control.level),
    })),
  );
}
