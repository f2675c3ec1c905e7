// kind: scheduled in the library chart (a CronJob), and the berth-image-updater chart built on it, rendered by real helm
// the way Argo CD does (same staging as library-chart.spec.ts: charts copied to a scratch directory, dependencies built).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLUSTER_APIS, ChartStage, ENVS, find, helm, memoizedRender, one, repo, type Env, type K8sObject } from './harness';

const CHARTS = ['service-a', 'service-b', 'berth-image-updater'] as const;
const UPDATER = 'berth-image-updater';
// what a stateless service keeps away from a CronJob
const NOT_FOR_SCHEDULED = ['Service', 'Ingress', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'Deployment', 'StatefulSet', 'ServiceMonitor', 'PrometheusRule'];

let stage: ChartStage;
let work: string;
const envBlock = (env: Env) => stage.envBlock(env);
const valuesFile = (name: string, values: Record<string, unknown>) => stage.valuesFile(name, values);

/**
 * `helm template` as Argo CD runs it for <env>-<chart>: the environment's values, then the chart's overlay (the
 * updater has one in dev only, so another environment borrows it to show that environment's values), then the
 * environment: block; extra flags come last and win.
 */
function templateArgs(chart: string, env: Env, extra: string[] = []): string[] {
  const overlay = existsSync(join(repo, `environments/${env}/${chart}.yaml`)) ? join(repo, `environments/${env}/${chart}.yaml`) : join(repo, `environments/dev/${chart}.yaml`);
  return ['template', stage.chart(chart), '--name-template', chart, '--namespace', env, '--kube-version', '1.33.0', ...CLUSTER_APIS,
    '-f', join(repo, `environments/${env}/values.yaml`), '-f', overlay, '-f', envBlock(env), ...extra];
}

const { render, renderError } = memoizedRender(templateArgs);

const podOf = (cronJob: K8sObject) => cronJob.spec.jobTemplate.spec.template;

// service-a and service-b turned into scheduled services: every library feature of a real chart, on a CronJob
const NIGHTLY = ['--set', 'kind=scheduled', '--set-string', 'schedule=0 3 * * *', '--set', 'ingress.enabled=false'];

beforeAll(() => {
  stage = new ChartStage('berth-scheduled-', [...CHARTS], [...CHARTS]);
  work = stage.work;
});

afterAll(() => stage?.remove());

