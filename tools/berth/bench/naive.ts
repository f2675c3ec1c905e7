// The way a person would script it without berth: per chart `helm dependency build`, per Application `helm template`,
// one after another, with the flags Argo CD's repo-server passes, read from argocd/apps/<env>/*.yaml.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

type Manifest = Record<string, any>;

export interface NaivePlan {
  /** A bash script with one helm command a line. */
  script: string;
  charts: number;
  applications: number;
}

const quote = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
const line = (words: string[]) => words.map(quote).join(' ');

/** Every Application manifest under argocd/apps/, environment by environment. */
/** The Application's chart source in this repository (a `path`, not a `ref` or an upstream `chart`), if it has one. */
const localChart = (application: Manifest): Manifest | undefined =>
  ((application.spec?.sources ?? [application.spec?.source]) as Manifest[]).find(
    (source) => source?.path && !source.ref && !source.chart && !String(source.repoURL).startsWith('oci://'),
  );

/** The Applications under argocd/apps whose chart is in this repository, by environment. */
export function readApplications(root: string): { env: string; application: Manifest }[] {
  const found: { env: string; application: Manifest }[] = [];
  const appsDir = join(root, 'argocd/apps');
  for (const env of readdirSync(appsDir).sort()) {
    for (const file of readdirSync(join(appsDir, env))
      .filter((name) => name.endsWith('.yaml'))
      .sort()) {
      for (const document of parseAllDocuments(readFileSync(join(appsDir, env, file), 'utf8'))) {
        const application = document.toJS();
        // an add-on's upstream chart (a Helm repository or OCI registry) is not at hand here: berth renders it only
        // from its chart cache, so neither side renders it
        if (application?.kind === 'Application' && localChart(application)) found.push({ env, application });
      }
    }
  }
  return found;
}

/** What Argo CD's repo-server passes helm for one Application; `$values/` is the repository root. */
export interface ApplicationHelm {
  chartDir: string;
  releaseName: string;
  namespace: string;
  kubeVersion?: string;
  /** Absolute paths, in order. */
  valueFiles: string[];
  /** Given after the value files: it wins over them. */
  valuesObject?: Manifest;
  apiVersions: string[];
  includeCrds: boolean;
}

export function applicationHelm(root: string, application: Manifest): ApplicationHelm {
  const sources: Manifest[] = application.spec.sources ?? [application.spec.source];
  const chart = localChart(application)!;
  const helm: Manifest = chart.helm ?? {};
  const refs = new Set(sources.filter((source) => source.ref).map((source) => `$${source.ref}`));
  const chartDir = join(root, chart.path);
  return {
    chartDir,
    releaseName: helm.releaseName || application.metadata.name,
    namespace: helm.namespace || application.spec.destination.namespace,
    kubeVersion: helm.kubeVersion || undefined,
    valueFiles: (helm.valueFiles ?? []).map((file: unknown) => {
      const [head, ...rest] = String(file).split('/');
      return refs.has(head) ? join(root, ...rest) : join(chartDir, String(file));
    }),
    valuesObject: helm.valuesObject,
    apiVersions: helm.apiVersions ?? [],
    includeCrds: !helm.skipCrds,
  };
}

/** `helm template` arguments for one Application, the way Argo CD builds them. */
export function templateArgs(root: string, application: Manifest, valuesObjectFile?: string): string[] {
  const helm = applicationHelm(root, application);
  const args = ['template', helm.chartDir, '--name-template', helm.releaseName, '--namespace', helm.namespace];
  if (helm.kubeVersion) args.push('--kube-version', helm.kubeVersion);
  for (const file of helm.valueFiles) args.push('--values', file);
  if (valuesObjectFile) args.push('--values', valuesObjectFile);
  for (const version of helm.apiVersions) args.push('--api-versions', version);
  if (helm.includeCrds) args.push('--include-crds');
  return args;
}

/** Writes each valuesObject to a file under `work` and returns the script that renders into `work/out`. */
export function naivePlan(root: string, helm: string, work: string): NaivePlan {
  const applications = readApplications(root);
  const charts = new Set<string>();
  const templates: string[] = [];
  for (const { env, application } of applications) {
    const name = application.metadata.name;
    const chart = localChart(application)!;
    charts.add(join(root, chart.path));
    let valuesObjectFile: string | undefined;
    if (chart.helm?.valuesObject) {
      valuesObjectFile = join(work, 'values', env, `${name}.yaml`);
      mkdirSync(join(work, 'values', env), { recursive: true });
      writeFileSync(valuesObjectFile, stringify(chart.helm.valuesObject));
    }
    mkdirSync(join(work, 'out', env), { recursive: true });
    templates.push(
      `${line([helm, ...templateArgs(root, application, valuesObjectFile)])} > ${quote(join(work, 'out', env, `${name}.yaml`))}`,
    );
  }
  const builds = [...charts].sort().map((chart) => line([helm, 'dependency', 'build', chart]) + ' > /dev/null');
  const script = ['#!/usr/bin/env bash', 'set -euo pipefail', ...builds, ...templates, ''].join('\n');
  return { script, charts: charts.size, applications: applications.length };
}

/** Top-level objects in every YAML file under `dir` (one `kind:` line at column 0 each), to check both sides rendered alike. */
export function countObjects(dir: string): number {
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && entry.name.endsWith('.yaml'))
      count += readFileSync(join(entry.parentPath, entry.name), 'utf8').match(/^kind: /gm)?.length ?? 0;
  }
  return count;
}
