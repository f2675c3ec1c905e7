// Charts rendered by real helm the way Argo CD does, for the chart tests: charts copied to a scratch folder with their
// dependencies built, the environment: block written as the Application's valuesObject carries it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { environmentValues } from '../../src/argocd/manifests';
import { resolveHelm } from '../../src/helm/binary';
import { diskFiles } from '../../src/workspace/files';
import { loadEnvironment } from '../../src/workspace/load';

export const repo = join(__dirname, '../../../..');
export const ENVS = ['dev', 'stage', 'prod'] as const;
export const CLUSTER_APIS = ['--api-versions', 'external-secrets.io/v1', '--api-versions', 'monitoring.coreos.com/v1'];

export type Env = (typeof ENVS)[number];
export type K8sObject = Record<string, any>;

/** Runs helm; on failure throws an Error whose message is helm's stderr. */
export function helm(args: string[]): string {
  try {
    return execFileSync(resolveHelm().path, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(failure.stderr || failure.message);
  }
}

export const parseObjects = (yaml: string): K8sObject[] => parseAllDocuments(yaml).map((document) => document.toJS()).filter(Boolean);

export const find = (objects: K8sObject[], kind: string, name?: string) => objects.filter((object) => object.kind === kind && (name === undefined || object.metadata.name === name));

export const one = (objects: K8sObject[], kind: string, name?: string) => {
  const found = find(objects, kind, name);
  expect(found, `exactly one ${kind}${name ? `/${name}` : ''}`).toHaveLength(1);
  return found[0];
};

/** A scratch copy of some charts (with charts/common), their dependencies built once. */
export class ChartStage {
  readonly work: string;

  /** Call in beforeAll: copying and `helm dependency build` take a moment. */
  constructor(prefix: string, charts: string[], built: string[]) {
    this.work = mkdtempSync(join(tmpdir(), prefix));
    mkdirSync(join(this.work, 'charts'));
    for (const chart of ['common', ...charts]) {
      cpSync(join(repo, 'charts', chart), join(this.work, 'charts', chart), { recursive: true, filter: (source) => !/\/charts\/[^/]+\/(charts|Chart\.lock)$/.test(source) });
    }
    for (const chart of built) helm(['dependency', 'build', join(this.work, 'charts', chart)]);
    for (const env of ENVS) writeFileSync(this.envBlock(env), stringify(environmentValues(loadEnvironment(diskFiles(repo), env))));
  }

  chart(name: string): string {
    return join(this.work, 'charts', name);
  }

  /** The environment: block, exactly as the Argo CD Application's valuesObject carries it. */
  envBlock(env: Env): string {
    return join(this.work, `environment-${env}.yaml`);
  }

  /** A values file in the scratch folder, for values --set cannot spell (spaces, nulls). */
  valuesFile(name: string, values: Record<string, unknown>): string[] {
    const file = join(this.work, `${name}.yaml`);
    writeFileSync(file, stringify(values));
    return ['-f', file];
  }

  remove(): void {
    rmSync(this.work, { recursive: true, force: true });
  }
}

/** Renders once per distinct argument list; `args` builds the `helm template` arguments. */
export function memoizedRender<A extends unknown[]>(args: (...input: A) => string[]) {
  const rendered = new Map<string, K8sObject[]>();
  const render = (...input: A): K8sObject[] => {
    const key = JSON.stringify(input);
    if (!rendered.has(key)) rendered.set(key, parseObjects(helm(args(...input))));
    return rendered.get(key)!;
  };
  /** helm's error message for a render that must fail. */
  const renderError = (...input: A): string => {
    try {
      helm(args(...input));
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error(`helm ${args(...input).join(' ')} succeeded but should have failed`);
  };
  return { render, renderError };
}
