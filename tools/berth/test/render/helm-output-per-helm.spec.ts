// What berth reads from helm's own output, checked against each Helm of helm/versions.ts for real: template failures,
// values schema refusals and helm lint findings. Helm 4 writes a template error over three lines and schema
// problems as "- at '/path': ..."; Helm 3 on one line and as "- path: ...": berth must read both alike.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import { resolveHelm } from '../../src/helm/binary';
import { runHelmBinary } from '../../src/helm/process';
import { HELM_LINES } from '../../src/helm/versions';
import { helmSchemaProblem, helmWords, parseTemplateFailure } from '../../src/render/helm-errors';
import { textSource } from '../../src/render/value-origins';
import { lintFindings } from '../../src/validate/lint';
import type { HelmRequest } from '../../src/render/argo-rules';

/** A chart `name` under `dir` with one template and a schema asking for an integer replicas. */
function chart(dir: string, name: string, template: string): string {
  const root = join(dir, name);
  mkdirSync(join(root, 'templates'), { recursive: true });
  writeFileSync(join(root, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n`);
  writeFileSync(join(root, 'values.yaml'), 'replicas: 1\n');
  writeFileSync(
    join(root, 'values.schema.json'),
    JSON.stringify({ type: 'object', properties: { replicas: { type: 'integer' } } }),
  );
  writeFileSync(join(root, 'templates', 'broken.yaml'), template);
  return root;
}

const request = (name: string) =>
  ({ releaseName: name, environment: 'dev', application: `dev-${name}`, chartPath: `charts/${name}` }) as HelmRequest;

describe.each(HELM_LINES)('helm of Argo CD $argocd', (line) => {
  const helm = resolveHelm(line.argocd);
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'berth-helm-output-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** helm's words for a failing run, as berth's error carries them. */
  async function failure(args: string[]): Promise<string> {
    const error = await runHelmBinary(helm.path, args).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(BerthError);
    return helmWords((error as BerthError).problem);
  }

  it(`is helm ${line.helm}'s major`, () => {
    expect(helm.version.split('.')[0]).toBe(`v${line.helm.split('.')[0]}`);
  });

  it.each([
    [
      'a fail',
      'a: {{ fail "image.tag is empty: set it" }}\n',
      { kind: 'stopped', line: 1, valuesPath: ['image', 'tag'] },
    ],
    [
      'a nil value',
      'a: {{ .Values.config.greeting.text }}\n',
      {
        kind: 'cannot use',
        line: 1,
        valuesPath: ['config', 'greeting', 'text'],
        message: expect.stringMatching(/nil pointer/),
      },
    ],
    ['output that is not YAML', 'a: {{ .Values.replicas }}\n b: c\n', { kind: 'invalid YAML', line: 2 }],
    ['a template that does not parse', 'a: {{ .Values.replicas \n', { kind: 'syntax', line: 2 }],
  ])('reads %s in helm template', async (_what, template, expected) => {
    const dir = chart(join(scratch, `template-${Math.random().toString(36).slice(2)}`), 'orders', template);
    const words = await failure(['template', dir]);
    expect(parseTemplateFailure(words, 'charts/orders')).toMatchObject({
      template: 'charts/orders/templates/broken.yaml',
      ...expected,
    });
  });

  it("reads helm's values schema refusal, naming the key and the file that set it", async () => {
    const dir = chart(join(scratch, 'schema'), 'orders', 'a: 1\n');
    const overlay = 'environments/dev/orders.yaml';
    writeFileSync(join(scratch, 'overlay.yaml'), 'replicas: many\n');
    const words = await failure(['template', dir, '--values', join(scratch, 'overlay.yaml')]);
    expect(words).toMatch(/schema/);
    const sources = [textSource(overlay, 'value file', 'replicas: many\n')!];
    expect(helmSchemaProblem(words, sources, overlay)).toMatchObject({ file: overlay, field: 'replicas', line: 1 });
  });

  it('reads helm lint of a batch: each finding whole, on the Application of its chart', async () => {
    const umbrella = join(scratch, 'lint', 'berth-batch');
    mkdirSync(join(umbrella, 'charts'), { recursive: true });
    mkdirSync(join(umbrella, 'templates')); // as render/engine stages it: helm 4's --strict refuses an umbrella without
    chart(join(umbrella, 'charts'), 'orders', 'a: {{ .Values.config.greeting.text }}\n');
    chart(join(umbrella, 'charts'), 'billing', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: billing\n');
    writeFileSync(
      join(umbrella, 'Chart.yaml'),
      'apiVersion: v2\nname: berth-batch\nversion: 0.0.0\ndependencies:\n  - name: orders\n    version: 0.1.0\n  - name: billing\n    version: 0.1.0\n',
    );
    writeFileSync(join(umbrella, 'values.yaml'), '{}\n');
    const lint = (values: object) => {
      const file = join(scratch, 'lint', `values-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, JSON.stringify(values));
      return runHelmBinary(helm.path, ['lint', umbrella, '--strict', '--quiet', '--values', file]).then(
        () => '',
        (error: BerthError) => error.message,
      );
    };
    const group = [request('orders'), request('billing')];

    const [template] = lintFindings(await lint({}), group);
    expect(template).toMatchObject({ application: 'dev-orders', object: 'charts/orders' });
    expect(template.message).toMatch(
      /charts\/orders\/templates\/broken\.yaml:1:\d+.*<\.Values\.config\.greeting\.text>.*nil pointer/,
    );

    const [schema] = lintFindings(await lint({ billing: { replicas: 'many' } }), group);
    expect(schema).toMatchObject({ application: 'dev-billing' });
    expect(schema.message).toMatch(/schema.*billing:.*replicas.*(string|integer)/);
  });
});
