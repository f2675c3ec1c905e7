// Reading helm's failures: where in which template, which values path, and helm's words without its own flags.
import { describe, expect, it } from 'vitest';
import { helmSchemaProblem, helmWords, parseTemplateFailure, repositoryPath } from '../../src/render/helm-errors';
import { textSource } from '../../src/render/value-origins';

describe('helmWords', () => {
  it('drops the advice about flags berth does not have, and the "Error:" prefix', () => {
    const text =
      'argocd/apps/dev/a.yaml (Application dev-a): helm template failed (exit 1).\nError: execution error at (a/templates/berth.yaml:1:4): image.tag is empty\n\nUse --debug flag to render out invalid YAML';
    expect(helmWords(text)).toBe('execution error at (a/templates/berth.yaml:1:4): image.tag is empty');
  });
});

describe('repositoryPath', () => {
  it.each([
    ['service-a/templates/berth.yaml', 'charts/service-a', 'charts/service-a/templates/berth.yaml'],
    ['service-a/charts/common/templates/_pod.tpl', 'charts/service-a', 'charts/common/templates/_pod.tpl'],
    ['orders/templates/extra.yaml', 'charts/orders', 'charts/orders/templates/extra.yaml'],
  ])('%s in %s is %s', (helmPath, chartPath, expected) => {
    expect(repositoryPath(helmPath, chartPath)).toBe(expected);
  });
});

describe('parseTemplateFailure', () => {
  it.each([
    [
      'a fail in the library chart (helm 4)',
      'execution error at (service-a/templates/berth.yaml:1:4): image.tag is empty: set it in environments/dev/service-a.yaml',
      {
        kind: 'stopped',
        template: 'charts/service-a/templates/berth.yaml',
        line: 1,
        valuesPath: ['image', 'tag'],
        message: 'image.tag is empty: set it in environments/dev/service-a.yaml',
      },
    ],
    [
      'a template that cannot use a value (helm 4 layout)',
      'service-a/templates/broken.yaml:2:13\n  executing "service-a/templates/broken.yaml" at <.Values.image.tag.x>:\n    can\'t evaluate field x in type interface {}',
      {
        kind: 'cannot use',
        template: 'charts/service-a/templates/broken.yaml',
        line: 2,
        valuesPath: ['image', 'tag', 'x'],
        message: "can't evaluate field x in type interface {}",
      },
    ],
    [
      'the same in helm 3 layout',
      'template: service-a/charts/common/templates/_pod.tpl:12:5: executing "common.pod" at <.Values.config.greeting>: nil pointer evaluating interface {}.greeting',
      {
        kind: 'cannot use',
        template: 'charts/common/templates/_pod.tpl',
        line: 12,
        valuesPath: ['config', 'greeting'],
      },
    ],
    [
      'a template whose output is not YAML',
      'YAML parse error on service-a/templates/broken.yaml: error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context',
      {
        kind: 'invalid YAML',
        template: 'charts/service-a/templates/broken.yaml',
        line: 3,
        message: 'yaml: line 3: mapping values are not allowed in this context',
      },
    ],
    [
      'a template that does not parse',
      'parse error at (service-a/templates/broken.yaml:2): unclosed action started at service-a/templates/broken.yaml:1',
      { kind: 'syntax', template: 'charts/service-a/templates/broken.yaml', line: 2 },
    ],
  ])('%s', (_what, words, expected) => {
    expect(parseTemplateFailure(words, 'charts/service-a')).toMatchObject(expected);
  });

  it('is undefined for what is no template failure', () => {
    expect(
      parseTemplateFailure(
        'chart requires kubeVersion: >=1.40 which is incompatible with Kubernetes v1.33.0',
        'charts/service-a',
      ),
    ).toBeUndefined();
  });
});

describe('helmSchemaProblem (when helm and berth read a schema differently)', () => {
  const sources = [
    textSource('environments/dev/service-a.yaml', 'value file', 'image:\n  tag: "1.4.3"\nreplcas: 3\nreplicas: "x"\n')!,
  ];
  it.each([
    [
      'helm 4, an unknown key',
      "service-a:\n- at '': additional properties 'replcas' not allowed",
      { field: 'replcas', line: 3 },
    ],
    [
      'helm 4, a wrong type',
      "service-a:\n- at '/replicas': got string, want integer",
      { field: 'replicas', line: 4, problem: 'got string, want integer.' },
    ],
    [
      'helm 3, a wrong type',
      '- replicas: Invalid type. Expected: integer, given: string',
      { field: 'replicas', line: 4, problem: 'Invalid type. Expected: integer, given: string.' },
    ],
    ['helm 3, an unknown key', '- (root): Additional property replcas is not allowed', { field: 'replcas', line: 3 }],
  ])('%s', (_what, words, expected) => {
    expect(helmSchemaProblem(words, sources, 'environments/dev/service-a.yaml')).toMatchObject({
      file: 'environments/dev/service-a.yaml',
      ...expected,
    });
  });

  it('is undefined without a schema line', () => {
    expect(helmSchemaProblem('something else', sources, 'x')).toBeUndefined();
  });
});
