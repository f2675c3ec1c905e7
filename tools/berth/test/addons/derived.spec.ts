// What nx sync derives for add-ons: their Applications (https chart and native OCI sources, environment values, IAM),
// the <env>-addons AppProject, sync waves before cluster-base and the services, and EKS Auto Mode.
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { derivedFiles } from '../../src/argocd/derived';
import { syncWaves } from '../../src/argocd/waves';
import { diskFiles } from '../../src/workspace/files';
import { loadWorkspace } from '../../src/workspace/load';
import { repo } from '../cli/workspace';
import { example, replaceLine } from './support';

type Manifest = Record<string, any>;

function derive(files = diskFiles(repo)) {
  const derived = derivedFiles(files, loadWorkspace(files));
  const application = (env: string, app: string): Manifest | undefined => {
    const text = derived.get(`argocd/apps/${env}/${app}.yaml`);
    return text === undefined ? undefined : parse(text);
  };
  const projects = (env: string): Manifest[] =>
    parseAllDocuments(derived.get(`argocd/projects/${env}.yaml`)!).map((document) => document.toJS());
  return { derived, application, projects };
}

const wave = (application: Manifest | undefined) =>
  Number(application?.metadata.annotations['argocd.argoproj.io/sync-wave']);

describe('the Application of an add-on', () => {
  it('names an https chart by repoURL and chart, at the overlay version, with the overlay as its value file', () => {
    const app = derive().application('dev', 'aws-load-balancer-controller')!;
    expect(app.metadata.labels).toEqual({
      'berth.dev/environment': 'dev',
      'berth.dev/service': 'aws-load-balancer-controller',
      'berth.dev/kind': 'addon',
    });
    expect(app.spec.project).toBe('dev-addons');
    expect(app.spec.destination).toEqual({
      server: 'https://dev.eks.eu-west-1.example.internal',
      namespace: 'kube-system',
    });
    const [chart, values] = app.spec.sources;
    expect(chart).toMatchObject({
      repoURL: 'https://aws.github.io/eks-charts',
      chart: 'aws-load-balancer-controller',
      targetRevision: '3.5.0',
      helm: {
        releaseName: 'aws-load-balancer-controller',
        valueFiles: ['$values/environments/dev/aws-load-balancer-controller.yaml'],
        kubeVersion: '1.36.0',
      },
    });
    expect(chart.path).toBeUndefined();
    expect(values).toEqual({
      repoURL: 'https://github.com/acme/platform-gitops.git',
      targetRevision: 'main',
      ref: 'values',
    });
    // env.yaml's facts, the role as an IRSA annotation
    expect(chart.helm.valuesObject).toEqual({
      clusterName: 'berth-dev',
      region: 'eu-west-1',
      vpcId: 'vpc-0a1b2c3d4e5f60001',
      serviceAccount: {
        annotations: {
          'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/berth-dev-aws-load-balancer-controller',
        },
      },
    });
    expect(app.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'PruneLast=true']);
  });

  it("uses Argo CD's native OCI source for an oci:// chart: the chart's reference as repoURL and path .", () => {
    const app = derive().application('prod', 'kube-prometheus-stack')!;
    const [chart] = app.spec.sources;
    expect(chart).toMatchObject({
      repoURL: 'oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack',
      targetRevision: '92.1.0',
      path: '.',
    });
    expect(chart.chart).toBeUndefined();
    // its CRDs are too large for client-side apply
    expect(app.spec.syncPolicy.syncOptions).toEqual(['CreateNamespace=true', 'ServerSideApply=true', 'PruneLast=true']);
  });

  it('gives no role annotation under EKS Pod Identity: the association carries the role', () => {
    const { application } = derive();
    expect(application('prod', 'aws-ebs-csi-driver')!.spec.sources[0].helm.valuesObject).toEqual({
      controller: { region: 'eu-west-1' },
    });
    expect(application('stage', 'aws-ebs-csi-driver')!.spec.sources[0].helm.valuesObject).toEqual({
      controller: {
        region: 'eu-west-1',
        serviceAccount: {
          annotations: {
            'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/berth-stage-aws-ebs-csi-driver',
          },
        },
      },
    });
  });

  it("takes its targetRevision from the overlay's berth.chartVersion and nowhere else", () => {
    const files = example({
      'environments/stage/metrics-server.yaml': replaceLine(/chartVersion: "3.14.0"/, 'chartVersion: "3.13.1"'),
    });
    const { application } = derive(files);
    expect(application('stage', 'metrics-server')!.spec.sources[0].targetRevision).toBe('3.13.1');
    expect(application('dev', 'metrics-server')!.spec.sources[0].targetRevision).toBe('3.14.0');
  });

  it('refuses an overlay without berth.chartVersion, naming the file and the fix', () => {
    const files = example({ 'environments/stage/metrics-server.yaml': 'replicas: 2\n' });
    expect(() => derive(files)).toThrow(
      expect.objectContaining({ file: 'environments/stage/metrics-server.yaml', field: 'berth.chartVersion' }),
    );
  });

  it("is served: every Application of the environment gets the add-ons' API versions", () => {
    const { application } = derive();
    for (const app of ['service-a', 'cluster-base', 'kube-prometheus-stack']) {
      const apiVersions: string[] = (application('dev', app)!.spec.sources ?? [application('dev', app)!.spec.source])[0]
        .helm.apiVersions;
      expect(apiVersions).toEqual(
        expect.arrayContaining([
          'v1',
          'apps/v1',
          'monitoring.coreos.com/v1',
          'external-secrets.io/v1',
          'elbv2.k8s.aws/v1beta1',
          'monitoring.coreos.com/v1/ServiceMonitor',
        ]),
      );
    }
  });

  it('is never a subchart of charts/platform, and has no schema copy', () => {
    const { derived } = derive();
    const umbrella = parse(derived.get('charts/platform/Chart.yaml')!);
    expect(umbrella.dependencies.map((dependency: { name: string }) => dependency.name)).toEqual([
      'berth-image-updater',
      'postgres',
      'service-a',
      'service-b',
      'service-c',
      'common',
    ]);
    expect(Object.keys(parse(derived.get('charts/platform/values.yaml')!))).not.toContain('kube-prometheus-stack');
    expect([...derived.keys()].filter((path) => path.startsWith('charts/kube-prometheus-stack'))).toEqual([]);
  });
});

