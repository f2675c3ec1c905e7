// berth diff end to end, on a real git repository of the example platform with a bare remote and history.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { diffCommand } from '../../src/cli/diff';
import { diff } from '../../src/diff/command';
import { formatText } from '../../src/diff/report';
import type { DiffReport } from '../../src/diff/types';
import { serviceGenerator } from '../../src/nx/generators/service/generator';
import { applyDerivedFiles } from '../../src/nx/sync/generator';
import { berth, berthAsync, copyExample, edit, git } from '../cli/workspace';
import { gitOpsRepository, type GitOpsRepository } from '../image-update/support';

/** What each render() call was asked for (the environments and services of its requests) and how many it rendered. */
const renders = vi.hoisted(
  () => [] as { root: string; environments?: string[]; services?: string[]; rendered: number }[],
);
vi.mock('../../src/render/command', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/render/command')>();
  return {
    ...actual,
    render: async (...[session, requests, options]: Parameters<typeof actual.render>) => {
      const results = await actual.render(session, requests, options);
      renders.push({
        root: session.root,
        environments: [...new Set(requests.map((request) => request.environment))],
        services: [...new Set(requests.map((request) => request.service))],
        rendered: results.length,
      });
      return results;
    },
  };
});

const REGISTRY = 'registry.example.test';
const summary = (report: DiffReport) =>
  report.applications.map((app) => `${app.environment}/${app.application} ${app.status}`).sort();
const changeTag = (dir: string, env: string, service: string, tag: string) =>
  edit(dir, `environments/${env}/${service}.yaml`, (text) => text.replace(/tag: .*/, `tag: "${tag}"`));
const commitAll = (dir: string, message: string) => {
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', message);
};
const worktrees = (dir: string) =>
  git(dir, 'worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree ')).length;

/**
 * Each case works in its own clone, and a case that pushes has a remote of its own.
 */
