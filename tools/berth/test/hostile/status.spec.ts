// Hostile input to `berth status`, through the real CLI: where --html may write, and what a board may show.
//
// Each refusal exits 1 with a message naming the path, the option and the fix, and writes nothing anywhere: the
// workspace's `git status` and the folder outside it are the same before and after.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { berthAsync, git } from '../cli/workspace';
import { gitOpsRepository } from '../image-update/support';
import {
  CREDENTIAL_REPO_URL,
  HOSTILE_REASON,
  HOSTILE_SUBJECT,
  HOSTILE_TAG,
  hostileScenario,
  SECRET,
  type Scenario,
} from '../status/support';

/** Every file under `dir` with its content: what "nothing was written" is compared with. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.name === '.git') continue;
      if (entry.isDirectory()) walk(path);
      else files[path] = entry.isSymbolicLink() ? `-> link` : readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return files;
}

describe('berth status --html refuses where it must not write', () => {
  let work: string;
  /** A folder beside the workspace, where nothing may ever land. */
  let outside: string;

  beforeAll(() => {
    ({ work } = gitOpsRepository('registry.invalid'));
    outside = mkdtempSync(join(tmpdir(), 'berth-outside-'));
    writeFileSync(join(outside, 'precious.html'), "<p>not berth's</p>\n");
    // in the workspace: a folder named like a page, a link out of it, a link at a file outside, a page someone wrote
    mkdirSync(join(work, 'dist/board.html'), { recursive: true });
    writeFileSync(join(work, 'dist/board.html/keep.txt'), 'keep\n');
    symlinkSync(outside, join(work, 'dist/out'));
    symlinkSync(join(outside, 'precious.html'), join(work, 'dist/linked.html'));
    writeFileSync(join(work, 'handbook.html'), '<!doctype html><title>our handbook</title>\n');
  });

  it.each<[string, string, RegExp]>([
    [
      'a folder',
      'dist/board.html',
      /^berth: dist\/board\.html: --html: is a folder\.\nFix: name a file in it, e.g\. dist\/board\.html\/status\.html\.\n$/,
    ],
    ['the workspace itself', '.', /^berth: \.: --html: is a folder\.\nFix: name a file in it/],
    [
      'a path out of the workspace',
      '../outside.html',
      /^berth: \.\.\/outside\.html: --html: points outside the workspace \/.+\.\nFix: pass a file inside the workspace such as dist\/status\.html, and copy it from there\.\n$/,
    ],
    [
      'an absolute path outside',
      '<outside>/status.html',
      /^berth: \/.+\/status\.html: --html: points outside the workspace .+\nFix: pass a file inside the workspace/,
    ],
    [
      'a folder link leading out',
      'dist/out/status.html',
      /^berth: dist\/out\/status\.html: --html: points outside the workspace .+\nFix: /,
    ],
    [
      'a file link leading out',
      'dist/linked.html',
      /^berth: dist\/linked\.html: --html: is a symbolic link; berth would replace the link, not write where it points\.\nFix: remove the link/,
    ],
    [
      'a file that is not a page: berth.yaml',
      'berth.yaml',
      /^berth: berth\.yaml: --html: is not an \.html file; the board is an HTML page, and berth writes nothing else there\.\nFix: pass a file inside the workspace such as dist\/status\.html\.\n$/,
    ],
    [
      'an overlay name',
      'environments/dev/status.yaml',
      /^berth: environments\/dev\/status\.yaml: --html: is not an \.html file/,
    ],
    [
      'a page berth did not write',
      'handbook.html',
      /^berth: handbook\.html: --html: exists and is not a board berth wrote; berth does not overwrite it\.\nFix: remove it, or pass another file such as dist\/status\.html\.\n$/,
    ],
    [
      'no file at all',
      '',
      /^berth: "": --html: names no file\.\nFix: pass a file inside the workspace such as dist\/status\.html\.\n$/,
    ],
  ])('%s (%s)', async (_, target, message) => {
    const requested = target.replace('<outside>', outside);
    const before = {
      porcelain: git(work, 'status', '--porcelain', '--ignored'),
      workspace: snapshot(work),
      outside: snapshot(outside),
    };
    const result = await berthAsync(work, 'status', '--html', requested);
    expect(result.stderr).toMatch(message);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(git(work, 'status', '--porcelain', '--ignored')).toBe(before.porcelain);
    expect(snapshot(work)).toEqual(before.workspace);
    expect(snapshot(outside)).toEqual(before.outside);
    expect(existsSync(join(work, '..', 'outside.html'))).toBe(false);
  });

  it('still writes a new board, and overwrites the one it wrote (the refusals above are not everything refused)', async () => {
    const first = await berthAsync(work, 'status', '--html', 'dist/status.html');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(join(work, 'dist/status.html'));
    const again = await berthAsync(work, 'status', '--html', 'dist/status.html');
    expect(again.stderr).toBe('');
    expect(again.status).toBe(0);
    expect(readFileSync(join(work, 'dist/status.html'), 'utf8')).toContain(
      '<meta name="generator" content="berth status">',
    );
  });
});