describe('kind scheduled (library chart)', () => {
  it('renders a batch/v1 CronJob on the schedule, concurrencyPolicy Forbid by default, and no Deployment', () => {
    const objects = render('service-a', 'dev', NIGHTLY);
    const cronJob = one(objects, 'CronJob', 'service-a');
    expect(cronJob.apiVersion).toBe('batch/v1');
    expect(cronJob.spec).toMatchObject({ schedule: '0 3 * * *', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(cronJob.spec.jobTemplate.spec.backoffLimit).toBe(6);
    // null defaults are left out, so Kubernetes' own behaviour applies
    expect(cronJob.spec).not.toHaveProperty('startingDeadlineSeconds');
    expect(cronJob.spec.jobTemplate.spec).not.toHaveProperty('activeDeadlineSeconds');
    expect(cronJob.metadata.labels['app.kubernetes.io/component']).toBe('job');
    expect(podOf(cronJob).metadata.labels).toMatchObject({ 'app.kubernetes.io/name': 'service-a', 'app.kubernetes.io/instance': 'service-a' });
  });

  it.each(ENVS)('renders no Service, Ingress, HPA, PDB or monitoring objects in %s, whatever the environment turns on', (env) => {
    // prod's values.yaml enables autoscaling and pdb for every service; service-a enables monitoring
    const objects = render('service-a', env, NIGHTLY);
    for (const kind of NOT_FOR_SCHEDULED) expect(find(objects, kind), kind).toHaveLength(0);
    expect(find(objects, 'ConfigMap', 'service-a-dashboard')).toHaveLength(0);
    expect(find(objects, 'CronJob')).toHaveLength(1);
  });

  it('sets the job fields from the values', () => {
    const objects = render('service-a', 'dev', [...NIGHTLY, ...valuesFile('job-fields', {
      concurrencyPolicy: 'Replace', startingDeadlineSeconds: 60, activeDeadlineSeconds: 600, backoffLimit: 0, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 5,
    })]);
    const cronJob = one(objects, 'CronJob');
    expect(cronJob.spec).toMatchObject({ concurrencyPolicy: 'Replace', startingDeadlineSeconds: 60, successfulJobsHistoryLimit: 1, failedJobsHistoryLimit: 5 });
    expect(cronJob.spec.jobTemplate.spec).toMatchObject({ activeDeadlineSeconds: 600, backoffLimit: 0 });
  });

  it('runs the shared hardened pod: security context, resources, restartPolicy OnFailure and no probes', () => {
    const pod = podOf(one(render('service-a', 'prod', NIGHTLY), 'CronJob')).spec;
    expect(pod.restartPolicy).toBe('OnFailure');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('service-a');
    const [container] = pod.containers;
    expect(container.securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, privileged: false, capabilities: { drop: ['ALL'] } });
    expect(container.resources).toEqual({ requests: { cpu: '200m', memory: '256Mi' }, limits: { memory: '512Mi' } });
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) expect(container[probe], probe).toBeUndefined();
    expect(pod.volumes).toEqual([{ name: 'writable-tmp', emptyDir: {} }]);
    expect(container.volumeMounts).toEqual([{ name: 'writable-tmp', mountPath: '/tmp' }]);
  });

  it('keeps a probe a service set to itself out of the CronJob as well', () => {
    const pod = podOf(one(render('service-a', 'dev', [...NIGHTLY, '--set', 'probes.startup.tcpSocket.port=http']), 'CronJob')).spec;
    expect(pod.containers[0].startupProbe).toBeUndefined();
  });

  it('reads config and secrets through envFrom, and carries the checksum annotation that follows them', () => {
    const objects = render('service-b', 'dev', NIGHTLY);
    const template = podOf(one(objects, 'CronJob', 'service-b'));
    expect(template.spec.containers[0].envFrom).toEqual([{ configMapRef: { name: 'service-b-config' } }, { secretRef: { name: 'service-b-secrets' } }]);
    expect(one(objects, 'ExternalSecret', 'service-b').spec.target.name).toBe('service-b-secrets');
    const checksum = template.metadata.annotations['checksum/config'];
    expect(checksum).toMatch(/^[a-f0-9]{64}$/);
    expect(podOf(one(render('service-b', 'dev', [...NIGHTLY, '--set', 'config.DB_NAME=orders']), 'CronJob')).metadata.annotations['checksum/config']).not.toBe(checksum);
  });

  it('still gets a NetworkPolicy: nothing may connect, or only the pods allowFrom names', () => {
    const closed = one(render('service-a', 'dev', NIGHTLY), 'NetworkPolicy', 'service-a');
    // service-a has monitoring on, but a scheduled service is not scraped, so Prometheus is not let in either
    expect(closed.spec).toMatchObject({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'service-a' } }, policyTypes: ['Ingress'], ingress: [] });
    const open = one(render('service-a', 'dev', [...NIGHTLY, '--set', 'networkPolicy.allowFrom[0]=service-c']), 'NetworkPolicy');
    expect(open.spec.ingress).toEqual([{ from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'service-c' } } }], ports: [{ port: 'http', protocol: 'TCP' }] }]);
  });

  it('fails on ingress.enabled, naming the chart values file', () => {
    const message = renderError('service-a', 'dev', ['--set', 'kind=scheduled', '--set-string', 'schedule=@daily']);
    expect(message).toContain('ingress.enabled is true but service-a is kind scheduled');
    expect(message).toContain('charts/service-a/values.yaml');
  });

  it('leaves stateless and stateful services as they were', () => {
    expect(one(render('service-a', 'prod'), 'Deployment').spec.template.spec.restartPolicy).toBeUndefined();
    expect(find(render('service-a', 'prod'), 'CronJob')).toHaveLength(0);
    expect(one(render('service-a', 'prod'), 'Deployment').metadata.labels['app.kubernetes.io/component']).toBe('server');
  });
});

