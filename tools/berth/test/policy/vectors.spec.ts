// The tag-selection cases of Argo CD Image Updater, Flux and Kargo (shared/data/tag-vectors.json) all hold for berth's engine.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import { parsePolicy, selectTag } from '../../src/policy';

interface Vector {
  name: string;
  source: string;
  tags: string[];
  policy: unknown;
  expect: string | null | { error: true };
}

// shared/ sits beside the repository (../shared from the project root), in CI as on a developer's machine
const repoRoot = join(__dirname, '../../../..');
const vectorsFile = join(repoRoot, '..', 'shared', 'data', 'tag-vectors.json');
const { cases } = JSON.parse(readFileSync(vectorsFile, 'utf8')) as { cases: Vector[] };

describe('upstream tag vectors', () => {
  it('has cases to run', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases.map((vector) => [`${vector.name} (${vector.source})`, vector] as const))('%s', (_name, vector) => {
    const where = { file: 'environments/dev/env.yaml', field: 'imageUpdates' };
    if (vector.expect !== null && typeof vector.expect === 'object') {
      expect(() => parsePolicy(vector.policy, where)).toThrow(BerthError);
      return;
    }
    const selection = selectTag(
      vector.tags.map((tag) => ({ tag })),
      parsePolicy(vector.policy, where),
    );
    expect(selection.selected).toBe(vector.expect);
    expect(selection.candidates).toHaveLength(vector.tags.length);
  });
});
