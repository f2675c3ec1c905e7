// "Did you mean ...?": edit distance and the nearest known name, as tables.
import { describe, expect, it } from 'vitest';
import { editDistance, nearestName } from '../../src/util/nearest-name';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['replicas', 'replicas', 0],
    ['replcas', 'replicas', 1], // a letter left out
    ['replicaas', 'replicas', 1], // a letter doubled
    ['replicsa', 'replicas', 1], // two letters swapped count once
    ['hots', 'host', 1],
    ['kitten', 'sitting', 3],
    ['ingress', 'egress', 2],
  ])('%j -> %j is %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
    expect(editDistance(b, a)).toBe(distance);
  });
});

describe('nearestName', () => {
  const keys = [
    'replicas',
    'image',
    'ingress',
    'service',
    'resources',
    'containerPort',
    'monitoring',
    'secrets',
    'config',
  ];
  it.each([
    ['replcas', keys, 'replicas'],
    ['replicsa', keys, 'replicas'],
    ['imgae', keys, 'image'],
    ['containerport', keys, 'containerPort'], // case is no distance
    ['resource', keys, 'resources'],
    ['ClusterIp', ['ClusterIP', 'NodePort', 'LoadBalancer'], 'ClusterIP'],
    ['hots', ['host', 'path', 'enabled'], 'host'],
    ['zzz', keys, undefined], // nothing near
    ['x', ['y'], 'y'], // a one-letter name may differ by one
    ['replicas', keys, undefined], // the name itself is no suggestion
    ['cat', ['bat', 'hat'], undefined], // a tie suggests neither
    ['serviceAccount', keys, undefined], // too far from service to be a typo of it
  ])('%j among %j -> %j', (word, candidates, expected) => {
    expect(nearestName(word, candidates)).toBe(expected);
  });
});