describe("berth status shows what hostile files and commits carry as text, and never a clone URL's token", () => {
  let repo: Scenario;
  let outputs: { text: string; json: string; html: string };

  beforeAll(async () => {
    repo = await hostileScenario();
    const [text, json, html] = await Promise.all([
      berthAsync(repo.dir, 'status'),
      berthAsync(repo.dir, 'status', '--json'),
      berthAsync(repo.dir, 'status', '--html', 'dist/status.html'),
    ]);
    for (const result of [text, json, html]) {
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
    outputs = { text: text.stdout, json: json.stdout, html: readFileSync(join(repo.dir, 'dist/status.html'), 'utf8') };
  });

  it('links every output to the commit on GitHub', () => {
    for (const output of Object.values(outputs))
      expect(output).toContain(`https://github.com/acme/platform-gitops/commit/${repo.commits.hostile}`);
  });

  it('refuses a repoURL that carries a token, and never prints the token', async () => {
    const { work } = gitOpsRepository('registry.invalid');
    writeFileSync(
      join(work, 'berth.yaml'),
      readFileSync(join(work, 'berth.yaml'), 'utf8').replace(/^repoURL: .*$/m, `repoURL: ${CREDENTIAL_REPO_URL}`),
    );
    for (const args of [[], ['--json'], ['--html', 'dist/status.html']]) {
      const run = await berthAsync(work, 'status', ...args);
      expect(run.status).toBe(1);
      expect(run.stderr).toMatch(/berth.yaml: repoURL: holds .*\nFix: write the URL without credentials/);
      expect(run.stdout + run.stderr).not.toContain(SECRET);
    }
    expect(existsSync(join(work, 'dist/status.html'))).toBe(false);
  });

  it('escapes markup from a commit subject, a hand-written tag and a reason on the board', () => {
    const { html } = outputs;
    expect(html).not.toMatch(/<(?:script|img)\b/i);
    // the values' quotes never end an attribute (html.spec.ts checks in Chromium that no element has an on* handler)
    expect(html).not.toContain('"quoted"');
    const escaped = (value: string) => value.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
    for (const value of [HOSTILE_SUBJECT, HOSTILE_TAG, HOSTILE_REASON]) expect(html).toContain(escaped(value));
    // the JSON carries them as they are, as data
    const report = JSON.parse(outputs.json);
    const dev = report.services.find((service: { name: string }) => service.name === 'service-a').cells.dev;
    expect(dev).toMatchObject({ version: HOSTILE_TAG, subject: HOSTILE_SUBJECT, commit: repo.commits.hostile });
  });

  it('gives no link at all when repoURL is not a GitHub or GitLab URL, even one that looks like a script', async () => {
    const { work } = gitOpsRepository('registry.invalid');
    writeFileSync(
      join(work, 'berth.yaml'),
      readFileSync(join(work, 'berth.yaml'), 'utf8').replace(
        /^repoURL: .*$/m,
        'repoURL: "javascript:alert(1)//github.com/acme/platform-gitops"',
      ),
    );
    const [html, json] = [
      await berthAsync(work, 'status', '--html', 'dist/status.html'),
      await berthAsync(work, 'status', '--json'),
    ];
    expect([html.status, json.status]).toEqual([0, 0]);
    const page = readFileSync(join(work, 'dist/status.html'), 'utf8');
    expect(page).not.toMatch(/href="(?!#)/);
    expect(page).not.toContain('javascript:');
    const report = JSON.parse(json.stdout);
    for (const service of report.services) {
      for (const cell of Object.values(service.cells) as ({ commitURL: string | null } | null)[])
        if (cell) expect(cell.commitURL).toBeNull();
    }
  });

  it('turns control characters of a hand-written tag into ? in the terminal', async () => {
    const { work } = gitOpsRepository('registry.invalid');
    const overlay = join(work, 'environments/dev/service-b.yaml');
    writeFileSync(overlay, readFileSync(overlay, 'utf8').replace(/tag: .*/, 'tag: "2.0.0\\e[2J\\e]0;pwned\\a"'));
    const result = await berthAsync(work, 'status');
    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    expect(result.stdout).toContain('2.0.0?[2J?]0;pwned?');
  });
});
