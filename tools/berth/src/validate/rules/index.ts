// Every policy rule berth validate applies, in the order their findings are printed.
import type { Rule } from '../context';
import { apiProvenanceRule } from './api-provenance';
import { cronScheduleRule } from './cron-schedule';
import { imageTagRule } from './image-tag';
import { albGroupRule, ingressConflictRule, ingressDomainRule } from './ingress';
import { objectCollisionRule } from './object-collisions';
import { plaintextSecretsRule } from './plaintext-secrets';
import { podSecurityRule } from './pod-security';
import { projectPermitsRule } from './project-permits';
import { probesRule, resourcesRule } from './resources-probes';
import { securityContextRule } from './security-context';
import { serviceSelectorRule, serviceTargetPortRule } from './services';
import { storageClassRule } from './storage-class';
import { awsAccountRule, secretStoreRule } from './tenancy';

export const RULES: Rule[] = [
  podSecurityRule,
  securityContextRule,
  resourcesRule,
  probesRule,
  imageTagRule,
  plaintextSecretsRule,
  secretStoreRule,
  awsAccountRule,
  albGroupRule,
  ingressConflictRule,
  ingressDomainRule,
  serviceSelectorRule,
  serviceTargetPortRule,
  storageClassRule,
  apiProvenanceRule,
  projectPermitsRule,
  objectCollisionRule,
  cronScheduleRule,
];
