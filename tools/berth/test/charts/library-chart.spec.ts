// The library chart (charts/common), the example charts and cluster-base, rendered by real helm the way Argo CD does.
// Laid out per kind and field, like bjw-s's common chart tests; each assertion is something a user would notice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_APIS, ChartStage, ENVS, find, helm, memoizedRender, one, parseObjects, repo, type Env, type K8sObject } from './harness';
import { join } from 'node:path';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';

const HTTP_SERVICES = ['service-a', 'service-b', 'service-c'] as const;
const SERVICES = [...HTTP_SERVICES, 'postgres'] as const;

let stage: ChartStage;
let work: string;

const envBlock = (env: Env) => stage.envBlock(env);
const valueFiles = (env: Env, service: string) => ['-f', join(repo, `environments/${env}/values.yaml`), '-f', join(repo, `environments/${env}/${service}.yaml`), '-f', envBlock(env)];

/** `helm template` as Argo CD runs it for <env>-<service>, with extra flags appended (later flags win). */
function templateArgs(service: string, env: Env, extra: string[] = [], apis = CLUSTER_APIS): string[] {
  return ['template', stage.chart(service), '--name-template', service, '--namespace', env, '--kube-version', '1.33.0', ...apis, ...valueFiles(env, service), ...extra];
}

const { render, renderError } = memoizedRender(templateArgs);

const workload = (objects: K8sObject[]) => objects.find((object) => object.kind === 'Deployment' || object.kind === 'StatefulSet')!;
const checksum = (objects: K8sObject[]) => workload(objects).spec.template.metadata.annotations['checksum/config'];

beforeAll(() => {
  stage = new ChartStage('berth-charts-', ['cluster-base', ...SERVICES], [...SERVICES]);
  work = stage.work;
});

afterAll(() => stage?.remove());

