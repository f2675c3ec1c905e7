// Hostile policy input: pods that escape their sandbox, reach into other environments or accounts, or carry secrets; each refused by name.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import { normalizeNewOptions } from '../../src/new/options';
import { syncGenerator } from '../../src/nx/sync/generator';
import type { KubeObject } from '../../src/validate/context';
import { formatFinding, type Finding } from '../../src/validate/finding';
import { RULES } from '../../src/validate/rules';
import { berthAsync, copyExample } from '../cli/workspace';
import { exampleTree, snapshot } from '../nx/workspace-tree';
import { hardenedPlatform, type Platform } from '../validate/fixtures';

// split so the repository never holds a whole token
const TOKEN = ['ghp', 'Zx9'.repeat(12)].join('_');

/** service-a's hardened pod template under another kind of object, as a chart's own extra template would render it. */
function extra(p: Platform, kind: string, change: (pod: KubeObject, metadata: KubeObject) => void): void {
  const template = structuredClone(p.object('dev', 'service-a', 'Deployment/service-a').spec.template);
  change(template.spec, template.metadata);
  const metadata = { name: 'sneaky', namespace: 'dev' };
  const objects: Record<string, KubeObject> = {
    Pod: {
      apiVersion: 'v1',
      kind,
      metadata: { ...metadata, annotations: template.metadata.annotations },
      spec: template.spec,
    },
    CronJob: {
      apiVersion: 'batch/v1',
      kind,
      metadata,
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template } } },
    },
  };
  p.app('dev', 'service-a').objects.push(
    objects[kind] ?? { apiVersion: 'apps/v1', kind, metadata, spec: { template } },
  );
}
const deployment = (p: Platform): KubeObject => p.object('dev', 'service-a', 'Deployment/service-a').spec.template;

interface HostileCase {
  name: string;
  change(platform: Platform): void;
  rule: string;
  object: string;
  field: string;
  fix: RegExp;
  application?: string;
  environment?: string;
}

