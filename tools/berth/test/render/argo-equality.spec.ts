// berth render equals what Argo CD's repo-server would produce from each committed Application manifest, for each Helm
// berth renders with (one per Argo CD minor of helm/versions.ts). The expected side is derived here independently, from
// the manifest alone, following Argo CD's own steps: `helm dependency build` in a checkout (or `helm pull` of a
// third-party chart), then `helm template` with the flags util/helm/cmd.go passes, run by the helm of that Argo CD.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { resolveHelm, type HelmBinary } from '../../src/helm/binary';
import { HELM_LINES } from '../../src/helm/versions';
import { startChartRepos, type ChartRepos } from '../third-party/support/chart-repos';

const repo = join(__dirname, '../../../..');
const berth = join(repo, 'tools/berth/bin/berth.js');

type Manifest = Record<string, any>;

function objectsByKey(yaml: string): Map<string, Manifest> {
  const objects = parseAllDocuments(yaml)
    .map((document) => document.toJS())
    .filter(Boolean);
  return new Map(
    objects.map((object: Manifest) => [
      `${object.apiVersion} ${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name}`,
      object,
    ]),
  );
}

/**
 * Where Argo CD's repo-server finds the chart: a path of the checkout (after `helm dependency build`, which needs each
 * https repository added, as Argo CD adds the repositories it holds credentials for), or a third-party chart it pulls:
 * `helm pull <chart> --repo <repoURL>` for a Helm repository source, the OCI artifact itself for an oci:// source.
 */
function argoCdChart(
  helmBinary: string,
  application: Manifest,
  checkout: string,
  scratch: string,
  helmEnv: NodeJS.ProcessEnv,
): string {
  const sources: Manifest[] = application.spec.sources ?? [application.spec.source];
  const source = sources.find((candidate) => candidate.ref === undefined)!;
  const pulled = join(scratch, 'pulled', application.metadata.name);
  const plainHttp = String(source.repoURL).includes('127.0.0.1') ? ['--plain-http'] : [];
  if (source.chart) {
    mkdirSync(pulled, { recursive: true });
    execFileSync(
      helmBinary,
      [
        'pull',
        source.chart,
        '--repo',
        source.repoURL,
        '--version',
        source.targetRevision,
        '--untar',
        '--untardir',
        pulled,
      ],
      { env: helmEnv, stdio: 'pipe' },
    );
    return join(pulled, source.chart);
  }
  if (String(source.repoURL).startsWith('oci://')) {
    mkdirSync(pulled, { recursive: true });
    execFileSync(
      helmBinary,
      ['pull', source.repoURL, '--version', source.targetRevision, ...plainHttp, '--untar', '--untardir', pulled],
      { env: helmEnv, stdio: 'pipe' },
    );
    return join(pulled, String(source.repoURL).split('/').pop()!);
  }
  const chartDir = join(checkout, source.path);
  execFileSync(helmBinary, ['dependency', 'build', '--plain-http'], { cwd: chartDir, env: helmEnv, stdio: 'pipe' });
  return chartDir;
}

/** What Argo CD would run for this Application, in a fresh checkout of the repository. */
function argoCdRender(
  helmBinary: HelmBinary,
  application: Manifest,
  checkout: string,
  scratch: string,
  helmEnv: NodeJS.ProcessEnv = process.env,
): string {
  const sources: Manifest[] = application.spec.sources ?? [application.spec.source];
  const chartSource = sources.find((source) => source.ref === undefined);
  const helm = chartSource!.helm ?? {};
  const refs = new Map(sources.filter((source) => source.ref).map((source) => [`$${source.ref}`, checkout]));
  const chartDir = argoCdChart(helmBinary.path, application, checkout, scratch, helmEnv);
  const args = [
    'template',
    '.',
    '--name-template',
    helm.releaseName || application.metadata.name,
    '--namespace',
    application.spec.destination.namespace,
  ];
  if (helm.kubeVersion) args.push('--kube-version', helm.kubeVersion);
  for (const file of helm.valueFiles ?? []) {
    const [head, ...rest] = String(file).split('/');
    args.push('--values', refs.has(head) ? join(refs.get(head)!, ...rest) : join(chartDir, file));
  }
  if (helm.valuesObject) {
    const extra = join(scratch, `${application.metadata.name}-values.yaml`);
    writeFileSync(extra, stringify(helm.valuesObject));
    args.push('--values', extra);
  }
  for (const version of helm.apiVersions ?? []) args.push('--api-versions', version);
  args.push('--include-crds');
  return execFileSync(helmBinary.path, args, {
    cwd: chartDir,
    encoding: 'utf8',
    env: helmEnv,
    maxBuffer: 64 * 1024 * 1024,
  });
}

