// What a policy rule sees: every rendered object of an environment, grouped by the Application that renders it.
import type { Environment, Workspace } from '../workspace/model';
import type { WorkspaceFiles } from '../workspace/files';
import type { Finding } from './finding';

export type KubeObject = Record<string, any>;

export interface RenderedApplication {
  application: string;
  service: string;
  /** The AppProject the Application belongs to (from its manifest). */
  project: string;
  /** The Application's destination namespace. */
  namespace?: string;
  objects: KubeObject[];
}

export interface EnvironmentRender {
  environment: Environment;
  /** The Applications being validated. */
  applications: RenderedApplication[];
  /**
   * Applications of the environment outside the selection whose objects the selected ones stand on (cluster-base's
   * namespace, StorageClass and SecretStore), so validating one service sees what validating everything sees.
   * Rules look things up in them and report only on `applications`.
   */
  provided?: RenderedApplication[];
}

export interface RuleContext {
  workspace: Workspace;
  files: WorkspaceFiles;
  renders: EnvironmentRender[];
  /** The AppProject manifests, by name. */
  projects: Map<string, KubeObject>;
}

export interface Rule {
  id: string;
  description: string;
  check(context: RuleContext): Finding[];
}

/** Every object the environment will have: the selected Applications' and those they stand on. */
export const environmentObjects = (render: EnvironmentRender): KubeObject[] =>
  [...render.applications, ...(render.provided ?? [])].flatMap((app) => app.objects);

export const objectName = (object: KubeObject) =>
  `${object.kind ?? '(no kind)'}/${object.metadata?.name ?? '(no name)'}`;

/** Pod templates of workloads (a CronJob's sits one level deeper) and bare Pods, with the object that holds them. */
export function podSpecs(
  objects: KubeObject[],
): { object: KubeObject; spec: KubeObject; path: string; labels: Record<string, string>; metadata: KubeObject }[] {
  return objects.flatMap((object) => {
    if (['Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicaSet'].includes(object.kind)) {
      const template = object.spec?.template;
      return [
        {
          object,
          spec: template?.spec ?? {},
          path: 'spec.template.spec',
          labels: template?.metadata?.labels ?? {},
          metadata: template?.metadata ?? {},
        },
      ];
    }
    if (object.kind === 'CronJob') {
      const template = object.spec?.jobTemplate?.spec?.template;
      return [
        {
          object,
          spec: template?.spec ?? {},
          path: 'spec.jobTemplate.spec.template.spec',
          labels: template?.metadata?.labels ?? {},
          metadata: template?.metadata ?? {},
        },
      ];
    }
    if (object.kind === 'Pod')
      return [
        {
          object,
          spec: object.spec ?? {},
          path: 'spec',
          labels: object.metadata?.labels ?? {},
          metadata: object.metadata ?? {},
        },
      ];
    return [];
  });
}

/** Every container of every pod template, init containers included. */
export function containers(objects: KubeObject[]) {
  return podSpecs(objects).flatMap(({ object, spec, path }) => [
    ...(spec.containers ?? []).map((container: KubeObject, index: number) => ({
      object,
      spec,
      container,
      path: `${path}.containers[${index}]`,
    })),
    ...(spec.initContainers ?? []).map((container: KubeObject, index: number) => ({
      object,
      spec,
      container,
      path: `${path}.initContainers[${index}]`,
    })),
  ]);
}

export interface ContainerSite {
  object: KubeObject;
  spec: KubeObject;
  container: KubeObject;
  path: string;
  environment: string;
  application: string;
  service: string;
}

/** Every container of every Application, with the address a finding needs: the walk most rules share. */
export function allContainers(context: RuleContext): ContainerSite[] {
  return context.renders.flatMap((render) =>
    render.applications.flatMap((app) =>
      containers(app.objects).map((site) => ({
        ...site,
        environment: render.environment.name,
        application: app.application,
        service: app.service,
      })),
    ),
  );
}

/** Runs `visit` for every object of every Application, with the address a finding needs. */
export function eachObject(
  context: RuleContext,
  visit: (object: KubeObject, where: { environment: string; application: string }) => Finding[],
): Finding[] {
  return context.renders.flatMap((render) =>
    render.applications.flatMap((app) =>
      app.objects.flatMap((object) =>
        visit(object, { environment: render.environment.name, application: app.application }),
      ),
    ),
  );
}
