// The pull-request comment and the terminal text: their shape, and the comment staying under GitHub's limit.
import { describe, expect, it } from 'vitest';
import { compareObjects } from '../../src/diff/objects';
import {
  COMMENT_LIMIT,
  COMMENT_MARKER,
  code,
  formatMarkdown,
  formatText,
  versionLabelNote,
} from '../../src/diff/report';
import type { ApplicationDiff, DiffReport } from '../../src/diff/types';

const configMap = (name: string, data: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'dev' },
  data,
});
const deployment = (image: string) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'dev' },
  spec: { template: { spec: { containers: [{ name: 'web', image }] } } },
});

function report(applications: ApplicationDiff[], environments = ['dev', 'stage', 'prod'], roots = 0): DiffReport {
  return {
    base: { ref: 'origin/main', commit: 'a'.repeat(40), reason: 'merge-base of HEAD and origin/main' },
    head: 'working tree',
    environments,
    compared: 12,
    roots,
    rendered: applications.length,
    applications,
    timings: { checkout: 0, hash: 0, render: 0, compare: 0 },
  };
}

const app = (
  environment: string,
  application: string,
  before: Record<string, any>[],
  after: Record<string, any>[],
  status: ApplicationDiff['status'] = 'changed',
): ApplicationDiff => ({
  environment,
  application,
  service: application.replace(`${environment}-`, ''),
  status,
  ...compareObjects(before, after),
});