describe('values.schema.json and kind scheduled', () => {
  it.each([
    ['kind scheduled without a schedule', ['--set', 'kind=scheduled', '--set', 'ingress.enabled=false'], 'schedule'],
    ['kind scheduled with an empty schedule', ['--set', 'kind=scheduled', '--set', 'ingress.enabled=false', '--set', 'schedule='], '/schedule'],
    ['a schedule with seconds (6 fields)', [...NIGHTLY, '--set-string', 'schedule=0 */5 * * * *'], '/schedule'],
    ['an unknown concurrencyPolicy', [...NIGHTLY, '--set', 'concurrencyPolicy=Never'], '/concurrencyPolicy'],
    ['a negative backoffLimit', [...NIGHTLY, '--set', 'backoffLimit=-1'], '/backoffLimit'],
    ['an activeDeadlineSeconds of 0', [...NIGHTLY, '--set', 'activeDeadlineSeconds=0'], '/activeDeadlineSeconds'],
  ])('rejects %s', (_what, flags, where) => {
    const message = renderError('service-a', 'dev', flags);
    expect(message).toMatch(/schema/);
    expect(message).toContain(where);
  });

  it('accepts the cron macros', () => {
    expect(one(render('service-a', 'dev', ['--set', 'kind=scheduled', '--set', 'ingress.enabled=false', '--set', 'schedule=@hourly']), 'CronJob').spec.schedule).toBe('@hourly');
  });

  it('berth-image-updater carries the library schema (nx sync keeps it current)', () => {
    const { $comment: _library, ...library } = JSON.parse(readFileSync(join(repo, 'charts/common/values.schema.json'), 'utf8'));
    const { $comment: _copy, ...copy } = JSON.parse(readFileSync(join(repo, `charts/${UPDATER}/values.schema.json`), 'utf8'));
    expect(copy).toEqual(library);
  });
});