/** A copy of the example platform, each environment's env.yaml saying the Argo CD `versions` gives it (default 3.5). */
function platformCopy(checkout: string, versions: (env: string) => string): void {
  for (const dir of ['charts', 'environments', 'argocd', 'apps', 'berth.yaml'])
    cpSync(join(repo, dir), join(checkout, dir), { recursive: true });
  for (const env of readdirSync(join(checkout, 'environments'))) {
    const file = join(checkout, 'environments', env, 'env.yaml');
    const text = readFileSync(file, 'utf8');
    const changed = text.replace(/^(argocd:\n(?:  #.*\n)*  version: )"3\.5"$/m, `$1"${versions(env)}"`);
    expect(changed === text && versions(env) !== '3.5', `${file} states argocd.version: "3.5"`).toBe(false);
    writeFileSync(file, changed);
  }
}

const helmVersionOf = (binary: string) => execFileSync(binary, ['version', '--short'], { encoding: 'utf8' }).trim();

describe.each(HELM_LINES)('berth render equals what Argo CD $argocd applies (helm $helm)', (line) => {
  let scratch: string;
  let checkout: string;
  let out: string;
  const helm = resolveHelm(line.argocd);
  const applications: { env: string; file: string; manifest: Manifest }[] = [];

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'berth-equality-'));
    checkout = join(scratch, 'checkout');
    out = join(scratch, 'rendered');
    platformCopy(checkout, () => line.argocd);
    for (const env of readdirSync(join(repo, 'argocd/apps'))) {
      for (const file of readdirSync(join(repo, 'argocd/apps', env))) {
        const manifest = parse(readFileSync(join(repo, 'argocd/apps', env, file), 'utf8'));
        // the add-ons' upstream charts cannot be fetched here; the third-party suite below covers such Applications
        // with charts served from a local Helm repository and registry
        if (manifest.metadata.labels['berth.dev/kind'] === 'addon') continue;
        applications.push({ env, file, manifest });
      }
    }
    // the copy holds a repository's files but is none: berth finds its root by berth.yaml, as in a fresh checkout
    const stdout = execFileSync(process.execPath, [berth, 'render', '--out', out, '--json'], {
      cwd: checkout,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const result of JSON.parse(stdout)) expect(result.helm, result.application).toBe(helm.version);
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it(`uses helm ${line.bundle.helm} from ${line.bundle.package} ${line.bundle.version}`, () => {
    expect(helm).toMatchObject({ source: 'bundled', version: line.bundle.helm, argocd: line.argocd });
    expect(helmVersionOf(helm.path)).toMatch(new RegExp(`^${line.bundle.helm.replace(/\./g, '\\.')}\\+g[0-9a-f]+$`));
  });

  it('covers every Application of every environment', () => {
    const environments = new Set(applications.map((app) => app.env));
    expect([...environments].sort()).toEqual(readdirSync(join(repo, 'environments')).sort());
    expect(applications.length).toBeGreaterThanOrEqual(15);
  });

  it('renders the same objects as helm dependency build + helm template from each manifest', () => {
    for (const { env, file, manifest } of applications) {
      const service = manifest.metadata.labels['berth.dev/service'];
      const expected = objectsByKey(argoCdRender(helm, manifest, checkout, scratch));
      const actual = objectsByKey(readFileSync(join(out, env, `${service}.yaml`), 'utf8'));
      expect(expected.size, `${env}/${file} renders objects`).toBeGreaterThan(0);
      expect([...actual.keys()].sort(), `${env}/${file}: same objects`).toEqual([...expected.keys()].sort());
      for (const [key, object] of expected) expect(actual.get(key), `${env}/${file}: ${key}`).toEqual(object);
    }
  });
});

describe('each environment renders with the Helm of its own Argo CD', () => {
  let scratch: string;
  let out: string;
  let printed: string;

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'berth-helm-per-env-'));
    const checkout = join(scratch, 'checkout');
    out = join(scratch, 'rendered');
    platformCopy(checkout, (env) => (env === 'stage' ? '3.4.2' : '3.5'));
    // a template that prints the helm rendering it: what each rendered file says is the helm that really ran
    writeFileSync(
      join(checkout, 'charts/service-a/templates/helm-version.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: rendered-by\ndata:\n  helm: {{ .Capabilities.HelmVersion.Version | quote }}\n',
    );
    printed = execFileSync(process.execPath, [berth, 'render', '--out', out], { cwd: checkout, encoding: 'utf8' });
  });

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const renderedBy = (env: string) =>
    [...objectsByKey(readFileSync(join(out, env, 'service-a.yaml'), 'utf8')).values()].find(
      (object) => object.metadata.name === 'rendered-by',
    )?.data.helm;

  it('renders a 3.4 environment with Helm 3 and the 3.5 ones with Helm 4, one helm per environment', () => {
    expect(renderedBy('stage')).toBe(resolveHelm('3.4').version);
    expect(renderedBy('stage')).toMatch(/^v3\./);
    expect(helmVersionOf(resolveHelm('3.4').path)).toMatch(/^v3\.18\.0\+g/);
    for (const env of ['dev', 'prod']) expect(renderedBy(env), env).toMatch(/^v4\.2\./);
    expect(helmVersionOf(resolveHelm('3.5').path)).toMatch(/^v4\.2\.3\+g/);
  });

  it('says once per environment which helm rendered it, and that 3.4 stands in a Helm 3.18 for 3.19', () => {
    const lines = printed.split('\n').filter((text) => /: helm v\d/.test(text));
    expect(lines).toEqual([
      'dev, prod: helm v4.2.3 (Argo CD 3.5)',
      'stage: helm v3.18.0 (Argo CD 3.4); Argo CD 3.4 renders with helm 3.19, so this render may differ from what it applies (put a helm 3.19 on PATH or set BERTH_HELM to one)',
    ]);
  });
});

