// Write-back touches image.tag and image.digest and no other byte of the overlay.
import { describe, expect, it } from 'vitest';
import {
  readDeployedVersion,
  readImageVersion,
  writeDeployedVersion,
  writeImageVersion,
} from '../../src/image-update/writeback';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const overlay = `# service-a in dev: the image version running there
image:
  # bumped by berth image-update
  tag: "1.4.3"   # keep quoted
  pullPolicy: IfNotPresent
replicas: 1 # dev is small
env:
  LOG_LEVEL: debug
`;

describe('image write-back', () => {
  it('changes only the tag value; comments, order and spacing stay', () => {
    const after = writeImageVersion(overlay, 'environments/dev/service-a.yaml', { tag: '1.4.4' });
    expect(after).toBe(overlay.replace('"1.4.3"', '"1.4.4"'));
    expect(readImageVersion(after, 'x').tag).toBe('1.4.4');
  });

  it('quotes a tag that YAML would read as a number', () => {
    const after = writeImageVersion('image:\n  tag: 1.9\n', 'x', { tag: '1.10' });
    expect(after).toBe('image:\n  tag: "1.10"\n');
    expect(readImageVersion(after, 'x').tag).toBe('1.10');
  });

  it('adds a digest under the tag, indented like its siblings, then replaces it in place', () => {
    const withDigest = writeImageVersion(overlay, 'x', { tag: 'main', digest: DIGEST });
    expect(withDigest).toBe(
      overlay
        .replace('"1.4.3"', '"main"')
        .replace('  pullPolicy: IfNotPresent\n', `  pullPolicy: IfNotPresent\n  digest: "${DIGEST}"\n`),
    );
    const next = `sha256:${'b'.repeat(64)}`;
    expect(writeImageVersion(withDigest, 'x', { tag: 'main', digest: next })).toBe(withDigest.replace(DIGEST, next));
    expect(writeImageVersion(withDigest, 'x', { tag: '2.0.0', digest: null })).toBe(
      overlay.replace('"1.4.3"', '"2.0.0"'),
    );
  });

  it('adds an image block to an overlay that has none', () => {
    expect(writeImageVersion('# c\nreplicas: 2\n', 'x', { tag: '1.0.0' })).toBe(
      '# c\nreplicas: 2\nimage:\n  tag: "1.0.0"\n',
    );
  });

  it('writes, moves and removes the chart revision at the top level, after the last entry', () => {
    const first = `sha-${'1'.repeat(36)}`.replace('sha-', 'abcd');
    const second = 'f'.repeat(40);
    const pinned = writeDeployedVersion(overlay, 'x', { tag: '1.4.4', chartRevision: first });
    expect(pinned).toBe(`${overlay.replace('"1.4.3"', '"1.4.4"')}chartRevision: "${first}"\n`);
    expect(readDeployedVersion(pinned, 'x')).toEqual({ tag: '1.4.4', digest: undefined, chartRevision: first });
    expect(writeDeployedVersion(pinned, 'x', { tag: '1.4.4', chartRevision: second })).toBe(
      pinned.replace(first, second),
    );
    expect(writeDeployedVersion(pinned, 'x', { tag: '1.4.4', chartRevision: null })).toBe(
      overlay.replace('"1.4.3"', '"1.4.4"'),
    );
    expect(() => writeDeployedVersion(overlay, 'x', { tag: '1.0.0', chartRevision: 'main' })).toThrow(
      /chartRevision: refusing to write chart revision "main"/,
    );
    expect(() => readDeployedVersion('chartRevision: main\n', 'environments/prod/api.yaml')).toThrow(
      /environments\/prod\/api.yaml: chartRevision: is "main", not a full commit id/,
    );
  });

  it.each([
    ['a tag that injects YAML', { tag: '1.0"\nreplicas: 99' }, /refusing to write tag/],
    ['a tag with a space', { tag: '1.0 beta' }, /not an OCI tag/],
    ['a tag longer than 128 characters', { tag: 'a'.repeat(129) }, /not an OCI tag/],
    ['a tag starting with a dot', { tag: '.hidden' }, /not an OCI tag/],
    ['a digest that is not sha256 hex', { tag: 'main', digest: 'sha256:XYZ' }, /refusing to write digest/],
  ])('refuses %s and names the file and field', (_case, version, message) => {
    expect(() => writeImageVersion(overlay, 'environments/dev/service-a.yaml', version)).toThrow(message);
    expect(() => writeImageVersion(overlay, 'environments/dev/service-a.yaml', version)).toThrow(
      /environments\/dev\/service-a.yaml: image\.(tag|digest)/,
    );
  });
});
