// Object comparison as a table: identity, field paths, named lists, secrets, and the YAML diff text.
import { describe, expect, it } from 'vitest';
import { compareObjects, fieldChanges, objectKey, redactSecrets, yamlDiff } from '../../src/diff/objects';

const deployment = (image: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'dev', labels: { 'app.kubernetes.io/name': 'web' } },
  spec: { replicas: 2, template: { spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 8080 }] }] } } },
  ...extra,
});
const configMap = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'dev' },
  data,
});

describe('objectKey', () => {
  it.each([
    [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'a', namespace: 'dev' } }, 'apps/Deployment/dev/a'],
    [{ apiVersion: 'v1', kind: 'Service', metadata: { name: 'a', namespace: 'dev' } }, '/Service/dev/a'],
    [
      { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'gp3' } },
      'storage.k8s.io/StorageClass//gp3',
    ],
    // the version is not part of the identity: autoscaling/v2beta2 and autoscaling/v2 are the same object
    [
      { apiVersion: 'autoscaling/v2beta2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'a', namespace: 'dev' } },
      'autoscaling/HorizontalPodAutoscaler/dev/a',
    ],
  ])('%j → %s', (object, key) => expect(objectKey(object)).toBe(key));
});

describe('fieldChanges', () => {
  it.each([
    ['a changed scalar', { a: { b: 1 } }, { a: { b: 2 } }, [{ path: 'a.b', before: 1, after: 2 }]],
    ['an added key', { a: {} }, { a: { b: 'x' } }, [{ path: 'a.b', after: 'x' }]],
    [
      'a removed subtree, as one change',
      { a: { b: { c: 1, d: 2 } } },
      { a: {} },
      [{ path: 'a.b', before: { c: 1, d: 2 } }],
    ],
    ['a type change', { a: '1' }, { a: 1 }, [{ path: 'a', before: '1', after: 1 }]],
    [
      'keys that are not identifiers',
      { metadata: { annotations: { 'alb.ingress.kubernetes.io/scheme': 'internal' } } },
      { metadata: { annotations: { 'alb.ingress.kubernetes.io/scheme': 'internet-facing' } } },
      [
        {
          path: 'metadata.annotations["alb.ingress.kubernetes.io/scheme"]',
          before: 'internal',
          after: 'internet-facing',
        },
      ],
    ],
    [
      'unnamed list items by index',
      { args: ['a', 'b'] },
      { args: ['a', 'c', 'd'] },
      [
        { path: 'args[1]', before: 'b', after: 'c' },
        { path: 'args[2]', after: 'd' },
      ],
    ],
    [
      'named list items by name, whatever their order',
      {
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: '2' },
        ],
      },
      {
        env: [
          { name: 'NEW', value: '0' },
          { name: 'A', value: '1' },
          { name: 'B', value: '3' },
        ],
      },
      [
        { path: 'env[name=B].value', before: '2', after: '3' },
        { path: 'env[name=NEW]', after: { name: 'NEW', value: '0' } },
      ],
    ],
    ['equal dates', { at: new Date('2024-01-01T00:00:00Z') }, { at: new Date('2024-01-01T00:00:00Z') }, []],
    ['key order only', { a: 1, b: 2 }, { b: 2, a: 1 }, []],
  ])('%s', (_name, before, after, changes) => expect(fieldChanges(before, after)).toEqual(changes));
});