describe('berth diff', () => {
  const scratch: string[] = [];
  /** A repository of the example platform (bare remote and clones), removed after the tests. */
  const repository = () => {
    const made = gitOpsRepository(REGISTRY);
    scratch.push(dirname(made.remote));
    return made;
  };
  let repo: GitOpsRepository;
  beforeAll(() => {
    repo = repository();
  });
  afterAll(() => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
  });

  it('renders and reports only the Application whose overlay changed, with the image field', async () => {
    const dir = repo.clone('tag');
    const before = /tag: "?([^"\s]+)/.exec(readFileSync(join(dir, 'environments/dev/service-a.yaml'), 'utf8'))![1];
    changeTag(dir, 'dev', 'service-a', '9.9.9');

    renders.length = 0;
    const report = await diff({ root: dir });

    // one render per side, of that one Application
    expect(
      renders
        .map(({ root, ...call }) => ({ ...call, side: root === dir ? 'working tree' : 'base' }))
        .sort((a, b) => a.side.localeCompare(b.side)),
    ).toEqual([
      { side: 'base', environments: ['dev'], services: ['service-a'], rendered: 1 },
      { side: 'working tree', environments: ['dev'], services: ['service-a'], rendered: 1 },
    ]);
    expect(report.base).toEqual({
      ref: 'origin/main',
      commit: git(dir, 'rev-parse', 'HEAD'),
      reason: 'merge-base of HEAD and origin/main',
    });
    expect(report.rendered).toBe(1);
    expect(summary(report)).toEqual(['dev/dev-service-a changed']);
    const deployment = report.applications[0].changed.find((object) => object.kind === 'Deployment')!;
    expect(deployment.fields).toContainEqual({
      path: 'spec.template.spec.containers[name=service-a].image',
      before: `${REGISTRY}/service-a:${before}`,
      after: `${REGISTRY}/service-a:9.9.9`,
    });
    expect(deployment.diff).toContain(`+        - image: ${REGISTRY}/service-a:9.9.9`);
    expect(report.applications[0].added).toEqual([]);
    expect(report.applications[0].removed).toEqual([]);
    // the chart's other objects changed only their version label: one line for them all, not one each
    const relabelled = report.applications[0].changed.filter((object) => object.versionLabelsOnly);
    expect(relabelled.length).toBeGreaterThanOrEqual(5);
    expect(relabelled.length).toBe(report.applications[0].changed.length - 1);
    const text = formatText(report);
    expect(text).toContain(
      `\n    ~ ${relabelled.length} objects: only the version label changed ("${before}" → "9.9.9")\n`,
    );
    expect(text.match(/^ {4}~ /gm)).toHaveLength(2);
    // the base worktree is gone and nothing was written into the repository
    expect(worktrees(dir)).toBe(1);
    expect(git(dir, 'status', '--porcelain')).toBe('M environments/dev/service-a.yaml');
  });

  it('counts the Applications of a selection as render and validate do', async () => {
    const dir = repo.clone('counts');
    const counted = (output: string, pattern: RegExp) => Number(pattern.exec(output)?.[1]);
    const [rendered, validated, diffed] = await Promise.all([
      berthAsync(dir, 'render', '--env', 'dev'),
      berthAsync(dir, 'validate', '--env', 'dev'),
      berthAsync(dir, 'diff', '--env', 'dev'),
    ]);
    // the add-ons' upstream charts are not cached on these machines: render and validate count them apart
    const all = readdirSync(join(dir, 'argocd/apps/dev')).length;
    const ours = readdirSync(join(dir, 'argocd/apps/dev')).filter((file) =>
      existsSync(join(dir, 'charts', file.replace(/\.yaml$/, ''))),
    ).length;
    const notRendered = all - ours;
    expect(notRendered).toBe(5);
    expect(counted(rendered.stdout, /rendered (\d+) Applications/)).toBe(ours);
    expect(counted(rendered.stdout, /, (\d+) not rendered \(chart not cached\)/)).toBe(notRendered);
    expect(counted(validated.stdout, /validated (\d+) Applications/)).toBe(ours);
    expect(counted(validated.stdout, /, (\d+) not rendered \(chart not cached\)/)).toBe(notRendered);
    expect(diffed.stdout).toMatch(
      new RegExp(`No Kubernetes object differs in ${all} Applications or 1 root Application \\(`),
    );
  });

  it('compares a branch with where it left main, or with any --base', async () => {
    const own = repository(); // it pushes
    const dir = own.clone('branch');
    git(dir, 'checkout', '-qb', 'feature');
    changeTag(dir, 'dev', 'service-a', '9.9.9');
    commitAll(dir, 'feat: service-a 9.9.9 in dev');
    const other = own.clone('branch-other');
    changeTag(other, 'stage', 'service-b', '8.8.8');
    commitAll(other, 'chore(stage): bump service-b');
    git(other, 'push', '-q', 'origin', 'main');
    git(dir, 'fetch', '-q');

    const forked = await diff({ root: dir });
    expect(forked.base.reason).toBe('merge-base of HEAD and origin/main');
    expect(forked.base.commit).toBe(git(dir, 'merge-base', 'HEAD', 'origin/main'));
    expect(summary(forked)).toEqual(['dev/dev-service-a changed']);

    // main's own newer commit shows, backwards, when comparing with main itself
    const withMain = await diff({ root: dir, base: 'origin/main' });
    expect(withMain.base).toMatchObject({
      ref: 'origin/main',
      reason: '--base origin/main',
      commit: git(dir, 'rev-parse', 'origin/main'),
    });
    expect(summary(withMain)).toEqual(['dev/dev-service-a changed', 'stage/stage-service-b changed']);
    const image = withMain.applications[1].changed
      .find((object) => object.kind === 'Deployment')!
      .fields.find((field) => field.path.endsWith('.image'));
    expect(image?.before).toBe(`${REGISTRY}/service-b:8.8.8`);

    await expect(diff({ root: dir, base: 'no-such-branch' })).rejects.toThrow(
      /--base no-such-branch names no commit in this repository[\s\S]*Fix: /,
    );
  });

  it('reports every Application that uses the library chart when it changes, and renders nothing else', async () => {
    const dir = repo.clone('library');
    edit(dir, 'charts/common/templates/_helpers.tpl', (text) =>
      text.replace('app.kubernetes.io/part-of: berth', 'app.kubernetes.io/part-of: berth-platform'),
    );

    const report = await diff({ root: dir });

    // an add-on's chart is an upstream one, never under charts/
    const usesLibrary = (chart: string) =>
      existsSync(join(dir, 'charts', chart, 'Chart.yaml')) &&
      readFileSync(join(dir, 'charts', chart, 'Chart.yaml'), 'utf8').includes('file://../common');
    const expected = ['dev', 'stage', 'prod'].flatMap((env) =>
      readdirSync(join(dir, 'argocd/apps', env))
        .map((file) => file.replace(/\.yaml$/, ''))
        .filter(usesLibrary)
        .map((service) => `${env}/${env}-${service} changed`),
    );
    expect(expected.length).toBeGreaterThanOrEqual(12);
    expect(summary(report)).toEqual(expected.sort());
    expect(report.rendered).toBe(expected.length);
    for (const app of report.applications) {
      expect(app.added.length + app.removed.length).toBe(0);
      for (const object of app.changed)
        expect(object.fields).toContainEqual(
          expect.objectContaining({
            path: 'metadata.labels["app.kubernetes.io/part-of"]',
            before: 'berth',
            after: 'berth-platform',
          }),
        );
    }
  });

  it('leaves an Application pinned to a chart revision alone when the branch changes a chart', async () => {
    const dir = repository().clone('pinned'); // it pushes
    const pin = git(dir, 'rev-parse', 'HEAD');
    // the overlay pins the charts, as berth promote does, and the Application is derived again (nx sync)
    edit(dir, 'environments/stage/service-a.yaml', (text) => `${text}chartRevision: "${pin}"\n`);
    const tree = new FsTree(dir, false, 'berth diff test');
    applyDerivedFiles(tree);
    flushChanges(dir, tree.listChanges());
    commitAll(dir, 'chore(stage): pin service-a charts');
    // unpushed, the pin itself is part of the change: the root Application's object changes, and stage-service-a,
    // rendered from the pinned commit with the values it now carries, renders the same objects as before
    const unpushed = await diff({ root: dir });
    expect(summary(unpushed)).toEqual(['stage/stage-root changed']);
    const fields = unpushed.applications[0].changed[0].fields.map((field) => field.path);
    expect(fields).toEqual(expect.arrayContaining(['spec.sources', 'spec.source']));
    expect(unpushed.rendered).toBe(2);
    git(dir, 'push', '-q', 'origin', 'main');
    edit(dir, 'charts/service-a/values.yaml', (text) => text.replace('port: 80', 'port: 81'));

    renders.length = 0;
    const report = await diff({ root: dir });
    expect(summary(report)).toEqual(['dev/dev-service-a changed', 'prod/prod-service-a changed']);
    expect(report.rendered).toBe(2);
    expect(
      renders
        .map((call) => call.environments)
        .flat()
        .sort(),
    ).toEqual(['dev', 'dev', 'prod', 'prod']);
  });

  it('shows a new service as new Applications with their objects, and in the root Application', async () => {
    const dir = repo.clone('service');
    const tree = new FsTree(dir, false, 'berth diff test');
    await serviceGenerator(tree, {
      name: 'orders',
      image: `${REGISTRY}/orders`,
      tag: '0.1.0',
      port: 8080,
      envs: 'dev',
    });
    flushChanges(dir, tree.listChanges());

    const report = await diff({ root: dir });

    expect(summary(report)).toEqual(['dev/dev-orders added', 'dev/dev-root changed']);
    const [orders, root] = report.applications;
    expect(orders).toMatchObject({ service: 'orders', removed: [], changed: [] });
    expect(orders.added.map((object) => object.kind)).toEqual(
      expect.arrayContaining(['Deployment', 'Service', 'ServiceAccount']),
    );
    expect(orders.added.find((object) => object.kind === 'Deployment')!.diff).toContain(
      `+        - image: ${REGISTRY}/orders:0.1.0`,
    );
    expect(root.added.map((object) => `${object.kind}/${object.name}`)).toEqual(['Application/dev-orders']);
    expect(root.service).toBeUndefined();
  });

  it('shows the objects a removed value made as removed', async () => {
    const dir = repo.clone('remove');
    edit(dir, 'charts/service-a/values.yaml', (text) => text.replace(/^ingress:\n(?: {2}.*\n)+/m, ''));

    const report = await diff({ root: dir });

    expect(summary(report)).toEqual([
      'dev/dev-service-a changed',
      'prod/prod-service-a changed',
      'stage/stage-service-a changed',
    ]);
    for (const app of report.applications) {
      expect(app.removed.map((object) => `${object.kind}/${object.name}`)).toEqual(['Ingress/service-a']);
      expect(app.removed[0].diff).toMatch(/^-kind: Ingress$/m);
      expect(app.added).toEqual([]);
    }
  });

  it('limits the comparison and the rendering to --env', async () => {
    const dir = repo.clone('env');
    changeTag(dir, 'dev', 'service-a', '9.9.9');
    changeTag(dir, 'prod', 'service-c', '7.7.7');

    const report = await diff({ root: dir, environments: ['prod'] });
    expect(report.environments).toEqual(['prod']);
    expect(summary(report)).toEqual(['prod/prod-service-c changed']);
    expect(report.rendered).toBe(1);
    await expect(diff({ root: dir, environments: ['qa'] })).rejects.toThrow(
      /"qa" is not an environment at either revision[\s\S]*use one of: dev, stage, prod/,
    );
  });

  it('says which side an error comes from, and needs a git repository', async () => {
    const dir = repo.clone('broken');
    edit(dir, 'argocd/apps/dev/service-a.yaml', (text) => `${text}\n  broken: [\n`);
    commitAll(dir, 'break the Application');
    git(dir, 'checkout', '-q', 'HEAD~1', '--', 'argocd/apps/dev/service-a.yaml');
    await expect(diff({ root: dir, base: 'HEAD' })).rejects.toThrow(
      /^argocd\/apps\/dev\/service-a\.yaml: \(in the base revision [0-9a-f]{12}, --base HEAD\) is not valid YAML/,
    );
    expect(worktrees(dir)).toBe(1);
    const plain = copyExample();
    scratch.push(plain);
    await expect(diff({ root: plain })).rejects.toThrow(/is not in a git repository[\s\S]*Fix: run it in a clone/);
  });

  describe('on the command line', () => {
    let dir: string;
    beforeAll(() => {
      dir = repo.clone('cli');
      changeTag(dir, 'stage', 'service-a', '9.9.9');
    });
    afterEach(() => vi.restoreAllMocks());

    it('prints a pull-request comment with --markdown', async () => {
      const written: string[] = [];
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (written.push(String(chunk)), true));
      await diffCommand({ root: dir, markdown: true });
      const comment = written.join('');
      expect(comment).toMatch(
        /^<!-- berth-diff -->\n### berth diff\n\nThe working tree compared with `[0-9a-f]{12}` \(merge-base of HEAD and origin\/main\)\. 1 Application of \d+ differs in 1 environment/,
      );
      expect(comment).toMatch(
        /#### stage\n\n\| Application \| Added \| Removed \| Changed \|\n\|:--\|--:\|--:\|--:\|\n\| `stage-service-a` \| 0 \| 0 \| \d+ \|\n/,
      );
      expect(comment).toContain('No changes in dev, prod.');
      expect(comment).toContain('<summary><b>stage</b> · <code>stage-service-a</code>');
      expect(comment).toMatch(/```diff\n@@ [^\n]*\n(.*\n)*\+\s+- image: registry\.example\.test\/service-a:9\.9\.9\n/);
    });

    it('exits 0 with differences, prints JSON, and fails with a message for a bad --base', () => {
      const run = berth(dir, 'diff', '--json');
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(summary(JSON.parse(run.stdout))).toEqual(['stage/stage-service-a changed']);
      const text = berth(dir, 'diff');
      expect(text.status).toBe(0);
      expect(text.stdout).toMatch(/^stage\n {2}stage-service-a: \d+ changed\n/m);
      const bad = berth(dir, 'diff', '--base', 'nope');
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toMatch(/--base nope names no commit/);
    });
  });
});
