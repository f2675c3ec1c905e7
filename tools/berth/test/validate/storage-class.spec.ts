// storage-class: every claim names a storage class the cluster has, from env.yaml or rendered by cluster-base.
import { storageClassRule } from '../../src/validate/rules/storage-class';
import type { KubeObject } from '../../src/validate/context';
import type { Platform } from './fixtures';
import { describeRule } from './table';

/** Validating services alone: cluster-base is outside the selection, provided for context (EnvironmentRender.provided). */
const clusterBaseProvided = (p: Platform) => {
  for (const render of p.context.renders) {
    render.provided = render.applications.filter((app) => app.service === 'cluster-base');
    render.applications = render.applications.filter((app) => app.service !== 'cluster-base');
  }
};
const claim = (p: Platform, env = 'dev'): KubeObject =>
  p.object(env, 'postgres', 'StatefulSet/postgres').spec.volumeClaimTemplates[0].spec;
const at = (env = 'dev') => ({
  environment: env,
  application: `${env}-postgres`,
  object: 'StatefulSet/postgres',
  field: 'spec.volumeClaimTemplates[0].spec.storageClassName',
});
const pvc = (storageClassName?: string) => (p: Platform) =>
  p.app('dev', 'service-a').objects.push({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: 'uploads' },
    spec: {
      accessModes: ['ReadWriteOnce'],
      ...(storageClassName === undefined ? {} : { storageClassName }),
      resources: { requests: { storage: '1Gi' } },
    },
  });

describeRule(storageClassRule, {
  accepts: [
    // the fixture's gp3 is rendered by cluster-base; env.yaml cluster.storageClasses lists gp2
    { name: 'a class from env.yaml cluster.storageClasses', change: (p) => (claim(p).storageClassName = 'gp2') },
    {
      name: 'a class env.yaml lists once cluster-base no longer renders gp3',
      change: (p) => {
        p.app('dev', 'cluster-base').objects = p
          .app('dev', 'cluster-base')
          .objects.filter((o) => o.kind !== 'StorageClass');
        p.context.renders[0].environment.cluster.storageClasses.push('gp3');
      },
    },
    { name: 'a PersistentVolumeClaim on a class cluster-base renders', change: pvc('gp3') },
    { name: 'gp3 from cluster-base while only the services are validated', change: clusterBaseProvided },
  ],
  rejects: [
    {
      name: 'an unknown class',
      change: (p) => (claim(p).storageClassName = 'gp3-fast'),
      finding: at(),
      message: /"gp3-fast".*gp2, gp3/,
    },
    {
      name: 'no class at all',
      change: (p) => delete claim(p).storageClassName,
      finding: at(),
      message: /no storage class/,
    },
    {
      name: 'cluster-base no longer renders gp3 in prod',
      change: (p) =>
        (p.app('prod', 'cluster-base').objects = p
          .app('prod', 'cluster-base')
          .objects.filter((o) => o.kind !== 'StorageClass')),
      finding: at('prod'),
    },
    {
      name: "cluster-base of prod renders the class under another name; dev's gp3 does not count",
      change: (p) => (p.object('prod', 'cluster-base', 'StorageClass/gp3').metadata.name = 'gp3-encrypted'),
      finding: at('prod'),
    },
    {
      name: 'a class only env.yaml of another environment lists',
      change: (p) => {
        p.context.renders[1].environment.cluster.storageClasses.push('io2');
        claim(p).storageClassName = 'io2';
      },
      finding: at('dev'),
    },
    {
      name: 'a PersistentVolumeClaim on an unknown class',
      change: pvc('standard'),
      finding: {
        environment: 'dev',
        application: 'dev-service-a',
        object: 'PersistentVolumeClaim/uploads',
        field: 'spec.storageClassName',
      },
      message: /"standard"/,
    },
    {
      name: 'a class nobody provides while only the services are validated',
      change: (p) => {
        clusterBaseProvided(p);
        claim(p).storageClassName = 'gp3-fast';
      },
      finding: at(),
      message: /"gp3-fast".*gp2, gp3/,
    },
    {
      name: "only the services are validated and prod's cluster-base provides no gp3; dev's does not count",
      change: (p) => {
        clusterBaseProvided(p);
        p.context.renders[1].provided![0].objects = p.context.renders[1].provided![0].objects.filter(
          (o) => o.kind !== 'StorageClass',
        );
      },
      finding: at('prod'),
    },
    {
      name: 'a PersistentVolumeClaim without a class',
      change: pvc(),
      finding: {
        environment: 'dev',
        application: 'dev-service-a',
        object: 'PersistentVolumeClaim/uploads',
        field: 'spec.storageClassName',
      },
    },
  ],
});