describe('the <env>-addons AppProject', () => {
  it('permits exactly the kinds the add-ons declare, their namespaces and their chart repositories', () => {
    const project = derive()
      .projects('dev')
      .find((candidate) => candidate.metadata.name === 'dev-addons')!;
    expect(project.metadata.name).toBe('dev-addons');
    expect(project.spec.sourceRepos).toEqual([
      'https://aws.github.io/eks-charts',
      'https://charts.external-secrets.io',
      'https://kubernetes-sigs.github.io/aws-ebs-csi-driver',
      'https://kubernetes-sigs.github.io/metrics-server',
      'oci://ghcr.io/prometheus-community/charts/kube-prometheus-stack',
      'https://github.com/acme/platform-gitops.git',
    ]);
    expect(project.spec.destinations.map((destination: { namespace: string }) => destination.namespace)).toEqual([
      'external-secrets',
      'kube-system',
      'monitoring',
    ]);
    const workspace = loadWorkspace(diskFiles(repo));
    const declared = (field: 'clusterKinds' | 'namespacedKinds') =>
      new Set(workspace.services.flatMap((service) => service.addon?.[field] ?? []));
    const listed = (entries: { group: string; kind: string }[]) =>
      new Set(entries.map((entry) => `${entry.group}/${entry.kind}`));
    // Namespace because Argo CD creates each add-on's namespace (CreateNamespace=true)
    expect(listed(project.spec.clusterResourceWhitelist)).toEqual(new Set([...declared('clusterKinds'), '/Namespace']));
    expect(listed(project.spec.namespaceResourceWhitelist)).toEqual(declared('namespacedKinds'));
    // the services' project is unchanged: no add-on namespace, no cluster kind
    const services = derive()
      .projects('dev')
      .find((candidate) => candidate.metadata.name === 'dev')!;
    expect(services.spec.clusterResourceWhitelist).toEqual([]);
    expect(services.spec.destinations).toEqual([
      { server: 'https://dev.eks.eu-west-1.example.internal', namespace: 'dev' },
    ]);
  });
});

