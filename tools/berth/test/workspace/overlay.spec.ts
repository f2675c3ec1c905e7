// The overlay module: write-back touches image.tag, image.digest and chartRevision and no other byte of the overlay;
// reading has one rule for an overlay that does not exist; a version has one way to be shown.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import { diskFiles, type WorkspaceFiles } from '../../src/workspace/files';
import {
  describeImage,
  isPinnedTag,
  readDeployedVersion,
  readOverlay,
  readOverlayIfPresent,
  readOverlayOrEmpty,
  shortDigest,
  writeDeployedVersion,
} from '../../src/workspace/overlay';

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
    const after = writeDeployedVersion(overlay, 'environments/dev/service-a.yaml', { tag: '1.4.4' });
    expect(after).toBe(overlay.replace('"1.4.3"', '"1.4.4"'));
    expect(readDeployedVersion(after, 'x').tag).toBe('1.4.4');
  });

  it('quotes a tag that YAML would read as a number', () => {
    const after = writeDeployedVersion('image:\n  tag: 1.9\n', 'x', { tag: '1.10' });
    expect(after).toBe('image:\n  tag: "1.10"\n');
    expect(readDeployedVersion(after, 'x').tag).toBe('1.10');
  });

  it('adds a digest under the tag, indented like its siblings, then replaces it in place', () => {
    const withDigest = writeDeployedVersion(overlay, 'x', { tag: 'main', digest: DIGEST });
    expect(withDigest).toBe(
      overlay
        .replace('"1.4.3"', '"main"')
        .replace('  pullPolicy: IfNotPresent\n', `  pullPolicy: IfNotPresent\n  digest: "${DIGEST}"\n`),
    );
    const next = `sha256:${'b'.repeat(64)}`;
    expect(writeDeployedVersion(withDigest, 'x', { tag: 'main', digest: next })).toBe(withDigest.replace(DIGEST, next));
    expect(writeDeployedVersion(withDigest, 'x', { tag: '2.0.0', digest: null })).toBe(
      overlay.replace('"1.4.3"', '"2.0.0"'),
    );
  });

  it('adds an image block to an overlay that has none', () => {
    expect(writeDeployedVersion('# c\nreplicas: 2\n', 'x', { tag: '1.0.0' })).toBe(
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
    expect(() => writeDeployedVersion(overlay, 'environments/dev/service-a.yaml', version)).toThrow(message);
    expect(() => writeDeployedVersion(overlay, 'environments/dev/service-a.yaml', version)).toThrow(
      /environments\/dev\/service-a.yaml: image\.(tag|digest)/,
    );
  });
});

describe('reading an overlay from the workspace', () => {
  const root = mkdtempSync(join(tmpdir(), 'berth-overlay-'));
  mkdirSync(join(root, 'environments/dev'), { recursive: true });
  writeFileSync(join(root, 'environments/dev/orders.yaml'), overlay);
  const files: WorkspaceFiles = diskFiles(root);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const present = { path: 'environments/dev/orders.yaml', text: overlay, version: { tag: '1.4.3' } };
  const missing = 'environments/dev/payments.yaml';

  it.each([
    ['readOverlay', readOverlay],
    ['readOverlayIfPresent', readOverlayIfPresent],
    ['readOverlayOrEmpty', readOverlayOrEmpty],
  ])('%s reads an overlay that exists: its path, its text and the version it holds', (_name, read) => {
    expect(read(files, 'dev', 'orders')).toEqual(present);
  });

  it('readOverlay refuses an overlay that does not exist, naming the file and the two ways out', () => {
    let thrown: unknown;
    try {
      readOverlay(files, 'dev', 'payments');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BerthError);
    expect((thrown as BerthError).message).toBe(
      `${missing}: does not exist.\nFix: create it with image.tag, or remove dev from apps/payments/app.yaml environments.`,
    );
  });

  it('readOverlayIfPresent skips a missing overlay; readOverlayOrEmpty reads it as empty, for a write to create', () => {
    expect(readOverlayIfPresent(files, 'dev', 'payments')).toBeUndefined();
    expect(readOverlayOrEmpty(files, 'dev', 'payments')).toEqual({ path: missing, text: '', version: { tag: '' } });
  });

  it.each([
    ['readOverlay', readOverlay],
    ['readOverlayIfPresent', readOverlayIfPresent],
    ['readOverlayOrEmpty', readOverlayOrEmpty],
  ])('%s refuses an overlay whose chart revision is no commit id, naming the file', (_name, read) => {
    writeFileSync(join(root, 'environments/dev/billing.yaml'), 'chartRevision: main\n');
    expect(() => read(files, 'dev', 'billing')).toThrow(
      /^environments\/dev\/billing.yaml: chartRevision: is "main", not a full commit id/,
    );
  });
});

describe('how a version is shown', () => {
  it.each([
    [{ tag: '1.4.3' }, '1.4.3'],
    [{ tag: '1.4.3', digest: DIGEST }, '1.4.3@sha256:aaaaaaaaaaaa'],
    [{ tag: '' }, '(none)'],
    [{ tag: '', digest: DIGEST }, '(none)'],
  ])('%j reads %s', (version, shown) => {
    expect(describeImage(version)).toBe(shown);
  });

  it('shortens a digest to sha256 and its first 12 hex characters', () => {
    expect(shortDigest(`sha256:0a1b2c3d4e5f${'9'.repeat(52)}`)).toBe('sha256:0a1b2c3d4e5f');
  });
});

describe('what a person may name as a version', () => {
  it.each([
    ['1.4.2', true],
    ['v2.0.0-rc.1', true],
    ['main', true],
    ['latest', false],
    ['.hidden', false],
    ['1.0 beta', false],
    ['a'.repeat(129), false],
  ])('%s: %s', (tag, pinned) => {
    expect(isPinnedTag(tag)).toBe(pinned);
  });
});
