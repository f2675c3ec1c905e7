// security-context: berth's hardening beyond the Pod Security Standards; every container, init containers too, has a read-only root filesystem.
import { securityContextRule } from '../../src/validate/rules/security-context';
import type { KubeObject } from '../../src/validate/context';
import type { Platform } from './fixtures';
import { describeRule } from './table';

const container = 'spec.template.spec.containers[0]';
const at = (field: string, env = 'dev') => ({
  environment: env,
  application: `${env}-service-a`,
  object: 'Deployment/service-a',
  field: `${container}.securityContext.${field}`,
});
const own = (platform: Platform, env = 'dev'): KubeObject => platform.container(env, 'service-a').securityContext;
const hardenedInit = (platform: Platform) => {
  const init: KubeObject = { ...structuredClone(platform.container('dev', 'postgres')), name: 'init-permissions' };
  platform.object('dev', 'postgres', 'StatefulSet/postgres').spec.template.spec.initContainers = [init];
  return init;
};

// the Pod Security Standards controls (runAsNonRoot, privileged, capabilities, seccomp, ...) are tested in pod-security.spec.ts
describeRule(securityContextRule, {
  accepts: [
    { name: 'a hardened init container', change: (p) => hardenedInit(p) },
    {
      name: 'a container that is otherwise weak (pod-security reports that)',
      change: (p) => (own(p).privileged = true),
    },
  ],
  rejects: [
    {
      name: 'a writable root filesystem',
      change: (p) => (own(p).readOnlyRootFilesystem = false),
      finding: at('readOnlyRootFilesystem'),
    },
    {
      name: 'readOnlyRootFilesystem left unset',
      change: (p) => delete own(p).readOnlyRootFilesystem,
      finding: at('readOnlyRootFilesystem'),
    },
    {
      name: 'a weakened container in prod only',
      change: (p) => (own(p, 'prod').readOnlyRootFilesystem = false),
      finding: at('readOnlyRootFilesystem', 'prod'),
    },
    {
      name: 'a container without any securityContext',
      change: (p) => delete p.container('dev', 'service-a').securityContext,
      finding: at('readOnlyRootFilesystem'),
      message: /root filesystem/,
    },
    {
      name: 'an init container with a writable root filesystem',
      change: (p) => (hardenedInit(p).securityContext.readOnlyRootFilesystem = false),
      finding: {
        environment: 'dev',
        application: 'dev-postgres',
        object: 'StatefulSet/postgres',
        field: 'spec.template.spec.initContainers[0].securityContext.readOnlyRootFilesystem',
      },
      message: /init-permissions/,
    },
  ],
});
