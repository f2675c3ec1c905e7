// berth from any folder inside the workspace: berth.yaml is found upwards (as git and nx find theirs), and paths the
// user types stay relative to where the user is.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berth, berthAsync, committedExample } from './workspace';

describe('berth in a folder inside the workspace', () => {
  let dir: string;
  beforeAll(() => {
    dir = committedExample();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders from environments/dev into the workspace root, as from the root', async () => {
    const run = await berthAsync(join(dir, 'environments/dev'), 'render', '--env', 'dev');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/rendered 6 Applications/);
    // the table's paths are from where the user is, as git prints them
    expect(run.stdout).toMatch(/^dev\s+service-a\s+Deployment\s.*\s\.\.\/\.\.\/dist\/rendered\/dev\/service-a\.yaml$/m);
    expect(existsSync(join(dir, 'dist/rendered/dev/service-a.yaml'))).toBe(true);
    expect(existsSync(join(dir, 'environments/dev/dist'))).toBe(false);
  });

  it('writes --out relative to where the user is', async () => {
    // relative to environments/dev, not to the root (where it would be <root>/dist/here/...); never inside the sources
    const run = await berthAsync(
      join(dir, 'environments/dev'),
      'render',
      '--env',
      'dev',
      '--service',
      'service-a',
      '--out',
      '../../dist/here',
    );
    expect(run.status).toBe(0);
    expect(readFileSync(join(dir, 'dist/here/dev/service-a.yaml'), 'utf8')).toMatch(/kind: Deployment/);
    const inside = await berthAsync(
      join(dir, 'environments/dev'),
      'render',
      '--env',
      'dev',
      '--service',
      'service-a',
      '--out',
      'here',
    );
    expect(inside.status).toBe(1);
    expect(inside.stderr).toMatch(/--out: .*environments\/dev\/here is inside environments\//);
    expect(existsSync(join(dir, 'environments/dev/here'))).toBe(false);
  });

  it('validates from charts/service-a/templates, which holds a template called berth.yaml', async () => {
    const run = await berthAsync(join(dir, 'charts/service-a/templates'), 'validate', '--env', 'dev');
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(
      /validated 6 Applications, 5 not rendered \(chart not cached\), \d+ objects against \d+ checks: valid/,
    );
    expect(run.status).toBe(0);
  });

  it('shows status from environments/dev and writes --html where the user is', async () => {
    const text = await berthAsync(join(dir, 'environments/dev'), 'status');
    expect(text.stderr).toBe('');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/service-a/);
    const html = await berthAsync(
      join(dir, 'charts/service-a/templates'),
      'status',
      '--html',
      '../../../dist/board.html',
    );
    expect(html.status).toBe(0);
    expect(readFileSync(join(dir, 'dist/board.html'), 'utf8')).toMatch(/<html/i);
    // a page in a chart's templates/ would be rendered by helm: refused
    const inChart = await berthAsync(join(dir, 'charts/service-a/templates'), 'status', '--html', 'board.html');
    expect(inChart.status).toBe(1);
    expect(existsSync(join(dir, 'charts/service-a/templates/board.html'))).toBe(false);
  });

  it('takes -C as the place to start, and finds the workspace upwards from there too', () => {
    const run = berth(tmpdir(), '-C', join(dir, 'environments/stage'), 'status', '--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).environments.map((env: { name: string }) => env.name)).toEqual([
      'dev',
      'stage',
      'prod',
    ]);
  });

  it('outside every workspace says so, names the folder, and writes nothing', () => {
    const outside = mkdtempSync(join(tmpdir(), 'berth-outside-'));
    const run = berth(outside, 'render');
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `${outside} is not a berth workspace (neither it nor a folder above it has a berth.yaml)`,
    );
    expect(run.stderr).toMatch(/Fix: run berth inside a workspace .*pass -C <workspace>.*berth new <dir>/);
    expect(existsSync(join(outside, 'dist'))).toBe(false);
    rmSync(outside, { recursive: true, force: true });
  });
});