describe('workload', () => {
  it('kind stateless renders a Deployment and no StatefulSet', () => {
    const objects = render('service-a', 'dev');
    expect(one(objects, 'Deployment', 'service-a').spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'service-a', 'app.kubernetes.io/instance': 'service-a' });
    expect(find(objects, 'StatefulSet')).toHaveLength(0);
  });

  it('kind stateful renders a StatefulSet with a gp3 volumeClaimTemplate, a headless Service and a PDB', () => {
    const objects = render('postgres', 'dev');
    expect(find(objects, 'Deployment')).toHaveLength(0);
    const statefulSet = one(objects, 'StatefulSet', 'postgres');
    expect(statefulSet.spec.serviceName).toBe('postgres-headless');
    expect(statefulSet.spec.volumeClaimTemplates).toEqual([
      expect.objectContaining({ metadata: expect.objectContaining({ name: 'data' }), spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '20Gi' } } } }),
    ]);
    const container = statefulSet.spec.template.spec.containers[0];
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });
    expect(one(objects, 'Service', 'postgres-headless').spec.clusterIP).toBe('None');
    expect(one(objects, 'Service', 'postgres').spec.clusterIP).toBeUndefined();
    expect(one(objects, 'PodDisruptionBudget', 'postgres').spec.selector.matchLabels['app.kubernetes.io/name']).toBe('postgres');
  });

  it('persistence.size follows the environment overlay (prod has the bigger volume)', () => {
    const size = (env: Env) => one(render('postgres', env), 'StatefulSet').spec.volumeClaimTemplates[0].spec.resources.requests.storage;
    expect(size('dev')).toBe('20Gi');
    expect(size('prod')).toBe('100Gi');
  });

  it('replicas come from the environment: 1 in dev, 2 in stage, none in prod where the HPA owns them', () => {
    expect(one(render('service-a', 'dev'), 'Deployment').spec.replicas).toBe(1);
    expect(one(render('service-a', 'stage'), 'Deployment').spec.replicas).toBe(2);
    expect(one(render('service-a', 'prod'), 'Deployment').spec).not.toHaveProperty('replicas');
    // the database overlay keeps one primary and no autoscaler everywhere
    for (const env of ENVS) expect(one(render('postgres', env), 'StatefulSet').spec.replicas).toBe(1);
  });

  it('the image is repository:tag from the overlay, or repository@digest when pinned', () => {
    const image = (objects: K8sObject[]) => workload(objects).spec.template.spec.containers[0].image;
    expect(image(render('service-a', 'dev'))).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-a:1.4.3');
    expect(image(render('service-a', 'prod'))).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-a:1.4.1');
    expect(image(render('postgres', 'stage'))).toBe('public.ecr.aws/docker/library/postgres:16.4');
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(image(render('service-a', 'dev', ['--set', `image.digest=${digest}`]))).toBe(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/service-a@${digest}`);
  });
});

describe('pod hardening', () => {
  it.each(ENVS)('every container of every example service is locked down in %s', (env) => {
    for (const service of SERVICES) {
      const pod = workload(render(service, env)).spec.template.spec;
      expect(pod.securityContext, `${service} pod`).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(pod.automountServiceAccountToken, `${service} token`).toBe(false);
      for (const container of pod.containers) {
        expect(container.securityContext, `${service}/${container.name}`).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          privileged: false,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources.requests, `${service} requests`).toMatchObject({ cpu: expect.anything(), memory: expect.anything() });
        expect(container.livenessProbe, `${service} liveness`).toBeDefined();
        expect(container.readinessProbe, `${service} readiness`).toBeDefined();
      }
    }
  });

  it('each writable path is an emptyDir mount, since the root filesystem is read-only', () => {
    const pod = one(render('postgres', 'dev'), 'StatefulSet').spec.template.spec;
    expect(pod.volumes).toEqual([
      { name: 'writable-tmp', emptyDir: {} },
      { name: 'writable-var-run-postgresql', emptyDir: {} },
    ]);
    expect(pod.containers[0].volumeMounts.map((mount: K8sObject) => mount.mountPath)).toEqual(['/tmp', '/var/run/postgresql', '/var/lib/postgresql/data']);
  });

  it('postgres runs as uid 999 with its own probes, replacing the default httpGet ones whole', () => {
    const pod = one(render('postgres', 'dev'), 'StatefulSet').spec.template.spec;
    expect(pod.securityContext).toMatchObject({ runAsUser: 999, fsGroup: 999 });
    const [container] = pod.containers;
    expect(container.livenessProbe.tcpSocket).toEqual({ port: 'http' });
    expect(container.livenessProbe.httpGet).toBeUndefined();
    expect(container.readinessProbe.exec.command[0]).toBe('pg_isready');
    expect(container.readinessProbe.httpGet).toBeUndefined();
    expect(container.ports).toEqual([{ name: 'http', containerPort: 5432, protocol: 'TCP' }]);
    expect(container.env).toContainEqual({ name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' });
  });

  it('the default startup probe is omitted', () => {
    expect(one(render('service-a', 'dev'), 'Deployment').spec.template.spec.containers[0].startupProbe).toBeUndefined();
  });
});

describe('checksum/config', () => {
  const base = () => checksum(render('service-b', 'dev'));

  it('is a sha256 on the pod template', () => {
    expect(base()).toMatch(/^[a-f0-9]{64}$/);
  });

  it('changes when a config value changes, so the pods roll', () => {
    expect(checksum(render('service-b', 'dev', ['--set', 'config.DB_NAME=orders']))).not.toBe(base());
  });

  it('changes when env or a secret reference changes', () => {
    expect(checksum(render('service-b', 'dev', ['--set', 'env.LOG_LEVEL=debug']))).not.toBe(base());
    const rotated = join(work, 'secrets-v2.yaml');
    writeFileSync(rotated, stringify({ secrets: { items: [{ env: 'DB_USER', key: 'service-b/db-v2', property: 'username' }, { env: 'DB_PASSWORD', key: 'service-b/db-v2', property: 'password' }] } }));
    expect(checksum(render('service-b', 'dev', ['-f', rotated]))).not.toBe(base());
  });

  it('stays put when nothing the pods read changed', () => {
    expect(checksum(render('service-b', 'dev', ['--set', 'replicas=4']))).toBe(base());
  });
});

describe('Service', () => {
  it('exposes service.port on the container port named http', () => {
    const service = one(render('service-a', 'dev'), 'Service', 'service-a');
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }]);
    expect(one(render('postgres', 'dev'), 'Service', 'postgres').spec.ports[0].port).toBe(5432);
  });

  it('service.type NodePort keeps the nodePort', () => {
    const service = one(render('service-a', 'dev', ['--set', 'service.type=NodePort', '--set', 'service.nodePort=30080']), 'Service');
    expect(service.spec).toMatchObject({ type: 'NodePort', ports: [expect.objectContaining({ nodePort: 30080 })] });
  });
});

describe('Ingress', () => {
  const ingress = (service: string, env: Env) => one(render(service, env), 'Ingress', service);
  const groupAnnotations = (service: string, env: Env) => {
    const { 'alb.ingress.kubernetes.io/healthcheck-path': _perService, ...rest } = ingress(service, env).metadata.annotations;
    return rest;
  };

  it.each(ENVS)('carries identical ALB group annotations on service-a, service-b and service-c in %s', (env) => {
    const [first, ...others] = HTTP_SERVICES.map((service) => groupAnnotations(service, env));
    for (const other of others) expect(other).toEqual(first);
    expect(first).toMatchObject({
      'alb.ingress.kubernetes.io/group.name': `berth-${env}`,
      'alb.ingress.kubernetes.io/scheme': 'internet-facing',
      'alb.ingress.kubernetes.io/target-type': 'ip',
      'alb.ingress.kubernetes.io/certificate-arn': expect.stringMatching(/^arn:aws:acm:/),
      'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP":80},{"HTTPS":443}]',
      'alb.ingress.kubernetes.io/ssl-redirect': '443',
      'alb.ingress.kubernetes.io/ssl-policy': 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    });
  });

  it('adds the per-service health-check path and routes host/path to the service', () => {
    const a = ingress('service-a', 'dev');
    expect(a.spec.ingressClassName).toBe('alb');
    expect(a.metadata.annotations['alb.ingress.kubernetes.io/healthcheck-path']).toBe('/healthz');
    const route = (service: string) => {
      const [rule] = ingress(service, 'prod').spec.rules;
      return { host: rule.host, path: rule.http.paths[0].path, backend: rule.http.paths[0].backend.service.name };
    };
    expect(route('service-a')).toEqual({ host: 'api.example.com', path: '/a', backend: 'service-a' });
    expect(route('service-b')).toEqual({ host: 'api.example.com', path: '/b', backend: 'service-b' });
    expect(route('service-c')).toEqual({ host: 'www.example.com', path: '/', backend: 'service-c' });
  });

  it('is absent for postgres', () => {
    expect(find(render('postgres', 'prod'), 'Ingress')).toHaveLength(0);
  });
});

describe('ConfigMap', () => {
  it('holds config as strings and reaches the container through envFrom', () => {
    const objects = render('service-b', 'dev');
    expect(one(objects, 'ConfigMap', 'service-b-config').data).toEqual({ DB_HOST: 'postgres', DB_PORT: '5432', DB_NAME: 'app' });
    expect(one(objects, 'Deployment').spec.template.spec.containers[0].envFrom).toEqual([{ configMapRef: { name: 'service-b-config' } }, { secretRef: { name: 'service-b-secrets' } }]);
  });

  it('is not rendered without config', () => {
    expect(find(render('service-a', 'dev'), 'ConfigMap', 'service-a-config')).toHaveLength(0);
  });
});

describe('ExternalSecret', () => {
  it('reads AWS Secrets Manager through the environment store, prefix + key, into <name>-secrets', () => {
    const secret = one(render('service-b', 'stage'), 'ExternalSecret', 'service-b');
    expect(secret.spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'aws-secrets-manager' });
    expect(secret.spec.target.name).toBe('service-b-secrets');
    expect(secret.spec.data).toEqual([
      { secretKey: 'DB_USER', remoteRef: { key: 'berth/stage/service-b/db', property: 'username' } },
      { secretKey: 'DB_PASSWORD', remoteRef: { key: 'berth/stage/service-b/db', property: 'password' } },
    ]);
    expect(one(render('postgres', 'prod'), 'ExternalSecret').spec.data).toEqual([{ secretKey: 'POSTGRES_PASSWORD', remoteRef: { key: 'berth/prod/postgres/admin', property: 'password' } }]);
  });

  it('uses external-secrets.io/v1 when the cluster serves it, v1beta1 otherwise', () => {
    expect(one(render('service-b', 'dev'), 'ExternalSecret').apiVersion).toBe('external-secrets.io/v1');
    expect(one(render('service-b', 'dev', [], ['--api-versions', 'monitoring.coreos.com/v1']), 'ExternalSecret').apiVersion).toBe('external-secrets.io/v1beta1');
  });

  it('never renders an object of kind Secret, in any chart or environment', () => {
    for (const env of ENVS) for (const service of SERVICES) expect(find(render(service, env), 'Secret'), `${service} in ${env}`).toHaveLength(0);
  });
});

describe('ServiceAccount', () => {
  it('is created without a token, and carries the IRSA role when one is set', () => {
    const plain = one(render('service-a', 'dev'), 'ServiceAccount', 'service-a');
    expect(plain.automountServiceAccountToken).toBe(false);
    expect(plain.metadata.annotations).toBeUndefined();
    const role = 'arn:aws:iam::123456789012:role/service-a';
    expect(one(render('service-a', 'dev', ['--set', `serviceAccount.roleArn=${role}`]), 'ServiceAccount').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': role });
    expect(one(render('service-a', 'dev'), 'Deployment').spec.template.spec.serviceAccountName).toBe('service-a');
  });
});

describe('HorizontalPodAutoscaler', () => {
  it('exists in prod, targeting the Deployment from 3 replicas', () => {
    const hpa = one(render('service-a', 'prod'), 'HorizontalPodAutoscaler', 'service-a');
    expect(hpa.apiVersion).toBe('autoscaling/v2');
    expect(hpa.spec).toMatchObject({ scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'service-a' }, minReplicas: 3 });
  });

  it('is absent where autoscaling is off (dev, and postgres everywhere)', () => {
    expect(find(render('service-a', 'dev'), 'HorizontalPodAutoscaler')).toHaveLength(0);
    expect(find(render('postgres', 'prod'), 'HorizontalPodAutoscaler')).toHaveLength(0);
  });
});

describe('PodDisruptionBudget', () => {
  it('follows pdb.enabled for stateless services (off in dev, on in prod)', () => {
    expect(find(render('service-c', 'dev'), 'PodDisruptionBudget')).toHaveLength(0);
    expect(one(render('service-c', 'prod'), 'PodDisruptionBudget').spec.maxUnavailable).toBe(1);
  });

  it('is always there for a stateful service', () => {
    expect(find(render('postgres', 'dev', ['--set', 'pdb.enabled=false']), 'PodDisruptionBudget')).toHaveLength(1);
  });
});

describe('NetworkPolicy', () => {
  const rules = (objects: K8sObject[]) => one(objects, 'NetworkPolicy').spec.ingress as K8sObject[];

  it('lets only service-b pods reach postgres, plus Prometheus', () => {
    const from = rules(render('postgres', 'dev')).flatMap((rule) => rule.from);
    expect(from).toEqual([
      { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'service-b' } } },
      { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } },
    ]);
  });

  it('admits the VPC CIDR on the http port for a service behind the ALB', () => {
    expect(rules(render('service-a', 'stage'))).toContainEqual({ from: [{ ipBlock: { cidr: '10.20.0.0/16' } }], ports: [{ port: 'http', protocol: 'TCP' }] });
  });

  it('denies all ingress when nothing is allowed', () => {
    const objects = render('service-a', 'dev', ['--set', 'ingress.enabled=false', '--set', 'monitoring.enabled=false']);
    expect(one(objects, 'NetworkPolicy').spec).toMatchObject({ policyTypes: ['Ingress'], ingress: [] });
  });
});

describe('monitoring', () => {
  const MONITORING_KINDS = ['ServiceMonitor', 'PrometheusRule'];

  it('renders a ServiceMonitor, a PrometheusRule with the default alerts and a dashboard when enabled', () => {
    const objects = render('service-a', 'dev');
    expect(one(objects, 'ServiceMonitor').spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
    const alerts = one(objects, 'PrometheusRule').spec.groups[0].rules.map((rule: K8sObject) => rule.alert);
    expect(alerts).toEqual(['ServiceDown', 'ServiceRestartingTooOften']);
    const dashboard = one(objects, 'ConfigMap', 'service-a-dashboard');
    expect(dashboard.metadata.labels.grafana_dashboard).toBe('1');
    const json = JSON.parse(dashboard.data['service-a.json']);
    expect(json).toMatchObject({ title: 'service-a (dev)', panels: expect.any(Array) });
    expect(json.panels.length).toBeGreaterThan(0);
  });

  it('appends monitoring.rules after the default alerts', () => {
    const objects = render('service-a', 'dev', ['--set', 'monitoring.rules[0].alert=SlowRequests', '--set', 'monitoring.rules[0].expr=vector(1)']);
    expect(one(objects, 'PrometheusRule').spec.groups[0].rules.map((rule: K8sObject) => rule.alert)).toEqual(['ServiceDown', 'ServiceRestartingTooOften', 'SlowRequests']);
  });

  it('renders none of them when disabled', () => {
    const objects = render('service-a', 'dev', ['--set', 'monitoring.enabled=false']);
    for (const kind of MONITORING_KINDS) expect(find(objects, kind)).toHaveLength(0);
    expect(find(objects, 'ConfigMap', 'service-a-dashboard')).toHaveLength(0);
  });

  it('scrapes a stateful service once: the headless Service is excluded', () => {
    const selector = one(render('postgres', 'dev'), 'ServiceMonitor').spec.selector;
    expect(selector.matchExpressions).toEqual([{ key: 'berth.dev/headless', operator: 'DoesNotExist' }]);
    expect(one(render('postgres', 'dev'), 'Service', 'postgres-headless').metadata.labels['berth.dev/headless']).toBe('true');
  });
});

describe('labels', () => {
  it('every object carries the recommended labels, version from the image tag', () => {
    for (const object of render('service-a', 'stage')) {
      expect(object.metadata.labels, `${object.kind}/${object.metadata.name}`).toMatchObject({
        'app.kubernetes.io/name': 'service-a',
        'app.kubernetes.io/instance': 'service-a',
        'app.kubernetes.io/version': '1.4.2',
        'app.kubernetes.io/component': 'server',
        'app.kubernetes.io/part-of': 'berth',
        'app.kubernetes.io/managed-by': 'Helm',
      });
    }
    expect(one(render('postgres', 'dev'), 'StatefulSet').metadata.labels['app.kubernetes.io/component']).toBe('database');
  });

  it('sanitises a tag into a valid label value', () => {
    const version = one(render('service-a', 'dev', ['--set-string', 'image.tag=_1.0.0-rc.1-']), 'Deployment').metadata.labels['app.kubernetes.io/version'];
    expect(version).toBe('1.0.0-rc.1');
  });
});

describe('failures name the value and the file to fix', () => {
  it('an empty image.tag names the environment overlay', () => {
    const overlay = join(work, 'empty-tag.yaml');
    writeFileSync(overlay, 'image:\n  tag: ""\n');
    expect(renderError('service-a', 'dev', ['-f', overlay])).toContain('image.tag is empty: set it in environments/dev/service-a.yaml');
    expect(renderError('postgres', 'prod', ['-f', overlay])).toContain('environments/prod/postgres.yaml');
  });

  it('an empty image.repository names the chart values file', () => {
    expect(renderError('service-c', 'dev', ['--set', 'image.repository='])).toContain('image.repository is empty: set it in charts/service-c/values.yaml');
  });

  it('a missing environment: block says where it comes from', () => {
    let message = '';
    try {
      helm(['template', join(work, 'charts', 'service-a'), '-f', join(repo, 'environments/dev/service-a.yaml')]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('environment.name is empty');
    expect(message).toContain('env.yaml');
  });
});

describe('values.schema.json', () => {
  it.each([
    ['a kind other than stateless|stateful', ['--set', 'kind=stateles'], '/kind'],
    ['a containerPort above 65535', ['--set', 'containerPort=70000'], '/containerPort'],
    ['a containerPort of 0', ['--set', 'containerPort=0'], '/containerPort'],
    ['an unknown service.type', ['--set', 'service.type=ExternalName'], '/service/type'],
    ['a persistence.size that is not a quantity', ['--set', 'persistence.size=20GB'], '/persistence/size'],
    ['an image.tag that is not an OCI tag', ['--set-string', 'image.tag=-latest'], '/image/tag'],
    ['a digest that is not sha256', ['--set', 'image.digest=sha256:abc'], '/image/digest'],
    ['a missing image.repository', ['--set', 'image.repository=null'], 'repository'],
    ['a typo in a top-level key', ['--set', 'replica=2'], 'replica'],
    ['a typo inside a block', ['--set', 'ingress.hots=api'], 'hots'],
  ])('rejects %s', (_what, flags, where) => {
    const message = renderError('service-a', 'dev', flags);
    expect(message).toMatch(/schema/);
    expect(message).toContain(where);
  });

  it('accepts helm globals and the umbrella condition', () => {
    expect(find(render('service-a', 'dev', ['--set', 'global.team=web', '--set', 'enabled=true']), 'Deployment')).toHaveLength(1);
  });

  it('each example chart carries the library schema (berth copies it, nx sync keeps it current)', () => {
    const { $comment: _library, ...library } = JSON.parse(readFileSync(join(repo, 'charts/common/values.schema.json'), 'utf8'));
    for (const service of SERVICES) {
      const { $comment: _copy, ...copy } = JSON.parse(readFileSync(join(repo, `charts/${service}/values.schema.json`), 'utf8'));
      expect(copy, service).toEqual(library);
    }
  });
});

describe('rendering constraint', () => {
  it('no template reads .Release.Name, .Template.Name or .Template.BasePath', () => {
    const templateDirs = ['common', 'cluster-base', ...SERVICES].map((chart) => join(repo, 'charts', chart, 'templates'));
    const offenders = templateDirs.flatMap((dir) =>
      readdirSync(dir)
        .filter((file) => /\.(tpl|yaml|txt)$/.test(file))
        .filter((file) => /\.Release\.Name\b|\.Template\.(Name|BasePath)\b/.test(readFileSync(join(dir, file), 'utf8')))
        .map((file) => join(dir, file)),
    );
    expect(offenders).toEqual([]);
  });

  it('a release named unlike its chart renders the same objects', () => {
    const asChart = render('service-b', 'dev');
    const renamed = parseObjects(helm(templateArgs('service-b', 'dev').map((arg, index, all) => (all[index - 1] === '--name-template' ? 'berth-batch' : arg))));
    expect(renamed).toEqual(asChart);
  });
});

describe('helm lint --strict', () => {
  it('passes for the library chart', () => {
    expect(helm(['lint', '--strict', join(work, 'charts', 'common')])).toMatch(/0 chart\(s\) failed/);
  });

  it.each(ENVS)('passes for cluster-base and every example chart with the %s values', (env) => {
    expect(helm(['lint', '--strict', join(work, 'charts', 'cluster-base'), '-f', envBlock(env)])).toMatch(/0 chart\(s\) failed/);
    for (const service of SERVICES) expect(helm(['lint', '--strict', join(work, 'charts', service), ...valueFiles(env, service)]), service).toMatch(/0 chart\(s\) failed/);
  });
});

describe('cluster-base', () => {
  const renderBase = (env: Env, apis = CLUSTER_APIS) =>
    parseObjects(helm(['template', join(work, 'charts', 'cluster-base'), '--name-template', 'cluster-base', '--namespace', env, '--kube-version', '1.33.0', ...apis, '-f', envBlock(env)]));

  it('renders the namespace with Pod Security restricted, pinned to the cluster version', () => {
    const namespace = one(renderBase('stage'), 'Namespace', 'stage');
    for (const mode of ['enforce', 'audit', 'warn']) {
      expect(namespace.metadata.labels[`pod-security.kubernetes.io/${mode}`]).toBe('restricted');
      expect(namespace.metadata.labels[`pod-security.kubernetes.io/${mode}-version`]).toBe('v1.33');
    }
  });

  it('renders the encrypted gp3 StorageClass the StatefulSets claim from', () => {
    const storageClass = one(renderBase('dev'), 'StorageClass', 'gp3');
    expect(storageClass).toMatchObject({
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true' },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
    });
    expect(storageClass.parameters.kmsKeyId).toBeUndefined();
  });

  it('renders the SecretStore every ExternalSecret names, authenticated through an IRSA ServiceAccount', () => {
    const objects = renderBase('prod');
    const store = one(objects, 'SecretStore', 'aws-secrets-manager');
    expect(store.apiVersion).toBe('external-secrets.io/v1');
    expect(store.metadata.namespace).toBe('prod');
    expect(store.spec.provider.aws).toEqual({ service: 'SecretsManager', region: 'eu-west-1', auth: { jwt: { serviceAccountRef: { name: 'external-secrets' } } } });
    expect(one(objects, 'ServiceAccount', 'external-secrets').metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/berth-prod-external-secrets' });
    expect(one(renderBase('prod', []), 'SecretStore').apiVersion).toBe('external-secrets.io/v1beta1');
    expect(find(objects, 'Secret')).toHaveLength(0);
  });
});
