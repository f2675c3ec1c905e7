// berth's hardening beyond the Pod Security Standards (see pod-security.ts): every container's root filesystem is read-only.
import { allContainers, objectName, type Rule } from '../context';

export const securityContextRule: Rule = {
  id: 'security-context',
  description: 'containers run with a read-only root filesystem (the Pod Security Standards are the pod-security rule)',
  check(context) {
    return allContainers(context)
      .filter(({ container }) => container.securityContext?.readOnlyRootFilesystem !== true)
      .map(({ object, container, path, environment, application }) => ({
        rule: this.id,
        environment,
        application,
        object: objectName(object),
        field: `${path}.securityContext.readOnlyRootFilesystem`,
        message: `container "${container.name}" can write to its root filesystem.`,
        fix: 'set securityContext.readOnlyRootFilesystem: true and list writable folders in writablePaths.',
      }));
  },
};