describe('compareObjects', () => {
  it('finds nothing between the same objects in another order', () => {
    const objects = [deployment('web:1'), configMap('a', { x: '1' })];
    expect(compareObjects(objects, [...objects].reverse())).toEqual({ added: [], removed: [], changed: [] });
  });

  it('tells added, removed and changed objects apart, with the changed fields', () => {
    const result = compareObjects(
      [deployment('web:1'), configMap('old', { x: '1' })],
      [deployment('web:2'), configMap('new', { x: '1' })],
    );
    expect(result.added.map((object) => `${object.kind}/${object.name}`)).toEqual(['ConfigMap/new']);
    expect(result.removed.map((object) => `${object.kind}/${object.name}`)).toEqual(['ConfigMap/old']);
    expect(result.changed).toHaveLength(1);
    expect(result.changed[0]).toMatchObject({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'dev',
      name: 'web',
    });
    expect(result.changed[0].fields).toEqual([
      { path: 'spec.template.spec.containers[name=web].image', before: 'web:1', after: 'web:2' },
    ]);
    expect(result.changed[0].diff).toMatch(/^-\s+- image: web:1$/m);
    expect(result.changed[0].diff).toMatch(/^\+\s+- image: web:2$/m);
  });

  it('marks a changed object whose only change is its version labels, and no other', () => {
    const labels = (version: string, chart = 'web-0.1.0') => ({
      'app.kubernetes.io/name': 'web',
      'app.kubernetes.io/version': version,
      'helm.sh/chart': chart,
    });
    const labelled = (version: string, chart?: string, data = '1') => ({
      ...configMap('web', { x: data }),
      metadata: { name: 'web', namespace: 'dev', labels: labels(version, chart) },
    });
    const template = (version: string, image = 'web:1') => ({
      ...deployment(image),
      spec: { template: { metadata: { labels: labels(version) }, spec: { containers: [{ name: 'web', image }] } } },
    });
    expect(compareObjects([labelled('1.0')], [labelled('1.1')]).changed[0].versionLabelsOnly).toBe(true);
    expect(compareObjects([labelled('1.0')], [labelled('1.0', 'web-0.2.0')]).changed[0].versionLabelsOnly).toBe(true);
    expect(compareObjects([template('1.0')], [template('1.1')]).changed[0].versionLabelsOnly).toBe(true);
    expect(compareObjects([template('1.0')], [template('1.1', 'web:2')]).changed[0].versionLabelsOnly).toBeUndefined();
    expect(
      compareObjects([labelled('1.0')], [labelled('1.1', undefined, '2')]).changed[0].versionLabelsOnly,
    ).toBeUndefined();
    expect(
      compareObjects(
        [labelled('1.0')],
        [
          {
            ...labelled('1.0'),
            metadata: { name: 'web', namespace: 'dev', labels: { ...labels('1.0'), 'app.kubernetes.io/name': 'api' } },
          },
        ],
      ).changed[0].versionLabelsOnly,
    ).toBeUndefined();
    expect(compareObjects([], [labelled('1.0')]).added[0].versionLabelsOnly).toBeUndefined();
  });

  it('shows an added object as all additions and a removed one as all removals', () => {
    const result = compareObjects([configMap('old', { x: '1' })], [configMap('new', { y: '2' })]);
    const lines = (diff: string) => diff.trimEnd().split('\n').slice(1);
    expect(result.added[0].diff).toMatch(/^@@ -0,0 \+1,\d+ @@/);
    expect(lines(result.added[0].diff).every((line) => line.startsWith('+'))).toBe(true);
    expect(lines(result.removed[0].diff).every((line) => line.startsWith('-'))).toBe(true);
    expect(result.added[0].fields).toEqual([]);
  });

  it('treats a new apiVersion of the same group as a change of the object', () => {
    const hpa = (apiVersion: string) => ({
      apiVersion,
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web', namespace: 'dev' },
      spec: { minReplicas: 2 },
    });
    const result = compareObjects([hpa('autoscaling/v2beta2')], [hpa('autoscaling/v2')]);
    expect(result.added).toEqual([]);
    expect(result.changed[0].fields).toEqual([
      { path: 'apiVersion', before: 'autoscaling/v2beta2', after: 'autoscaling/v2' },
    ]);
  });

  it('keeps secret values out of fields and diffs, but says which changed', () => {
    const secret = (password: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'dev' },
      data: { password, user: 'YWRtaW4=' },
    });
    const result = compareObjects([secret('aHVudGVyMg==')], [secret('c3dvcmRmaXNo')]);
    expect(result.changed[0].fields).toEqual([
      { path: 'data.password', before: '<redacted: old value>', after: '<redacted: new value>' },
    ]);
    expect(JSON.stringify(result)).not.toMatch(/aHVudGVyMg|c3dvcmRmaXNo|YWRtaW4/);
    expect(compareObjects([secret('same')], [secret('same')]).changed).toEqual([]);
    expect(redactSecrets(configMap('a', { x: '1' }), undefined)[0]).toEqual(configMap('a', { x: '1' }));
  });
});

describe('yamlDiff', () => {
  it('is empty for equal objects and shows multi-line text line by line', () => {
    expect(yamlDiff(configMap('a', { x: '1' }), configMap('a', { x: '1' }))).toBe('');
    const diff = yamlDiff(configMap('a', { 'nginx.conf': 'a\nb\nc\n' }), configMap('a', { 'nginx.conf': 'a\nB\nc\n' }));
    expect(diff).toMatch(/^-\s+b$/m);
    expect(diff).toMatch(/^\+\s+B$/m);
    expect(diff).toMatch(/^\s+a$/m);
  });
});
