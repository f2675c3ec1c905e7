// security-context: every container, init containers too, runs non-root, read-only, unprivileged, without capabilities, under seccomp.
import { securityContextRule } from '../../src/validate/rules/security-context';
import type { KubeObject } from '../../src/validate/context';
import type { Platform } from './fixtures';
import { describeRule } from './table';

const container = 'spec.template.spec.containers[0]';
const at = (field: string, env = 'dev') => ({ environment: env, application: `${env}-service-a`, object: 'Deployment/service-a', field: `${container}.securityContext.${field}` });
const own = (platform: Platform, env = 'dev'): KubeObject => platform.container(env, 'service-a').securityContext;
const pod = (platform: Platform): KubeObject => platform.object('dev', 'service-a', 'Deployment/service-a').spec.template.spec;
const hardenedInit = (platform: Platform) => {
  const init: KubeObject = { ...structuredClone(platform.container('dev', 'postgres')), name: 'init-permissions' };
  platform.object('dev', 'postgres', 'StatefulSet/postgres').spec.template.spec.initContainers = [init];
  return init;
};

describeRule(securityContextRule, {
  accepts: [
    { name: 'runAsNonRoot stated only for the pod', change: (p) => delete own(p).runAsNonRoot },
    { name: 'seccomp stated only on the container', change: (p) => { delete pod(p).securityContext.seccompProfile; own(p).seccompProfile = { type: 'RuntimeDefault' }; } },
    { name: 'a Localhost seccomp profile', change: (p) => (pod(p).securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/strict.json' }) },
    { name: 'a hardened init container', change: (p) => hardenedInit(p) },
  ],
  rejects: [
    { name: 'a container that overrides the pod to runAsNonRoot: false', change: (p) => (own(p).runAsNonRoot = false), finding: at('runAsNonRoot'), message: /may run as root/ },
    { name: 'runAsNonRoot stated nowhere', change: (p) => { delete own(p).runAsNonRoot; delete pod(p).securityContext.runAsNonRoot; }, finding: at('runAsNonRoot') },
    { name: 'a container running as user 0', change: (p) => (own(p).runAsUser = 0), finding: at('runAsUser'), message: /user 0/ },
    { name: 'a pod running as user 0', change: (p) => (pod(p).securityContext.runAsUser = 0), finding: at('runAsUser') },
    { name: 'a writable root filesystem', change: (p) => (own(p).readOnlyRootFilesystem = false), finding: at('readOnlyRootFilesystem') },
    { name: 'readOnlyRootFilesystem left unset', change: (p) => delete own(p).readOnlyRootFilesystem, finding: at('readOnlyRootFilesystem') },
    { name: 'privilege escalation allowed', change: (p) => (own(p).allowPrivilegeEscalation = true), finding: at('allowPrivilegeEscalation') },
    { name: 'allowPrivilegeEscalation left unset', change: (p) => delete own(p).allowPrivilegeEscalation, finding: at('allowPrivilegeEscalation') },
    { name: 'a privileged container', change: (p) => (own(p).privileged = true), finding: at('privileged'), message: /privileged/ },
    { name: 'capabilities dropped one by one instead of ALL', change: (p) => (own(p).capabilities.drop = ['NET_RAW', 'SYS_ADMIN']), finding: at('capabilities.drop') },
    { name: 'a capability added back', change: (p) => (own(p).capabilities.add = ['NET_ADMIN']), finding: at('capabilities.add'), message: /NET_ADMIN/ },
    { name: 'a container that opts out of seccomp', change: (p) => (own(p).seccompProfile = { type: 'Unconfined' }), finding: at('seccompProfile.type'), message: /Unconfined/ },
    { name: 'no seccomp profile anywhere', change: (p) => delete pod(p).securityContext.seccompProfile, finding: at('seccompProfile.type'), message: /unset/ },
    { name: 'a weakened container in prod only', change: (p) => (own(p, 'prod').readOnlyRootFilesystem = false), finding: at('readOnlyRootFilesystem', 'prod') },
    {
      name: 'an init container with a writable root filesystem',
      change: (p) => (hardenedInit(p).securityContext.readOnlyRootFilesystem = false),
      finding: { environment: 'dev', application: 'dev-postgres', object: 'StatefulSet/postgres', field: 'spec.template.spec.initContainers[0].securityContext.readOnlyRootFilesystem' },
      message: /init-permissions/,
    },
  ],
});
