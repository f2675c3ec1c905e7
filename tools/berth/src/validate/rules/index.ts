// Every policy rule berth validate applies, in the order their findings are printed.
import type { Rule } from '../context';
import { cronScheduleRule } from './cron-schedule';
import { imageTagRule } from './image-tag';
import { albGroupRule, ingressConflictRule } from './ingress';
import { plaintextSecretsRule } from './plaintext-secrets';
import { projectPermitsRule } from './project-permits';
import { probesRule, resourcesRule } from './resources-probes';
import { securityContextRule } from './security-context';
import { serviceSelectorRule, serviceTargetPortRule } from './services';
import { storageClassRule } from './storage-class';

export const RULES: Rule[] = [
  securityContextRule,
  resourcesRule,
  probesRule,
  imageTagRule,
  plaintextSecretsRule,
  albGroupRule,
  ingressConflictRule,
  serviceSelectorRule,
  serviceTargetPortRule,
  storageClassRule,
  projectPermitsRule,
  cronScheduleRule,
];
