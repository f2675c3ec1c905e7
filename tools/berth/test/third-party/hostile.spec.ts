// A lying or hostile chart repository: archives that escape their folder or carry links, indexes whose URLs leave the
// repository's scheme or whose names and versions are not what they claim, locks out of sync with Chart.yaml.
import { createHash } from 'node:crypto';
import { mkdtempSync, existsSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { archiveUrl, parseIndex } from '../../src/charts/helm-index';
import { lockDigest, lockText, remoteDependencies } from '../../src/charts/lock';
import { unpackChart } from '../../src/charts/untar';

/** A tar entry: a 512-byte ustar header and the data padded to a block. */
function entry(name: string, data: string, type = '0', linkName = ''): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 100, 'utf8');
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${Buffer.byteLength(data).toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write(type, 156);
  header.write(linkName, 157, 100);
  header.write('ustar\x0000', 257);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const body = Buffer.alloc(Math.ceil(Buffer.byteLength(data) / 512) * 512);
  body.write(data);
  return Buffer.concat([header, body]);
}
const archive = (...entries: Buffer[]) => gzipSync(Buffer.concat([...entries, Buffer.alloc(1024)]));

describe('chart archives', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'berth-untar-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('unpacks a chart under its own folder', () => {
    const root = unpackChart(
      archive(entry('app/Chart.yaml', 'name: app\n'), entry('app/templates/a.yaml', 'x')),
      'app',
      dir,
      'app 1.0.0',
    );
    expect(readdirSync(root).sort()).toEqual(['Chart.yaml', 'templates']);
  });

  it.each([
    ['a path that climbs out', entry('app/../../evil', 'x'), /outside its chart folder/],
    ['an absolute path', entry('/etc/evil', 'x'), /outside its chart folder/],
    ['another chart folder', entry('other/Chart.yaml', 'x'), /outside its chart folder/],
    ['a symbolic link', entry('app/templates/link', '', '2', '/etc/passwd'), /a link or device/],
    ['a hard link', entry('app/templates/link', '', '1', 'app/Chart.yaml'), /a link or device/],
  ])('refuses %s and writes nothing outside', (_what, bad, message) => {
    expect(() =>
      unpackChart(archive(entry('app/Chart.yaml', 'name: app\n'), bad), 'app', join(dir, 'in'), 'app 1.0.0'),
    ).toThrow(message);
    expect(existsSync(join(dir, 'evil'))).toBe(false);
  });

  it('refuses what is not a gzip archive', () => {
    expect(() => unpackChart(Buffer.from('<html>'), 'app', dir, 'app 1.0.0')).toThrow(/is not a gzip archive/);
  });
});

describe('Helm repository indexes', () => {
  const repo = 'https://charts.example.com/stable';
  const digest = 'a'.repeat(64);
  const index = (entries: unknown) => JSON.stringify({ apiVersion: 'v1', entries });

  it('resolves archive URLs against the repository and keeps them on https', () => {
    expect(archiveUrl(repo, 'app-1.0.0.tgz')).toBe('https://charts.example.com/stable/app-1.0.0.tgz');
    expect(archiveUrl(repo, 'https://github.com/x/releases/app-1.0.0.tgz')).toBe(
      'https://github.com/x/releases/app-1.0.0.tgz',
    );
    expect(archiveUrl(repo, 'file:///etc/passwd')).toBeUndefined();
    expect(archiveUrl(repo, 'http://charts.example.com/app.tgz')).toBeUndefined();
    expect(archiveUrl(repo, 'https://user:pw@evil.example/app.tgz')).toBeUndefined();
    expect(archiveUrl('http://127.0.0.1:8080', 'http://127.0.0.2/app.tgz')).toBeUndefined();
  });

  it('keeps only entries whose name, version, digest and URL hold, and says which it refused', () => {
    const parsed = parseIndex(
      repo,
      index({
        app: [
          { name: 'app', version: '1.0.0', digest, urls: ['app-1.0.0.tgz'] },
          { name: 'app', version: '1.0.1', urls: ['app-1.0.1.tgz'] },
          { name: 'app', version: '1.0.2"\ninjected: true', digest, urls: ['x.tgz'] },
          { name: 'other', version: '1.0.3', digest, urls: ['x.tgz'] },
          { name: 'app', version: '1.0.4', digest, urls: ['file:///etc/shadow'] },
        ],
        '../escape': [{ name: '../escape', version: '1.0.0', digest, urls: ['e.tgz'] }],
      }),
    );
    expect(parsed.entries.get('app')!.map((entry) => entry.version)).toEqual(['1.0.0']);
    expect(parsed.refused.get('app')).toHaveLength(4);
    expect(parsed.entries.has('../escape')).toBe(false);
  });

  it('refuses an index without entries', () => {
    expect(() => parseIndex(repo, 'apiVersion: v1\n')).toThrow(/without an `entries` mapping/);
  });
});

describe('Chart.lock', () => {
  const declared = [
    { name: 'common', version: '0.1.0', repository: 'file://../common' },
    { name: 'kvstore', version: '^1.0.0', repository: 'https://charts.example.com', condition: 'kvstore.enabled' },
  ];
  const locked = [
    { name: 'common', version: '0.1.0', repository: 'file://../common' },
    { name: 'kvstore', version: '1.3.0', repository: 'https://charts.example.com' },
  ];

  it('is honoured when its digest ties it to Chart.yaml', () => {
    const text = lockText(declared, locked, new Date('2026-12-02T05:00:00.000Z'));
    expect(text).toContain('generated: "2026-12-02T05:00:00Z"');
    expect(remoteDependencies('charts/app', declared, text).map((dependency) => dependency.ref.version)).toEqual([
      '1.3.0',
    ]);
  });

  it('is refused when missing or out of sync, naming the command that fixes it', () => {
    expect(() => remoteDependencies('charts/app', declared, undefined)).toThrow(
      /Chart\.lock: is missing[\s\S]*helm dependency update charts\/app/,
    );
    const stale = lockText(declared, locked, new Date()).replace('1.3.0', '1.4.0');
    expect(() => remoteDependencies('charts/app', declared, stale)).toThrow(/out of sync/);
    const edited = [declared[0], { ...declared[1], version: '^2.0.0' }];
    expect(() => remoteDependencies('charts/app', edited, lockText(declared, locked, new Date()))).toThrow(
      /out of sync/,
    );
  });

  it('hashes as Go marshals: HTML characters escaped, absent fields left out', () => {
    expect(lockDigest([{ name: 'a', repository: 'https://x/<&>' }], [])).toBe(
      `sha256:${createHash('sha256').update('[[{"name":"a","repository":"https://x/\\u003c\\u0026\\u003e"}],[]]').digest('hex')}`,
    );
  });
});
