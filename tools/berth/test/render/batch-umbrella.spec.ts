// A batch of charts renders in one helm process as each chart renders alone (as Argo CD's repo-server templates it),
// also where the batch's umbrella leaves its subcharts undeclared (render/engine declaresSubcharts): chart defaults of
// null, and a template that reads .Chart.Dependencies. The standalone side is helm itself, run here on a copy of the chart
// with its library under charts/, as `helm dependency build` leaves it.
import { execFileSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { resolveHelm } from '../../src/helm/binary';
import { HELM_LINES } from '../../src/helm/versions';
import { render } from '../../src/render/command';
import { plannedJobs } from '../../src/render/engine';
import { RenderSession } from '../../src/render/session';
import { copyExample } from '../cli/workspace';

/** The ConfigMaps a manifest holds, by name, as data. */
const configMaps = (manifest: string) =>
  new Map(
    manifest
      .split(/^---$/m)
      .map((document) => parse(document))
      .filter((object) => object?.kind === 'ConfigMap')
      .map((object) => [object.metadata.name, object.data]),
  );

/** A copy of the example platform whose dev environment runs on Argo CD `argocd`, changed by `edit`. */
function platform(argocd: string, edit: (dir: string) => void): string {
  const dir = copyExample();
  const env = join(dir, 'environments/dev/env.yaml');
  writeFileSync(env, readFileSync(env, 'utf8').replace(/version: "3\.\d"/, `version: "${argocd}"`));
  edit(dir);
  return dir;
}

/** Defaults of null: helm keeps or drops them by how the chart is reached, which a batch must not change. */
function nullDefaults(dir: string): void {
  rmSync(join(dir, 'charts/service-a/values.schema.json')); // it would refuse the new keys
  appendFileSync(join(dir, 'charts/service-a/values.yaml'), '\nnullDefault: null\nnested:\n  gone: null\n  kept: 1\n');
  writeFileSync(
    join(dir, 'charts/service-a/templates/nulls.yaml'),
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: nulls',
      'data:',
      '  nullDefault: {{ hasKey .Values "nullDefault" | quote }}',
      '  gone: {{ hasKey .Values.nested "gone" | quote }}',
      '  kept: {{ .Values.nested.kept | quote }}',
      '',
    ].join('\n'),
  );
}

/** What helm's dependency processing sets, which only a chart that reads it sees. */
function readsDependencies(dir: string): void {
  writeFileSync(
    join(dir, 'charts/service-b/templates/dependencies.yaml'),
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: dependencies',
      'data:',
      '  dependencies: {{ toJson .Chart.Dependencies | quote }}',
      '',
    ].join('\n'),
  );
}

describe.each(HELM_LINES.map((line) => [line.argocd, line.helm] as const))(
  'a batch renders as each chart alone (Argo CD %s, helm %s)',
  (argocd) => {
    const dirs: string[] = [];
    let scratch: string;
    beforeAll(() => {
      scratch = mkdtempSync(join(tmpdir(), 'berth-batch-umbrella-'));
    });
    afterAll(() => {
      for (const dir of [...dirs, scratch]) rmSync(dir, { recursive: true, force: true });
    });
    const copy = (edit: (dir: string) => void) => {
      dirs.push(platform(argocd, edit));
      return dirs[dirs.length - 1];
    };

    /** helm template of the chart alone, with the flags and values its Application gives (render/argo-rules). */
    const alone = (dir: string, service: string): string => {
      const application = parse(readFileSync(join(dir, `argocd/apps/dev/${service}.yaml`), 'utf8'));
      const source = application.spec.sources.find((candidate: any) => candidate.path);
      const chart = mkdtempSync(join(scratch, `${service}-`));
      cpSync(join(dir, source.path), chart, { recursive: true });
      cpSync(join(dir, 'charts/common'), join(chart, 'charts/common'), { recursive: true });
      const valuesObject = join(chart, 'values-object.yaml');
      writeFileSync(valuesObject, stringify(source.helm.valuesObject));
      const args = ['template', chart, '--name-template', source.helm.releaseName, '--namespace', 'dev'];
      args.push('--kube-version', source.helm.kubeVersion);
      for (const file of source.helm.valueFiles) args.push('--values', join(dir, file.replace(/^\$values\//, '')));
      args.push('--values', valuesObject);
      for (const version of source.helm.apiVersions) args.push('--api-versions', version);
      return execFileSync(resolveHelm(argocd).path, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    };

    /** berth render of dev, and the manifest of one of its services. */
    const rendered = async (dir: string, service: string) => {
      const session = RenderSession.open(dir);
      const requests = await session.requests({ environments: ['dev'] });
      // the service renders in a batch with others, not alone
      const job = plannedJobs(session, requests, 2).find((candidate) =>
        candidate.requests.some((request) => request.service === service),
      )!;
      expect(job.alone).toBe(false);
      expect(job.requests.length).toBeGreaterThan(1);
      const results = await render(session, requests);
      return results.find((result) => result.service === service)!.manifest();
    };

    it("keeps or drops chart defaults of null as the chart's own render does", async () => {
      const dir = copy(nullDefaults);
      const batched = configMaps(await rendered(dir, 'service-a')).get('nulls');
      expect(batched).toEqual(configMaps(alone(dir, 'service-a')).get('nulls'));
      expect(batched?.kept).toBe('1');
    });

    it('shows a template that reads .Chart.Dependencies what it shows in a render of its own', async () => {
      const dir = copy(readsDependencies);
      const batched = configMaps(await rendered(dir, 'service-b')).get('dependencies');
      expect(batched).toEqual(configMaps(alone(dir, 'service-b')).get('dependencies'));
      expect(batched?.dependencies).toMatch(/common/);
    });
  },
);
