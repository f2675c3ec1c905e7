// The promotion graph from promotesFrom, table by table: chains, branches, several first environments.
import { describe, expect, it } from 'vitest';
import { promotionPaths, promotionText, promotionTree } from '../../src/status/graph';

/** "stage<dev" is stage promoting from dev; a bare name promotes from none. In promotion order, as the workspace loads them. */
const envs = (...specs: string[]) =>
  specs.map((spec) => {
    const [name, from] = spec.split('<');
    return { name, promotesFrom: from ?? null };
  });

describe('promotionPaths', () => {
  it.each<[string, string[], string[][], string]>([
    ['one environment', ['dev'], [['dev']], 'dev'],
    ['a chain', ['dev', 'stage<dev', 'prod<stage'], [['dev', 'stage', 'prod']], 'dev -> stage -> prod'],
    [
      'two promote from dev',
      ['dev', 'qa<dev', 'stage<dev', 'prod<stage'],
      [
        ['dev', 'qa'],
        ['dev', 'stage', 'prod'],
      ],
      'dev -> qa, dev -> stage -> prod',
    ],
    [
      'a branch further down',
      ['dev', 'stage<dev', 'prod<stage', 'prod-eu<stage'],
      [
        ['dev', 'stage', 'prod'],
        ['dev', 'stage', 'prod-eu'],
      ],
      'dev -> stage -> prod, dev -> stage -> prod-eu',
    ],
    [
      'two first environments',
      ['dev', 'sandbox', 'stage<dev'],
      [['dev', 'stage'], ['sandbox']],
      'dev -> stage, sandbox',
    ],
  ])('%s', (_, specs, paths, text) => {
    expect(promotionPaths(envs(...specs))).toEqual(paths);
    expect(promotionText(promotionPaths(envs(...specs)))).toBe(text);
  });
});

describe('promotionTree', () => {
  it('hangs each environment under the one it promotes from', () => {
    expect(promotionTree(envs('dev', 'qa<dev', 'stage<dev', 'prod<stage'))).toEqual([
      {
        name: 'dev',
        next: [
          { name: 'qa', next: [] },
          { name: 'stage', next: [{ name: 'prod', next: [] }] },
        ],
      },
    ]);
  });
});
