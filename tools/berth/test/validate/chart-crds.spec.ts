// A chart's CRDs against its add-on's serves, read by the real helm from charts made with `helm create` plus a crds/
// folder and a templated CustomResourceDefinition; and the same chart's rendered output through the api-provenance rule.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import { runHelm } from '../../src/helm/run';
import { readDocuments } from '../../src/util/yaml-read';
import { chartShippedApis, checkChartServes } from '../../src/validate/chart-crds';
import { apiProvenanceRule } from '../../src/validate/rules/api-provenance';
import { addon } from './addons';
import { hardenedPlatform } from './fixtures';

const crdYaml = (group: string, kind: string, plural: string, versions: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.${group}
spec:
  group: ${group}
  names: { kind: ${kind}, plural: ${plural}, singular: ${kind.toLowerCase()}, listKind: ${kind}List }
  scope: Namespaced
  versions:
${versions}
`;
const version = (name: string, served = true) =>
  `    - name: ${name}\n      served: ${served}\n      storage: ${served}\n      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }\n`;

let scratch: string;
/** A chart from `helm create` with a crds/ file (Widget v1, v1beta1 no longer served) and a templated Gadget CRD. */
let chart: string;
/** The same, but a template fails without a value it has no default for (as the load balancer controller's clusterName). */
let needsValues: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'berth-chart-crds-'));
  for (const name of ['widgets', 'strict']) {
    await runHelm(['create', join(scratch, name)], { cwd: scratch });
    mkdirSync(join(scratch, name, 'crds'));
    writeFileSync(
      join(scratch, name, 'crds', 'widgets.yaml'),
      crdYaml('example.berth.dev', 'Widget', 'widgets', version('v1') + version('v1beta1', false)),
    );
  }
  chart = join(scratch, 'widgets');
  writeFileSync(
    join(chart, 'templates', 'gadget-crd.yaml'),
    `{{- if .Values.gadgets.enabled }}\n${crdYaml('{{ .Values.gadgets.group }}', 'Gadget', 'gadgets', version('v1alpha1'))}{{- end }}\n`,
  );
  writeFileSync(join(chart, 'values.yaml'), 'gadgets:\n  enabled: true\n  group: example.berth.dev\n', { flag: 'a' });
  needsValues = join(scratch, 'strict');
  writeFileSync(
    join(needsValues, 'templates', 'required.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ required "clusterName is required" .Values.clusterName }}\n',
  );
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const widgets = addon('widgets', ['example.berth.dev/v1/Widget', 'example.berth.dev/v1alpha1/Gadget']);

describe('chartShippedApis', () => {
  it('reads the crds/ folder and the templated CRDs, served versions only', async () => {
    const shipped = await chartShippedApis(chart);
    expect([...shipped.kinds]).toEqual([
      ['example.berth.dev/v1/Widget', 'widgets.example.berth.dev'],
      ['example.berth.dev/v1alpha1/Gadget', 'gadgets.example.berth.dev'],
    ]);
  }, 60_000);

  it('falls back to the crds/ folder when the templates need values the chart has no default for', async () => {
    const shipped = await chartShippedApis(needsValues);
    expect([...shipped.kinds.keys()]).toEqual(['example.berth.dev/v1/Widget']);
  }, 60_000);

  it('templates with the given values, as the environment would', async () => {
    const values = join(scratch, 'no-gadgets.yaml');
    writeFileSync(values, 'gadgets:\n  enabled: false\n');
    const shipped = await chartShippedApis(chart, { valueFiles: [values] });
    expect([...shipped.kinds.keys()]).toEqual(['example.berth.dev/v1/Widget']);
  }, 60_000);

  it('refuses a folder that holds no chart, with what helm said', async () => {
    const error = await chartShippedApis(join(scratch, 'nothing-here')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BerthError);
    expect((error as BerthError).message).toMatch(/neither template nor show the CRDs/);
    expect((error as BerthError).cause).toBeInstanceOf(AggregateError);
  }, 60_000);
});

describe('checkChartServes', () => {
  it('passes when serves is what the chart serves', async () => {
    expect(await checkChartServes(widgets, chart)).toEqual([]);
  }, 60_000);

  it('names the entry to add when serves omits a CRD the chart ships', async () => {
    const findings = await checkChartServes(addon('widgets', ['example.berth.dev/v1/Widget']), chart);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'api-provenance',
        object: 'apps/widgets/app.yaml',
        field: 'serves',
        fix: 'add "- example.berth.dev/v1alpha1/Gadget" to apps/widgets/app.yaml serves, so environments without widgets are told to add it.',
      }),
    ]);
    expect(findings[0].message).toContain('CustomResourceDefinition gadgets.example.berth.dev');
  }, 60_000);

  it('names the entry to remove when serves lists a version the chart no longer serves', async () => {
    const findings = await checkChartServes(
      addon('widgets', [
        'example.berth.dev/v1/Widget',
        'example.berth.dev/v1alpha1/Gadget',
        'example.berth.dev/v1beta1/Widget',
      ]),
      chart,
    );
    expect(findings).toEqual([
      expect.objectContaining({
        object: 'apps/widgets/app.yaml',
        field: 'serves[2]',
        fix: 'remove "- example.berth.dev/v1beta1/Widget" from apps/widgets/app.yaml serves.',
      }),
    ]);
  }, 60_000);
});

describe('api-provenance on a rendered add-on chart', () => {
  it('checks the CRDs of the chart as helm rendered it for the environment', async () => {
    const output = await runHelm(['template', 'widgets', chart, '--include-crds', '--namespace', 'widgets']);
    const platform = hardenedPlatform();
    platform.context.workspace.services.push(
      addon('widgets', ['example.berth.dev/v1/Widget'], { environments: ['dev'] }),
    );
    platform.context.renders[0].applications.push({
      application: 'dev-widgets',
      service: 'widgets',
      project: 'dev-addons',
      objects: readDocuments(output),
    });
    expect(apiProvenanceRule.check(platform.context)).toEqual([
      expect.objectContaining({
        environment: 'dev',
        application: 'dev-widgets',
        object: 'apps/widgets/app.yaml',
        field: 'serves',
        message: expect.stringContaining('omits example.berth.dev/v1alpha1/Gadget'),
      }),
    ]);
  }, 60_000);
});