const POD = 'spec.template.spec';
const CASES: HostileCase[] = [
  {
    name: 'a bare Pod with hostPID',
    change: (p) => extra(p, 'Pod', (pod) => (pod.hostPID = true)),
    rule: 'pod-security',
    object: 'Pod/sneaky',
    field: 'spec.hostPID',
    fix: /remove hostPID: true .*charts\/service-a\/templates\//,
  },
  {
    name: "a Deployment on the node's network",
    change: (p) => (deployment(p).spec.hostNetwork = true),
    rule: 'pod-security',
    object: 'Deployment/service-a',
    field: `${POD}.hostNetwork`,
    fix: /remove hostNetwork/,
  },
  {
    name: "a CronJob sharing the node's IPC",
    change: (p) => extra(p, 'CronJob', (pod) => (pod.hostIPC = true)),
    rule: 'pod-security',
    object: 'CronJob/sneaky',
    field: 'spec.jobTemplate.spec.template.spec.hostIPC',
    fix: /remove hostIPC/,
  },
  {
    name: 'a DaemonSet mounting the Docker socket',
    change: (p) =>
      extra(p, 'DaemonSet', (pod) => pod.volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } })),
    rule: 'pod-security',
    object: 'DaemonSet/sneaky',
    field: `${POD}.volumes[1].hostPath`,
    fix: /emptyDir/,
  },
  {
    name: 'a hostPort',
    change: (p) => (deployment(p).spec.containers[0].ports[0].hostPort = 80),
    rule: 'pod-security',
    object: 'Deployment/service-a',
    field: `${POD}.containers[0].ports[0].hostPort`,
    fix: /Service/,
  },
  {
    name: 'an Unconfined seccomp profile on the pod',
    change: (p) => (deployment(p).spec.securityContext.seccompProfile = { type: 'Unconfined' }),
    rule: 'pod-security',
    object: 'Deployment/service-a',
    field: `${POD}.securityContext.seccompProfile.type`,
    fix: /podSecurityContext.seccompProfile.type: RuntimeDefault/,
  },
  {
    name: 'procMount Unmasked in an init container',
    change: (p) =>
      (deployment(p).spec.initContainers = [
        {
          ...structuredClone(deployment(p).spec.containers[0]),
          name: 'setup',
          securityContext: {
            ...structuredClone(deployment(p).spec.containers[0].securityContext),
            procMount: 'Unmasked',
          },
        },
      ]),
    rule: 'pod-security',
    object: 'Deployment/service-a',
    field: `${POD}.initContainers[0].securityContext.procMount`,
    fix: /remove procMount/,
  },
  {
    name: 'an unsafe sysctl',
    change: (p) => (deployment(p).spec.securityContext.sysctls = [{ name: 'kernel.core_pattern', value: '|/tmp/x' }]),
    rule: 'pod-security',
    object: 'Deployment/service-a',
    field: `${POD}.securityContext.sysctls[0].name`,
    fix: /net.ipv4.ip_unprivileged_port_start/,
  },
  {
    name: 'an AppArmor unconfined annotation',
    change: (p) =>
      (deployment(p).metadata.annotations['container.apparmor.security.beta.kubernetes.io/service-a'] = 'unconfined'),
    rule: 'pod-security',
    object: 'Deployment/service-a',
    field: 'spec.template.metadata.annotations.container.apparmor.security.beta.kubernetes.io/service-a',
    fix: /podAnnotations|runtime\/default/,
  },
  {
    name: 'an AppArmor Unconfined field',
    change: (p) => (deployment(p).spec.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' }),
    rule: 'pod-security',
    object: 'Deployment/service-a',
    field: `${POD}.containers[0].securityContext.appArmorProfile.type`,
    fix: /RuntimeDefault/,
  },
  {
    name: 'a custom SELinux type',
    change: (p) => (deployment(p).spec.securityContext.seLinuxOptions = { type: 'spc_t' }),
    rule: 'pod-security',
    object: 'Deployment/service-a',
    field: `${POD}.securityContext.seLinuxOptions.type`,
    fix: /container_t/,
  },
  {
    name: 'a Windows HostProcess container',
    change: (p) => (deployment(p).spec.containers[0].securityContext.windowsOptions = { hostProcess: true }),
    rule: 'pod-security',
    object: 'Deployment/service-a',
    field: `${POD}.containers[0].securityContext.windowsOptions.hostProcess`,
    fix: /remove windowsOptions.hostProcess/,
  },
  {
    name: 'SYS_ADMIN added back',
    change: (p) => (deployment(p).spec.containers[0].securityContext.capabilities.add = ['SYS_ADMIN']),
    rule: 'pod-security',
    object: 'Deployment/service-a',
    field: `${POD}.containers[0].securityContext.capabilities.add`,
    fix: /NET_BIND_SERVICE/,
  },
  {
    name: 'a ClusterSecretStore reading berth/prod/ from dev',
    change: (p) =>
      Object.assign(p.object('dev', 'service-b', 'ExternalSecret/service-b').spec, {
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'global' },
        data: [{ secretKey: 'DB_PASSWORD', remoteRef: { key: 'berth/prod/service-b/db', property: 'password' } }],
      }),
    rule: 'secret-store',
    application: 'dev-service-b',
    object: 'ExternalSecret/service-b',
    field: 'spec.secretStoreRef.kind',
    fix: /kind: SecretStore, name: aws-secrets-manager/,
  },
  {
    name: "a key under prod's prefix from dev",
    change: (p) =>
      (p.object('dev', 'service-b', 'ExternalSecret/service-b').spec.data[0].remoteRef.key = 'berth/prod/service-b/db'),
    rule: 'secret-store',
    application: 'dev-service-b',
    object: 'ExternalSecret/service-b',
    field: 'spec.data[0].remoteRef.key',
    fix: /under berth\/dev\//,
  },
  {
    name: 'an IRSA role in another account',
    change: (p) =>
      (p.object('dev', 'service-a', 'ServiceAccount/service-a').metadata.annotations = {
        'eks.amazonaws.com/role-arn': 'arn:aws:iam::999999999999:role/admin',
      }),
    rule: 'aws-account',
    object: 'ServiceAccount/service-a',
    field: 'metadata.annotations.eks.amazonaws.com/role-arn',
    fix: /account 123456789012/,
  },
  {
    name: "a dev Ingress on prod's api.example.com",
    change: (p) => (p.object('dev', 'service-a', 'Ingress/service-a').spec.rules[0].host = 'api.example.com'),
    rule: 'ingress-domain',
    object: 'Ingress/service-a',
    field: 'spec.rules[0].host',
    fix: /under dev.example.com/,
  },
  {
    name: 'a ConfigMap holding DB_PASSWORD',
    change: (p) => (p.object('dev', 'service-b', 'ConfigMap/service-b-config').data.DB_PASSWORD = 'hunter2'),
    rule: 'plaintext-secrets',
    application: 'dev-service-b',
    object: 'ConfigMap/service-b-config',
    field: 'data.DB_PASSWORD',
    fix: /secrets.items/,
  },
  {
    name: 'args --db-password=...',
    change: (p) => (deployment(p).spec.containers[0].args = ['--db-password=hunter2']),
    rule: 'plaintext-secrets',
    object: 'Deployment/service-a',
    field: `${POD}.containers[0].args[0]`,
    fix: /\$\(VAR\)/,
  },
  {
    name: 'a Secret with literal data',
    change: (p) =>
      p.app('dev', 'service-a').objects.push({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'db' },
        data: { password: Buffer.from('hunter2').toString('base64') },
      }),
    rule: 'plaintext-secrets',
    object: 'Secret/db',
    field: 'data',
    fix: /ExternalSecret/,
  },
];