describe('formatMarkdown', () => {
  const comment = formatMarkdown(
    report([
      app('dev', 'dev-web', [deployment('web:1')], [deployment('web:2')]),
      app('dev', 'dev-api', [], [configMap('api', { x: '1' })], 'added'),
      app('prod', 'prod-web', [configMap('web', { x: '1' })], []),
    ]),
  );

  it('starts with a marker and the base, then a table per environment that has changes', () => {
    expect(comment.startsWith(`${COMMENT_MARKER}\n### berth diff\n`)).toBe(true);
    expect(comment).toContain('`aaaaaaaaaaaa` (merge-base of HEAD and origin/main)');
    expect(comment).toMatch(
      /#### dev\n\n\| Application \| Added \| Removed \| Changed \|\n\|:--\|--:\|--:\|--:\|\n\| `dev-web` \| 0 \| 0 \| 1 \|\n\| `dev-api` \(new Application\) \| 1 \| 0 \| 0 \|/,
    );
    expect(comment).toMatch(/#### prod\n\n[^#]*\| `prod-web` \| 0 \| 1 \| 0 \|/);
    expect(comment).toContain('No changes in stage.');
    expect(comment.indexOf('#### prod')).toBeLessThan(comment.indexOf('<details>'));
  });

  it('gives each Application a collapsible section with fields and a diff block per object', () => {
    const sections = comment.split('<details>').slice(1);
    expect(sections).toHaveLength(3);
    expect(sections[0]).toContain('<summary><b>dev</b> · <code>dev-web</code>: 1 changed</summary>\n\n');
    expect(sections[0]).toContain('**Changed** `Deployment dev/web` (apps/v1)');
    expect(sections[0]).toContain('- `spec.template.spec.containers[name=web].image`: `"web:1"` → `"web:2"`');
    expect(sections[0]).toMatch(/```diff\n@@ [^\n]+\n(.*\n)*-\s+- image: web:1\n\+\s+- image: web:2\n(.*\n)*```\n/);
    expect(sections[1]).toContain('(new Application): 1 added');
    expect(sections[2]).toContain('**Removed** `ConfigMap dev/web` (v1)');
    expect(sections.every((section) => section.includes('</details>'))).toBe(true);
  });

  it('says so when nothing differs', () => {
    const empty = formatMarkdown(report([]));
    expect(empty).toContain('No Kubernetes object differs in 12 Applications');
    expect(empty).not.toContain('<details>');
  });

  describe('past the comment limit', () => {
    const big = (index: number) =>
      configMap(`c${index}`, {
        'config.txt': Array.from({ length: 400 }, (_, line) => `line ${line} of ${index}`).join('\n'),
      });
    const many = (count: number) =>
      Array.from({ length: count }, (_, index) =>
        app('dev', `dev-svc-${String(index).padStart(3, '0')}`, [], [big(index)], 'added'),
      );

    it('shortens every section alike when that is enough', () => {
      const comment = formatMarkdown(report(many(30)));
      expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
      expect(comment).toMatch(
        /> \[!NOTE\]\n> 30 Applications shortened to stay under GitHub's 65,536-character comment limit\. Run `npx berth diff --base aaaaaaaaaaaa` for everything\.\n$/,
      );
      expect(comment.split('<details>')).toHaveLength(31);
      expect(comment.match(/… 368 more lines/g)).toHaveLength(30);
    });

    it('then leaves sections out, and caps tables too long for the comment', () => {
      const apps = many(1500);
      const comment = formatMarkdown(report(apps));
      expect(comment.length).toBeLessThanOrEqual(COMMENT_LIMIT);
      expect(comment).toMatch(/> \[!NOTE\]\n> \d+ Applications? shortened and \d+ Applications left out to stay under/);
      for (const entry of apps.slice(0, 50))
        expect(comment).toContain(`| \`${entry.application}\` (new Application) |`);
      expect(comment).toContain('| … 1450 more | | | |');
      expect(comment).toContain('<code>dev-svc-000</code>');
      expect(formatMarkdown(report(apps), 5_000).length).toBeLessThanOrEqual(5_000);
    });
  });

  it('fences diffs so that backticks in the objects cannot end the block', () => {
    const text = formatMarkdown(
      report([
        app(
          'dev',
          'dev-docs',
          [configMap('docs', { 'README.md': 'x\n```\ny\n' })],
          [configMap('docs', { 'README.md': 'x\n```\nz\n' })],
        ),
      ]),
    );
    expect(text).toContain('````diff\n');
    expect(code('a`b')).toBe('`` a`b ``');
  });
});

describe('formatText', () => {
  it('lists objects by environment and Application, with each changed field', () => {
    const text = formatText(
      report([app('dev', 'dev-web', [deployment('web:1')], [deployment('web:2'), configMap('extra', { a: 'b' })])]),
    );
    expect(text).toMatch(
      /^base aaaaaaaaaaaa \(merge-base of HEAD and origin\/main\) → working tree\n\ndev\n {2}dev-web: 1 added, 1 changed\n/,
    );
    expect(text).toContain('    + ConfigMap dev/extra (v1)');
    expect(text).toContain(
      '    ~ Deployment dev/web (apps/v1)\n        spec.template.spec.containers[name=web].image: "web:1" → "web:2"',
    );
    // a scalar change needs no YAML hunk; the summary closes the report
    expect(text).not.toContain('@@');
    expect(text).toMatch(
      /1 Application of 12 differs in 1 environment \(1 rendered; 11 with unchanged inputs, not rendered\)\.$/,
    );
  });

  it('adds the YAML hunk when a field is a subtree or long text', () => {
    const text = formatText(
      report([app('dev', 'dev-web', [configMap('c', { a: 'x' })], [configMap('c', { a: 'x\ny\n' })])]),
    );
    expect(text).toMatch(/^ {8}@@ /m);
  });
});

describe('a tag bump', () => {
  const labelled = (kind: string, version: string, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind,
    metadata: {
      name: 'web',
      namespace: 'dev',
      labels: { 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/version': version },
    },
    ...extra,
  });
  const web = (version: string) => [
    {
      ...deployment(`web:${version}`),
      metadata: { name: 'web', namespace: 'dev', labels: { 'app.kubernetes.io/version': version } },
    },
    ...['ConfigMap', 'Service', 'ServiceAccount', 'NetworkPolicy'].map((kind) => labelled(kind, version)),
  ];
  const bumped = report([app('dev', 'dev-web', web('1.0.0'), web('1.1.0'))]);

  it('lists the objects that really changed, and the rest in one line per Application', () => {
    const text = formatText(bumped);
    expect(text).toContain('  dev-web: 5 changed\n    ~ Deployment dev/web (apps/v1)\n');
    expect(text).toContain('        spec.template.spec.containers[name=web].image: "web:1.0.0" → "web:1.1.0"');
    expect(text).toContain('    ~ 4 objects: only the version label changed ("1.0.0" → "1.1.0")\n');
    expect(text).not.toContain('~ ConfigMap');
    const comment = formatMarkdown(bumped);
    expect(comment).toContain('**Changed** `Deployment dev/web` (apps/v1)');
    expect(comment).toContain('**Changed** 4 objects: only the version label changed (`"1.0.0"` → `"1.1.0"`)\n');
    expect(comment).not.toContain('`ConfigMap dev/web`');
    // --json keeps every object, marked
    expect(
      bumped.applications[0].changed.filter((object) => object.versionLabelsOnly).map((object) => object.kind),
    ).toEqual(['ConfigMap', 'NetworkPolicy', 'Service', 'ServiceAccount']);
  });

  it('gives no common value when the objects disagree, and counts one object as one', () => {
    const mixed = report([
      app(
        'dev',
        'dev-web',
        [labelled('ConfigMap', '1'), labelled('Service', '2')],
        [labelled('ConfigMap', '3'), labelled('Service', '4')],
      ),
    ]).applications[0].changed;
    expect(versionLabelNote(mixed)).toBe('2 objects: only the version label changed');
    expect(versionLabelNote(mixed.slice(0, 1))).toBe('1 object: only the version label changed ("1" → "3")');
  });
});

describe('the summary line', () => {
  it('counts Applications as render and validate do, and root Applications apart', () => {
    expect(formatText(report([], ['dev'], 1))).toMatch(
      /No Kubernetes object differs in 12 Applications or 1 root Application \(0 rendered; 13 with unchanged inputs, not rendered\)\.$/,
    );
    const root = {
      environment: 'dev',
      application: 'dev-root',
      status: 'changed' as const,
      ...compareObjects([configMap('a', { x: '1' })], [configMap('a', { x: '2' })]),
    };
    const both = report([app('dev', 'dev-web', [deployment('web:1')], [deployment('web:2')]), root], ['dev'], 1);
    expect(formatText(both)).toMatch(
      /1 Application of 12 and 1 of 1 root Application differ in 1 environment \(2 rendered; 11 with unchanged inputs, not rendered\)\.$/,
    );
  });
});
