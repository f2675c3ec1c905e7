// berth render equals what Argo CD's repo-server would produce from each committed Application manifest, for each Helm
// berth renders with (one per Argo CD minor of helm/versions.ts). The expected side is derived here independently, from
// the manifest alone, following Argo CD's own steps: `helm dependency build` in a checkout, then `helm template` with
// the flags util/helm/cmd.go passes, run by the helm of that Argo CD.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { resolveHelm, type HelmBinary } from '../../src/helm/binary';
import { HELM_LINES } from '../../src/helm/versions';

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

/** What Argo CD would run for this Application, in a fresh checkout of the repository. */
function argoCdRender(helmBinary: HelmBinary, application: Manifest, checkout: string, scratch: string): string {
  const sources: Manifest[] = application.spec.sources ?? [application.spec.source];
  const chartSource = sources.find((source) => source.path);
  const helm = chartSource!.helm ?? {};
  const refs = new Map(sources.filter((source) => source.ref).map((source) => [`$${source.ref}`, checkout]));
  const chartDir = join(checkout, chartSource!.path);
  execFileSync(helmBinary.path, ['dependency', 'build'], { cwd: chartDir, stdio: 'pipe' });
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
  return execFileSync(helmBinary.path, args, { cwd: chartDir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
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
        applications.push({ env, file, manifest: parse(readFileSync(join(repo, 'argocd/apps', env, file), 'utf8')) });
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