describe('hostile policy input, rendered', () => {
  const everyFinding = (change: (p: Platform) => void): Finding[] => {
    const platform = hardenedPlatform();
    change(platform);
    return RULES.flatMap((rule) => rule.check(platform.context));
  };

  it('the hardened platform yields no finding at all', () => {
    expect(everyFinding(() => {})).toEqual([]);
  });

  it.each(CASES)(
    'refuses $name, naming the object, the field and the fix',
    ({ change, rule, object, field, fix, application = 'dev-service-a', environment = 'dev' }) => {
      const findings = everyFinding(change);
      const finding = findings.find(
        (candidate) => candidate.rule === rule && candidate.object === object && candidate.field === field,
      );
      expect(finding, findings.map(formatFinding).join('\n')).toBeDefined();
      expect(finding).toMatchObject({ environment, application });
      expect(finding!.fix).toMatch(fix);
      expect(formatFinding(finding!)).toContain(`${environment} > ${application} > ${object} > ${field}: `);
      // nothing the user did not break is reported
      expect(findings.every((candidate) => candidate.object === object || candidate.rule === rule)).toBe(true);
    },
  );
});

/** Every source file of a scratch workspace (not what render writes to dist/), to prove a run left them as they were. */
function sources(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const visit = (path: string) => {
    for (const entry of readdirSync(path)) {
      const child = join(path, entry);
      if (relative(dir, child) === 'dist') continue;
      if (statSync(child).isDirectory()) visit(child);
      else files.set(relative(dir, child), readFileSync(child, 'utf8'));
    }
  };
  visit(dir);
  return files;
}

