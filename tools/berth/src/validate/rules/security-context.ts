// Every container runs hardened: non-root, read-only root filesystem, no privilege escalation, no capabilities, seccomp.
import { allContainers, objectName, type Rule } from '../context';
import type { Finding } from '../finding';

export const securityContextRule: Rule = {
  id: 'security-context',
  description: 'containers are non-root, read-only, unprivileged, drop ALL capabilities and use seccomp RuntimeDefault',
  check(context) {
    return allContainers(context).flatMap(({ object, spec, container, path, environment, application }) => {
      const findings: Finding[] = [];
      const pod = spec.securityContext ?? {};
      const own = container.securityContext ?? {};
      const add = (field: string, message: string, fix: string) =>
        findings.push({ rule: this.id, environment, application, object: objectName(object), field: `${path}.${field}`, message: `container "${container.name}" ${message}`, fix });
      if ((own.runAsNonRoot ?? pod.runAsNonRoot) !== true)
        add('securityContext.runAsNonRoot', 'may run as root.', 'set securityContext.runAsNonRoot: true (and a non-zero runAsUser) in the service values.');
      if ((own.runAsUser ?? pod.runAsUser) === 0) add('securityContext.runAsUser', 'runs as user 0 (root).', 'set a non-zero runAsUser in podSecurityContext.');
      if (own.readOnlyRootFilesystem !== true)
        add('securityContext.readOnlyRootFilesystem', 'can write to its root filesystem.', 'set securityContext.readOnlyRootFilesystem: true and list writable folders in writablePaths.');
      if (own.allowPrivilegeEscalation !== false) add('securityContext.allowPrivilegeEscalation', 'may escalate privileges.', 'set securityContext.allowPrivilegeEscalation: false.');
      if (own.privileged === true) add('securityContext.privileged', 'is privileged.', 'remove privileged: true.');
      const dropped: string[] = own.capabilities?.drop ?? [];
      if (!dropped.includes('ALL')) add('securityContext.capabilities.drop', 'keeps Linux capabilities.', 'set securityContext.capabilities.drop: [ALL].');
      if ((own.capabilities?.add ?? []).length > 0) add('securityContext.capabilities.add', `adds capabilities ${own.capabilities.add.join(', ')}.`, 'remove capabilities.add.');
      const seccomp = own.seccompProfile?.type ?? pod.seccompProfile?.type;
      if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
        add('securityContext.seccompProfile.type', `has seccomp profile ${seccomp ?? 'unset'}.`, 'set podSecurityContext.seccompProfile.type: RuntimeDefault.');
      return findings;
    });
  },
};