/** An add-on-like Application of a third-party chart, as nx sync derives them (docs/addons.md). */
function thirdPartyApplication(name: string, source: Manifest, template: Manifest): Manifest {
  const ours = template.spec.sources[0];
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: `dev-${name}`,
      namespace: 'argocd',
      labels: { 'berth.dev/environment': 'dev', 'berth.dev/service': name, 'berth.dev/kind': 'addon' },
    },
    spec: {
      project: 'dev-addons',
      destination: { server: template.spec.destination.server, namespace: name },
      sources: [
        {
          ...source,
          helm: {
            releaseName: name,
            valueFiles: [`$values/environments/dev/${name}.yaml`],
            valuesObject: { clusterName: 'berth-dev', region: 'eu-west-1' },
            kubeVersion: ours.helm.kubeVersion,
            apiVersions: ours.helm.apiVersions,
          },
        },
        { repoURL: ours.repoURL, targetRevision: ours.targetRevision, ref: 'values' },
      ],
    },
  };
}

// A template that shows every flag Argo CD passes: release name, namespace, kube version, API versions, values.
const FACTS = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-facts
  namespace: {{ .Release.Namespace }}
data:
  kube: {{ .Capabilities.KubeVersion.Version | quote }}
  monitoring: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" | quote }}
  cluster: {{ .Values.clusterName | default "none" | quote }}
  replicas: {{ .Values.replicaCount | quote }}