describe('hostile policy input, in a workspace', () => {
  const dirs: string[] = [];
  const scratch = () => {
    const dir = copyExample();
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  describe("a service chart's own templates: a node-escaping DaemonSet and a file read with .Files.Get", () => {
    let run: Awaited<ReturnType<typeof berthAsync>>;
    let dir: string;
    let before: Map<string, string>;
    beforeAll(async () => {
      dir = scratch();
      mkdirSync(join(dir, 'charts/service-a/files'), { recursive: true });
      writeFileSync(join(dir, 'charts/service-a/files/app.properties'), 'db.host=postgres\ndb.password=Winter2026x\n');
      writeFileSync(
        join(dir, 'charts/service-a/templates/extra.yaml'),
        [
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata:',
          '  name: service-a-files',
          'data:',
          '  app.properties: |',
          '{{ .Files.Get "files/app.properties" | indent 4 }}',
          '---',
          'apiVersion: apps/v1',
          'kind: DaemonSet',
          'metadata:',
          '  name: node-agent',
          'spec:',
          '  selector: {matchLabels: {app: node-agent}}',
          '  template:',
          '    metadata: {labels: {app: node-agent}}',
          '    spec:',
          '      hostPID: true',
          '      containers:',
          '        - name: agent',
          '          image: busybox:1.36',
          '          securityContext: {privileged: true}',
          '          volumeMounts: [{name: root, mountPath: /host}]',
          '      volumes: [{name: root, hostPath: {path: /}}]',
          '',
        ].join('\n'),
      );
      before = sources(dir);
      run = await berthAsync(dir, 'validate', '--env', 'dev');
    });

    it('exits 1 and leaves every source file as it was', () => {
      expect(run.status, run.stdout + run.stderr).toBe(1);
      expect(sources(dir)).toEqual(before);
    });

    it.each([
      [
        'hostPID',
        /\[pod-security\] dev > dev-service-a > DaemonSet\/node-agent > spec\.template\.spec\.hostPID: the pod shares the node's process namespace.*\n\s+fix: remove hostPID: true from the template under charts\/service-a\/templates\//,
      ],
      [
        'privileged',
        /\[pod-security\] dev > dev-service-a > DaemonSet\/node-agent > spec\.template\.spec\.containers\[0\]\.securityContext\.privileged: container "agent" is privileged.*\n\s+fix: remove privileged: true/,
      ],
      [
        'hostPath',
        /\[pod-security\] dev > dev-service-a > DaemonSet\/node-agent > spec\.template\.spec\.volumes\[0\]\.hostPath: volume "root" mounts "\/" from the node.*\n\s+fix: remove volume "root"/,
      ],
      [
        'runAsNonRoot',
        /\[pod-security\] dev > dev-service-a > DaemonSet\/node-agent > spec\.template\.spec\.containers\[0\]\.securityContext\.runAsNonRoot: container "agent" may run as root/,
      ],
      [
        'the rendered file',
        /\[plaintext-secrets\] dev > dev-service-a > ConfigMap\/service-a-files > data\.app\.properties: holds a literal value for db\.password\.\n\s+fix: keep the value in AWS Secrets Manager/,
      ],
      [
        'the chart file itself',
        /\[plaintext-secrets\] charts\/service-a\/files\/app\.properties > line 2: holds a literal value for db\.password; secrets must not be committed.*\n\s+fix: remove it/,
      ],
    ])('reports %s with object, field and fix', (_what, pattern) => {
      expect(run.stdout).toMatch(pattern);
      expect(run.stdout).not.toContain('Winter2026x');
    });
  });

  it('refuses a repository URL with a token in berth.yaml, without echoing it, and writes nothing', async () => {
    const dir = scratch();
    writeFileSync(
      join(dir, 'berth.yaml'),
      readFileSync(join(dir, 'berth.yaml'), 'utf8').replace(
        'https://github.com/',
        `https://x-access-token:${TOKEN}@github.com/`,
      ),
    );
    const before = sources(dir);
    const run = await berthAsync(dir, 'render', '--env', 'dev');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(
      /berth\.yaml: repoURL: holds a user name and password \(user:password@\); berth would copy it into every AppProject and Application under argocd\//,
    );
    expect(run.stderr).toMatch(/Fix: write the URL without credentials .*revoke the token/);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(sources(dir)).toEqual(before);
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  });

  it('refuses an AWS account id written as a YAML number, naming env.yaml and aws.accountId', async () => {
    const dir = scratch();
    writeFileSync(
      join(dir, 'environments/dev/env.yaml'),
      readFileSync(join(dir, 'environments/dev/env.yaml'), 'utf8').replace(
        'accountId: "123456789012"',
        'accountId: 012345678901',
      ),
    );
    const before = sources(dir);
    const run = await berthAsync(dir, 'render', '--env', 'dev');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(
      /environments\/dev\/env\.yaml: aws\.accountId: must be a 12-digit AWS account id in quotes/,
    );
    expect(run.stderr).toMatch(/Fix: .*accountId: "123456789012"/);
    expect(sources(dir)).toEqual(before);
  });
});

describe('hostile repository URLs never reach argocd/', () => {
  it.each([
    ['user:token@', `https://oauth2:${TOKEN}@gitlab.com/acme/platform-gitops.git`],
    ['a token as user name', `https://${TOKEN}@github.com/acme/platform-gitops.git`],
    ['a private_token parameter', `https://gitlab.com/acme/platform-gitops.git?private_token=${TOKEN}`],
  ])('nx sync refuses a URL with %s and leaves the tree as it was', async (_what, url) => {
    const tree = exampleTree();
    tree.write('berth.yaml', tree.read('berth.yaml', 'utf-8')!.replace(/repoURL: .*/, `repoURL: ${url}`));
    const before = snapshot(tree);
    const error = await syncGenerator(tree).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BerthError);
    expect(error).toMatchObject({ file: 'berth.yaml', field: 'repoURL' });
    expect((error as BerthError).fix).toMatch(/repository Secret/);
    expect((error as Error).message).not.toContain(TOKEN);
    expect(snapshot(tree)).toEqual(before);
  });

  it('berth new refuses --repo-url with a token before writing anything', () => {
    const dir = join(__dirname, `new-${process.pid}-never-made`);
    const make = () =>
      normalizeNewOptions({
        dir,
        org: 'acme',
        repoUrl: `https://u:${TOKEN}@github.com/acme/x.git`,
        awsAccount: '123456789012',
        region: 'eu-west-1',
        domain: 'example.com',
      });
    expect(make).toThrow(BerthError);
    expect(make).toThrow(/holds a user name and password/);
    try {
      make();
    } catch (error) {
      expect(error).toMatchObject({ field: '--repo-url' });
      expect((error as Error).message).not.toContain(TOKEN);
    }
    expect(existsSync(dir)).toBe(false);
  });
});