describe('charts/berth-image-updater', () => {
  const objects = () => render(UPDATER, 'dev');
  const cronJob = () => one(objects(), 'CronJob', UPDATER);
  const container = () => podOf(cronJob()).spec.containers[0];
  const env = () => Object.fromEntries((container().env as K8sObject[]).map((variable) => [variable.name, variable.value]));

  it('is a CronJob every five minutes that never overlaps itself and never outlives its slot', () => {
    const job = cronJob();
    expect(job.spec).toMatchObject({ schedule: '*/5 * * * *', concurrencyPolicy: 'Forbid', startingDeadlineSeconds: 120 });
    expect(job.spec.jobTemplate.spec.activeDeadlineSeconds).toBeLessThan(300);
    expect(container().image).toBe('123456789012.dkr.ecr.eu-west-1.amazonaws.com/berth:0.1.0');
    expect(objects().map((object) => object.kind).sort()).toEqual(['CronJob', 'ExternalSecret', 'NetworkPolicy', 'ServiceAccount']);
  });

  it('reads GIT_TOKEN from AWS Secrets Manager through an ExternalSecret, and never renders a Secret', () => {
    const secret = one(objects(), 'ExternalSecret', UPDATER);
    expect(secret.spec.secretStoreRef).toEqual({ kind: 'SecretStore', name: 'aws-secrets-manager' });
    expect(secret.spec.target.name).toBe(`${UPDATER}-secrets`);
    expect(secret.spec.data).toEqual([{ secretKey: 'GIT_TOKEN', remoteRef: { key: 'berth/dev/berth-image-updater/git', property: 'token' } }]);
    expect(container().envFrom).toEqual([{ secretRef: { name: `${UPDATER}-secrets` } }]);
    expect(find(objects(), 'Secret')).toHaveLength(0);
    expect(env()).not.toHaveProperty('GIT_TOKEN');
    // the token appears only as a shell reference, filled in at run time
    expect(JSON.stringify(objects())).not.toMatch(/x-access-token:(?!\$\{GIT_TOKEN\}@)/);
  });

  it('runs as a ServiceAccount with the IRSA role, without the Kubernetes API token', () => {
    const account = one(objects(), 'ServiceAccount', UPDATER);
    expect(account.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/berth-image-updater' });
    // the pod identity webhook projects its own token for IRSA; the API token stays unmounted
    expect(account.automountServiceAccountToken).toBe(false);
    const pod = podOf(cronJob()).spec;
    expect(pod.serviceAccountName).toBe(UPDATER);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('is hardened, writes only to emptyDirs, and nothing may connect to it', () => {
    const pod = podOf(cronJob()).spec;
    expect(pod.restartPolicy).toBe('OnFailure');
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container().securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(container().livenessProbe).toBeUndefined();
    expect(container().readinessProbe).toBeUndefined();
    expect(container().resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(container().volumeMounts.map((mount: K8sObject) => mount.mountPath)).toEqual(['/tmp', '/opt/berth/node_modules/.cache']);
    expect(pod.volumes.every((volume: K8sObject) => 'emptyDir' in volume)).toBe(true);
    expect(env().HOME).toBe('/tmp');
    expect(one(objects(), 'NetworkPolicy', UPDATER).spec.ingress).toEqual([]);
  });

  it('clones the repository Argo CD follows (berth.yaml repoURL)', () => {
    expect(env().GITOPS_REPOSITORY).toBe(parse(readFileSync(join(repo, 'berth.yaml'), 'utf8')).repoURL);
  });

  describe('its script', () => {
    let sandbox: string;
    let log: string;
    const script = () => container().command as string[];

    /** Runs the container's command with stand-ins for git and node that record how they were called. */
    function runScript(extraEnv: Record<string, string>) {
      const [shell, flag, text] = script();
      const result = spawnSync(shell, [flag, text], {
        encoding: 'utf8',
        env: { PATH: `${join(sandbox, 'bin')}:/usr/bin:/bin`, TMPDIR: join(sandbox, 'tmp'), LOG: log, HOME: join(sandbox, 'tmp'), ...extraEnv },
      });
      return { ...result, calls: existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [] };
    }

    beforeAll(() => {
      sandbox = mkdtempSync(join(work, 'script-'));
      log = join(sandbox, 'calls.log');
      mkdirSync(join(sandbox, 'bin'));
      mkdirSync(join(sandbox, 'tmp'));
      const stub = (name: string, body: string) => {
        writeFileSync(join(sandbox, 'bin', name), `#!/bin/sh\n${body}\n`);
        chmodSync(join(sandbox, 'bin', name), 0o755);
      };
      // git clone creates its target, the last argument
      stub('git', 'echo "git $*" >> "$LOG"\nif [ "$1" = clone ]; then for target; do :; done; mkdir -p "$target"; fi');
      stub('node', 'echo "node $* (in $(pwd))" >> "$LOG"');
    });

    it('is /bin/sh -c', () => {
      expect(script().slice(0, 2)).toEqual(['/bin/sh', '-c']);
    });

    it('clones with the token put into the repository URL, then runs berth image-update --push in the clone', () => {
      rmSync(log, { force: true });
      // a leftover clone from a failed attempt (restartPolicy OnFailure keeps /tmp) is replaced
      mkdirSync(join(sandbox, 'tmp', 'repo', 'stale'), { recursive: true });
      const run = runScript({ GITOPS_REPOSITORY: 'https://github.com/acme/platform-gitops.git', GIT_TOKEN: 'tok3n' });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const clone = join(sandbox, 'tmp', 'repo');
      expect(run.calls).toEqual([
        `git clone --quiet --depth 50 https://x-access-token:tok3n@github.com/acme/platform-gitops.git ${clone}`,
        'git config user.name berth-image-updater',
        'git config user.email berth-image-updater@users.noreply.github.com',
        `node /opt/berth/tools/berth/bin/berth.js image-update --push (in ${clone})`,
      ]);
      expect(readdirSync(clone)).toEqual([]);
    });

    it('stops before git when the token is missing or the repository is not https', () => {
      rmSync(log, { force: true });
      const noToken = runScript({ GITOPS_REPOSITORY: 'https://github.com/acme/platform-gitops.git' });
      expect(noToken.status).not.toBe(0);
      expect(noToken.stderr).toContain('GIT_TOKEN');
      const ssh = runScript({ GITOPS_REPOSITORY: 'git@github.com:acme/platform-gitops.git', GIT_TOKEN: 'tok3n' });
      expect(ssh.status).toBe(2);
      expect(ssh.stderr).toContain('GITOPS_REPOSITORY must be an https:// URL');
      expect(noToken.calls.concat(ssh.calls).filter((call) => call.startsWith('git clone'))).toEqual([]);
    });
  });

  it('is deployed by Argo CD in dev only, from its own chart', () => {
    const application = parse(readFileSync(join(repo, `argocd/apps/dev/${UPDATER}.yaml`), 'utf8'));
    expect(application.spec.sources[0]).toMatchObject({ path: `charts/${UPDATER}`, helm: { releaseName: UPDATER, valueFiles: ['$values/environments/dev/values.yaml', `$values/environments/dev/${UPDATER}.yaml`] } });
    for (const env of ['stage', 'prod']) expect(existsSync(join(repo, `argocd/apps/${env}/${UPDATER}.yaml`)), env).toBe(false);
  });

  it('passes helm lint --strict with the dev values', () => {
    const args = ['-f', join(repo, 'environments/dev/values.yaml'), '-f', join(repo, `environments/dev/${UPDATER}.yaml`), '-f', envBlock('dev')];
    expect(helm(['lint', '--strict', join(work, 'charts', UPDATER), ...args])).toMatch(/0 chart\(s\) failed/);
  });

  it('reads no .Release.Name or .Template.* in its templates', () => {
    const dir = join(repo, 'charts', UPDATER, 'templates');
    for (const file of readdirSync(dir)) expect(readFileSync(join(dir, file), 'utf8'), file).not.toMatch(/\.Release\.Name\b|\.Template\.(Name|BasePath)\b/);
  });
});