describe('sync waves', () => {
  it('puts add-ons before cluster-base (0) and every service (>= 1)', () => {
    const { application } = derive();
    for (const addon of [
      'aws-load-balancer-controller',
      'aws-ebs-csi-driver',
      'external-secrets',
      'kube-prometheus-stack',
      'metrics-server',
    ])
      expect(wave(application('dev', addon))).toBe(-1);
    expect(wave(application('dev', 'cluster-base'))).toBe(0);
    expect(wave(application('dev', 'service-a'))).toBe(1);
    expect(wave(application('dev', 'service-b'))).toBe(2);
  });

  it('orders add-ons by their dependencies among add-ons, the deepest just before cluster-base', () => {
    const files = example({
      'apps/kube-prometheus-stack/app.yaml': replaceLine(/dependsOn: \[\]/, 'dependsOn: [external-secrets]'),
      'apps/external-secrets/app.yaml': replaceLine(/dependsOn: \[\]/, 'dependsOn: [aws-load-balancer-controller]'),
      'apps/service-a/app.yaml': replaceLine(/dependsOn: \[\]/, 'dependsOn: [kube-prometheus-stack]'),
    });
    const waves = syncWaves(loadWorkspace(files).services);
    expect(waves.get('aws-load-balancer-controller')).toBe(-3);
    expect(waves.get('metrics-server')).toBe(-3);
    expect(waves.get('external-secrets')).toBe(-2);
    expect(waves.get('kube-prometheus-stack')).toBe(-1);
    // a service that depends on an add-on still comes after cluster-base
    expect(waves.get('service-a')).toBe(1);
  });
});

describe('EKS Auto Mode', () => {
  const autoStage = example({ 'environments/stage/env.yaml': replaceLine(/autoMode: false/, 'autoMode: true') });

  it('leaves out what Auto Mode provides there, and nowhere else', () => {
    const { derived, application, projects } = derive(autoStage);
    expect(application('stage', 'aws-load-balancer-controller')).toBeUndefined();
    expect(application('stage', 'aws-ebs-csi-driver')).toBeUndefined();
    expect(application('stage', 'kube-prometheus-stack')).toBeDefined();
    expect(application('dev', 'aws-load-balancer-controller')).toBeDefined();
    const project = projects('stage').find((candidate) => candidate.metadata.name === 'stage-addons')!;
    expect(project.spec.sourceRepos).not.toContain('https://aws.github.io/eks-charts');
    expect(project.spec.clusterResourceWhitelist).not.toContainEqual({ group: 'storage.k8s.io', kind: 'CSIDriver' });
    const stageApps = (files: Map<string, string>) =>
      [...files.keys()].filter((path) => path.startsWith('argocd/apps/stage/'));
    expect(stageApps(derived)).toEqual(
      stageApps(derive().derived).filter((path) => !/aws-(load-balancer-controller|ebs-csi-driver)/.test(path)),
    );
  });

  it("makes cluster-base's gp3 StorageClass use Auto Mode's EBS provisioner", () => {
    const { application } = derive(autoStage);
    expect(application('stage', 'cluster-base')!.spec.source.helm.valuesObject.storageClass).toEqual({
      provisioner: 'ebs.csi.eks.amazonaws.com',
    });
    expect(application('dev', 'cluster-base')!.spec.source.helm.valuesObject.storageClass).toEqual({
      provisioner: 'ebs.csi.aws.com',
    });
  });
});