`;
const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.berth.dev
spec:
  group: example.berth.dev
  names: { kind: Widget, plural: widgets, singular: widget }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object } }
`;

describe('berth render equals what Argo CD applies, for third-party charts', () => {
  let scratch: string;
  let workspace: string;
  let out: string;
  let repos: ChartRepos;
  let cache: string;
  const run = promisify(execFile);
  const renderIn = (env: NodeJS.ProcessEnv) =>
    run(process.execPath, [berth, 'render', '--out', out], {
      cwd: workspace,
      env: { ...process.env, CI: 'true', ...env },
    });
  let applications: { name: string; manifest: Manifest }[];

  beforeAll(async () => {
    repos = await startChartRepos([
      { name: 'podinfo', version: '1.0.0', templates: { 'facts.yaml': FACTS } },
      { name: 'metrics', version: '3.1.0', templates: { 'facts.yaml': FACTS } },
      { name: 'kvstore', version: '1.2.0' },
    ]);
    // the CRD goes in crds/, which only --include-crds renders: publish podinfo again with it
    const source = join(repos.dir, 'source/podinfo');
    mkdirSync(join(source, 'crds'));
    writeFileSync(join(source, 'crds/widgets.yaml'), CRD);
    execFileSync(resolveHelm().path, ['package', source, '-d', join(repos.dir, 'served')], { env: repos.helmEnv });
    execFileSync(resolveHelm().path, ['repo', 'index', join(repos.dir, 'served'), '--url', repos.helmRepo], {
      env: repos.helmEnv,
    });

    scratch = mkdtempSync(join(tmpdir(), 'berth-equality-third-party-'));
    workspace = join(scratch, 'workspace');
    out = join(scratch, 'rendered');
    cache = join(scratch, 'chart-cache');
    for (const dir of ['charts', 'environments', 'argocd', 'apps', 'berth.yaml'])
      cpSync(join(repo, dir), join(workspace, dir), { recursive: true });
    const template = parse(readFileSync(join(repo, 'argocd/apps/dev/service-a.yaml'), 'utf8'));
    applications = [
      {
        name: 'podinfo',
        manifest: thirdPartyApplication(
          'podinfo',
          { repoURL: repos.helmRepo, chart: 'podinfo', targetRevision: '1.0.0' },
          template,
        ),
      },
      {
        name: 'metrics',
        manifest: thirdPartyApplication(
          'metrics',
          { repoURL: `${repos.ociRepo}/metrics`, targetRevision: '3.1.0', path: '.' },
          template,
        ),
      },
    ];
    for (const { name, manifest } of applications) {
      writeFileSync(join(workspace, `argocd/apps/dev/${name}.yaml`), stringify(manifest));
      writeFileSync(
        join(workspace, `environments/dev/${name}.yaml`),
        `berth:\n  chartVersion: "1.0.0"\nreplicaCount: 2\n`,
      );
    }
    // service-c depends on a chart of the Helm repository and one of the registry, locked by helm itself
    const chartDir = join(workspace, 'charts/service-c');
    writeFileSync(
      join(chartDir, 'Chart.yaml'),
      readFileSync(join(chartDir, 'Chart.yaml'), 'utf8') +
        `  - name: kvstore\n    version: ^1.0.0\n    repository: ${repos.helmRepo}\n  - name: metrics\n    alias: exporter\n    version: 3.1.0\n    repository: ${repos.ociRepo}\n`,
    );
    execFileSync(resolveHelm().path, ['dependency', 'update', '--plain-http', chartDir], {
      env: repos.helmEnv,
      stdio: 'pipe',
    });
    rmSync(join(chartDir, 'charts'), { recursive: true, force: true });
    const schema = JSON.parse(readFileSync(join(chartDir, 'values.schema.json'), 'utf8'));
    schema.properties.kvstore = { type: 'object' };
    schema.properties.exporter = { type: 'object' };
    writeFileSync(join(chartDir, 'values.schema.json'), JSON.stringify(schema, null, 2));
    applications.push({
      name: 'service-c',
      manifest: parse(readFileSync(join(workspace, 'argocd/apps/dev/service-c.yaml'), 'utf8')),
    });
    execFileSync(resolveHelm().path, ['repo', 'add', 'local', repos.helmRepo], { env: repos.helmEnv, stdio: 'pipe' });
    await renderIn({ BERTH_CHART_CACHE: cache });
  }, 300_000);

  afterAll(async () => {
    await repos?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('renders Helm repository charts, OCI charts and service charts with third-party dependencies as Argo CD does', () => {
    for (const { name, manifest } of applications) {
      const expected = objectsByKey(argoCdRender(resolveHelm(), manifest, workspace, scratch, repos.helmEnv));
      const actual = objectsByKey(readFileSync(join(out, 'dev', `${name}.yaml`), 'utf8'));
      expect(expected.size, `${name} renders objects`).toBeGreaterThan(2);
      expect([...actual.keys()].sort(), `${name}: same objects`).toEqual([...expected.keys()].sort());
      for (const [key, object] of expected) expect(actual.get(key), `${name}: ${key}`).toEqual(object);
    }
    // the flags reached the chart: the facts a third-party chart sees are the cluster's
    const facts = objectsByKey(readFileSync(join(out, 'dev/podinfo.yaml'), 'utf8')).get(
      'v1 ConfigMap podinfo/podinfo-facts',
    )!;
    expect(facts.data).toEqual({ kube: 'v1.36.0', monitoring: 'true', cluster: 'berth-dev', replicas: '2' });
    expect(readFileSync(join(out, 'dev/podinfo.yaml'), 'utf8')).toContain('kind: CustomResourceDefinition');
    const serviceC = objectsByKey(readFileSync(join(out, 'dev/service-c.yaml'), 'utf8'));
    expect([...serviceC.keys()].some((key) => key.includes('service-c-kvstore'))).toBe(true);
  });

  it('offline, an uncached chart is reported with the command that fetches it, and everything else renders', async () => {
    const empty = join(scratch, 'empty-cache');
    const stopped = repos;
    const helmRepo = stopped.helmRepo;
    await stopped.stop();
    repos = undefined as unknown as ChartRepos;
    const { stdout } = await renderIn({ BERTH_CHART_CACHE: empty });
    expect(stdout).toContain(
      `dev/podinfo: not rendered: chart podinfo 1.0.0 from ${helmRepo} is not cached — run: npx berth chart-fetch ${helmRepo} podinfo 1.0.0`,
    );
    expect(stdout).toMatch(
      /dev\/metrics: not rendered: chart metrics 3\.1\.0 from oci:\/\/127\.0\.0\.1:\d+\/charts is not cached — run: npx berth chart-fetch oci:\/\/127\.0\.0\.1:\d+\/charts metrics 3\.1\.0/,
    );
    expect(stdout).toMatch(
      /dev\/service-c: not rendered: chart kvstore 1\.2\.0 from http:\/\/127\.0\.0\.1:\d+ is not cached/,
    );
    // service-c in dev, stage and prod, and the example's own add-ons (their charts are on the internet)
    expect(stdout).toMatch(/rendered 13 Applications .*, 20 not rendered \(chart not cached\)/);
    expect(existsSync(join(out, 'dev/podinfo.yaml'))).toBe(false);
    expect(readFileSync(join(out, 'dev/service-a.yaml'), 'utf8')).toContain('kind: Deployment');
    // and the cached charts still render offline
    const { stdout: cached } = await renderIn({ BERTH_CHART_CACHE: cache });
    expect(cached).not.toMatch(/(podinfo|metrics|service-c): not rendered/); // the example's add-ons still are
    expect(readFileSync(join(out, 'dev/podinfo.yaml'), 'utf8')).toContain('podinfo-facts');
  }, 120_000);
});
