// A chart's Chart.lock as helm reads and writes it: the versions its third-party dependencies are locked to, the
// digest that ties the lock to Chart.yaml's dependencies (helm's resolver.HashReq), and the file helm would write.
import { createHash } from 'node:crypto';
import { BerthError } from '../errors';
import { readYamlMapping } from '../util/yaml-read';
import { chartRef, type ChartRef } from './reference';

/** A dependency as Chart.yaml declares it (the fields of helm's chart.Dependency). */
export interface DeclaredDependency {
  name: string;
  version?: string;
  repository?: string;
  condition?: string;
  tags?: string[];
  enabled?: boolean;
  'import-values'?: unknown[];
  alias?: string;
}

export interface LockedDependency {
  name: string;
  repository: string;
  version: string;
}

/** A third-party dependency of a chart, at the version its Chart.lock fixes. */
export interface RemoteDependency {
  ref: ChartRef;
  /** The name it is staged under (charts/<alias or name>). */
  as: string;
}

export const isRemoteRepository = (repository: string | undefined) =>
  Boolean(repository) && !repository!.startsWith('file://');

/** Go's encoding/json: struct fields in declaration order, map keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped. */
function goJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value).replace(
      /[<>&\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    );
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .sort()
    .map((key) => `${goJson(key)}:${goJson(record[key])}`)
    .join(',')}}`;
}

/** One chart.Dependency as Go marshals it: name and repository always, the rest only when set (omitempty). */
function dependencyJson(dependency: Partial<DeclaredDependency>): string {
  const fields: string[] = [`"name":${goJson(dependency.name ?? '')}`];
  if (dependency.version) fields.push(`"version":${goJson(dependency.version)}`);
  fields.push(`"repository":${goJson(dependency.repository ?? '')}`);
  if (dependency.condition) fields.push(`"condition":${goJson(dependency.condition)}`);
  if (dependency.tags?.length) fields.push(`"tags":${goJson(dependency.tags)}`);
  if (dependency.enabled) fields.push(`"enabled":true`);
  if (dependency['import-values']?.length) fields.push(`"import-values":${goJson(dependency['import-values'])}`);
  if (dependency.alias) fields.push(`"alias":${goJson(dependency.alias)}`);
  return `{${fields.join(',')}}`;
}

/** helm's resolver.HashReq: sha256 of the JSON pair [Chart.yaml's dependencies, the lock's]. */
export function lockDigest(declared: readonly Partial<DeclaredDependency>[], locked: readonly LockedDependency[]): string {
  const json = `[[${declared.map(dependencyJson).join(',')}],[${locked.map(dependencyJson).join(',')}]]`;
  return `sha256:${createHash('sha256').update(json).digest('hex')}`;
}

/** A scalar as go-yaml writes it: plain when YAML reads it back as the same string, double-quoted otherwise. */
function yamlScalar(value: string): string {
  const plain =
    /^[A-Za-z0-9_./][A-Za-z0-9_.\/:+~%@-]*$/.test(value) &&
    !/^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?)$/.test(value) &&
    !/^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/.test(value);
  return plain ? value : JSON.stringify(value);
}

/** Chart.lock's text exactly as `helm dependency update` writes it (keys sorted, as sigs.k8s.io/yaml does). */
export function lockText(
  declared: readonly Partial<DeclaredDependency>[],
  locked: readonly LockedDependency[],
  generated: Date,
): string {
  const lines = ['dependencies:'];
  for (const dependency of locked)
    lines.push(
      `- name: ${yamlScalar(dependency.name)}`,
      `  repository: ${yamlScalar(dependency.repository)}`,
      `  version: ${yamlScalar(dependency.version)}`,
    );
  lines.push(`digest: ${lockDigest(declared, locked)}`, `generated: "${generated.toISOString().replace(/\.?0+Z$/, 'Z')}"`);
  return `${lines.join('\n')}\n`;
}

export interface ChartLock {
  dependencies: LockedDependency[];
  digest: string;
}

/** Reads Chart.lock's text (`file` names it in messages). */
export function parseLock(text: string, file: string): ChartLock {
  const lock = readYamlMapping(text, file);
  const dependencies = lock.dependencies;
  if (!Array.isArray(dependencies) || typeof lock.digest !== 'string')
    throw new BerthError('is not a Chart.lock (it needs dependencies and digest).', {
      file,
      fix: 'run `helm dependency update` on the chart to write it.',
    });
  return {
    digest: lock.digest,
    dependencies: dependencies.map((dependency: Record<string, unknown>) => ({
      name: String(dependency?.name ?? ''),
      repository: String(dependency?.repository ?? ''),
      version: String(dependency?.version ?? ''),
    })),
  };
}

/**
 * The third-party dependencies of a chart at the versions its Chart.lock fixes; refused, as `helm dependency build`
 * refuses it, when the lock is missing or out of sync with Chart.yaml. `chart` names the chart folder in messages.
 */
export function remoteDependencies(
  chart: string,
  declared: readonly DeclaredDependency[],
  lockText: string | undefined,
): RemoteDependency[] {
  if (!declared.some((dependency) => isRemoteRepository(dependency.repository))) return [];
  const lockFile = `${chart}/Chart.lock`;
  const fix = `run \`helm dependency update ${chart}\` (or \`npx berth chart-update\`) and commit Chart.lock; keep ${chart}/charts/*.tgz out of git.`;
  if (lockText === undefined)
    throw new BerthError('is missing: the chart depends on third-party charts, and only a lock says which versions.', {
      file: lockFile,
      fix,
    });
  const lock = parseLock(lockText, lockFile);
  if (lockDigest(declared, lock.dependencies) !== lock.digest || lock.dependencies.length !== declared.length)
    throw new BerthError('is out of sync with the dependencies of Chart.yaml (its digest does not match them).', {
      file: lockFile,
      field: 'digest',
      fix,
    });
  return declared.flatMap((dependency, index) => {
    if (!isRemoteRepository(dependency.repository)) return [];
    const locked = lock.dependencies[index];
    if (locked.name !== dependency.name || locked.repository !== dependency.repository)
      throw new BerthError(`locks ${locked.name} from ${locked.repository} where Chart.yaml names ${dependency.name}.`, {
        file: lockFile,
        field: `dependencies[${index}]`,
        fix,
      });
    const ref = chartRef(locked.repository, locked.name, locked.version, {
      file: lockFile,
      field: `dependencies[${index}]`,
    });
    return [{ ref, as: dependency.alias || dependency.name }];
  });
}
