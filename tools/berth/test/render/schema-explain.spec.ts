// The chart schema's verdict explained: the file and key that set the value, what is wrong, and the fix, as a table.
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { explainSchemaErrors, schemaAt } from '../../src/render/schema-explain';
import { coalesce, mergeValues, type Values } from '../../src/util/values-merge';
import { originOf, textSource, type ValueSource } from '../../src/render/value-origins';

const repo = join(__dirname, '../../../..');
const schema = JSON.parse(readFileSync(join(repo, 'charts/service-a/values.schema.json'), 'utf8'));
const defaultsText = readFileSync(join(repo, 'charts/service-a/values.yaml'), 'utf8');
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const environment = {
  environment: parse(readFileSync(join(repo, 'argocd/apps/dev/service-a.yaml'), 'utf8')).spec.sources[0].helm
    .valuesObject.environment,
};

const OVERLAY = 'environments/dev/service-a.yaml';
const ENV_VALUES = 'environments/dev/values.yaml';

function sourcesFor(envValues: string, overlay: string): ValueSource[] {
  return [
    textSource('charts/service-a/values.yaml', 'chart defaults', defaultsText)!,
    textSource(ENV_VALUES, 'value file', envValues)!,
    textSource(OVERLAY, 'value file', overlay)!,
    { file: 'environments/dev/env.yaml', role: 'env.yaml', values: environment },
  ];
}

/** What berth says of these value files, through the real schema of service-a. */
function explain(overlay: string, envValues = 'resources:\n  requests:\n    cpu: 100m\n') {
  const sources = sourcesFor(envValues, overlay);
  const user = sources
    .slice(1)
    .map((source) => (source.document ? (source.document.toJS() ?? {}) : source.values) as Values)
    .reduce(mergeValues, {});
  const values = coalesce(parse(defaultsText), user); // as helm checks them
  expect(validate(values)).toBe(false);
  return explainSchemaErrors({
    errors: validate.errors!,
    schema,
    defaults: parse(defaultsText),
    sources,
    overlay: OVERLAY,
    chart: 'charts/service-a',
  });
}

describe('explainSchemaErrors', () => {
  it.each([
    [
      'a misspelt top-level key',
      'image:\n  tag: "1.4.3"\nreplcas: 3\n',
      { file: OVERLAY, field: 'replcas', line: 3 },
      /did you mean replicas\?/,
      /rename replcas to replicas/,
    ],
    [
      'a misspelt key in a block',
      'image:\n  tag: "1.4.3"\ningress:\n  hots: api\n',
      { file: OVERLAY, field: 'ingress.hots', line: 4 },
      /did you mean ingress.host\?/,
      /rename hots to host/,
    ],
    [
      'an unknown key nothing resembles',
      'image:\n  tag: "1.4.3"\nzzzzzz: 1\n',
      { file: OVERLAY, field: 'zzzzzz' },
      /is not a value charts\/service-a knows$/,
      /remove it, or use a key charts\/service-a knows: see the properties in charts\/service-a\/values.schema.json/,
    ],
    [
      'a word where a number belongs',
      'image:\n  tag: "1.4.3"\nreplicas: "three"\n',
      { file: OVERLAY, field: 'replicas', line: 3 },
      /whole number \(found the string "three"\)/,
      /write a whole number, e.g. replicas: /,
    ],
    [
      'a quoted number',
      'image:\n  tag: "1.4.3"\nreplicas: "3"\n',
      { field: 'replicas' },
      /string "3"/,
      /remove the quotes: write replicas: 3/,
    ],
    [
      'a version YAML reads as a number',
      'image:\n  tag: 1.10\n',
      { file: OVERLAY, field: 'image.tag', line: 2 },
      /YAML reads `tag: 1.10` as the number 1.1/,
      /quote it as "1.10": write tag: "1.10"/,
    ],
    ['a whole-number tag', 'image:\n  tag: 110\n', { field: 'image.tag' }, /as the number 110/, /quote it as "110"/],
    [
      'an enum value in the wrong case',
      'image:\n  tag: "1.4.3"\nservice:\n  type: ClusterIp\n',
      { field: 'service.type', line: 4 },
      /one of ClusterIP, NodePort, LoadBalancer \(found ClusterIp\); did you mean ClusterIP\?/,
      /write type: ClusterIP/,
    ],
    [
      'a quantity of the wrong form',
      'image:\n  tag: "1.4.3"\nresources:\n  requests:\n    memory: 512mb\n',
      { field: 'resources.requests.memory', line: 5 },
      /512mb is not of the form/,
      /write it in that form/,
    ],
    [
      'a fraction where a whole number belongs',
      'image:\n  tag: "1.4.3"\nreplicas: 1.5\n',
      { field: 'replicas', line: 3 },
      /must be a whole number \(found number 1.5\)/,
      /write a whole number for replicas/,
    ],
    [
      'a null that removes a required default',
      'image:\n  tag: "1.4.3"\n  repository: null\n',
      { file: OVERLAY, field: 'image.repository', line: 3 },
      /is null here/,
      /set image.repository to a value/,
    ],
  ])('%s', (_what, overlay, where, problem, fix) => {
    const [first] = explain(overlay);
    expect(first).toMatchObject(where);
    expect(first.problem).toMatch(problem);
    expect(first.fix).toMatch(fix);
  });

  it('names the environment values file when that is where the value is set, not the overlay', () => {
    const [first] = explain('image:\n  tag: "1.4.3"\n', 'resources:\n  requests:\n    cpu: 100m\nreplcas: 2\n');
    expect(first).toMatchObject({ file: ENV_VALUES, field: 'replcas', line: 4 });
  });

  it('names the last file that sets a key: the overlay wins over the environment values', () => {
    const [first] = explain('image:\n  tag: "1.4.3"\nreplicas: "x"\n', 'replicas: "y"\n');
    expect(first).toMatchObject({ file: OVERLAY, field: 'replicas', line: 3 });
  });

  it('reports each wrong value once', () => {
    const problems = explain('image:\n  tag: 1.10\nreplicas: "three"\nreplcas: 1\n');
    expect(problems.map((problem) => problem.field).sort()).toEqual(['image.tag', 'replcas', 'replicas']);
  });
});

describe('originOf', () => {
  const sources = sourcesFor('replicas: 2\n', 'image:\n  tag: "1.4.3"\nreplicas: 3\n');
  it.each([
    [['replicas'], { file: OVERLAY, line: 3, value: 3, text: '3', style: 'PLAIN' }],
    [['image', 'tag'], { file: OVERLAY, line: 2, value: '1.4.3', text: '"1.4.3"', style: 'QUOTE_DOUBLE' }],
    [['image', 'repository'], { file: 'charts/service-a/values.yaml', role: 'chart defaults' }],
    [['environment', 'name'], { file: 'environments/dev/env.yaml', value: 'dev' }],
  ])('%j', (path, expected) => {
    expect(originOf(sources, path)).toMatchObject(expected);
  });

  it('is undefined when nothing sets the path', () => {
    expect(originOf(sources, ['nothing', 'here'])).toBeUndefined();
  });
});

describe('schemaAt', () => {
  it.each([
    ['#', 'object'],
    ['#/properties/image', 'object'],
    ['#/properties/replicas', 'integer'],
  ])('%s', (pointer, type) => {
    expect(schemaAt(schema, pointer)?.type).toBe(type);
  });
});
