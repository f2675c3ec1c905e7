// Mistakes a person makes in the files they edit, through the real CLI against a scratch copy of the example: each
// run exits 1, names the file (and line) and key path that set the value and the fix, mentions no flag berth lacks,
// and writes nothing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berthAsync, committedExample, copyExample, edit, snapshot } from '../cli/workspace';

const OVERLAY = 'environments/dev/service-a.yaml';
const DEV_A = ['--env', 'dev', '--service', 'service-a'];

interface Mistake {
  what: string;
  /** Files to write (whole) or edit before the run. */
  files: Record<string, string | ((text: string) => string)>;
  args: string[];
  /** Where berth starts, inside the scratch workspace. */
  cwd?: string;
  /** "file:line: field: " as the message starts. */
  where: string;
  problem: RegExp;
  fix: RegExp;
}

const MISTAKES: Mistake[] = [
  {
    what: 'a misspelt key in the overlay (replcas: 3)',
    files: { [OVERLAY]: 'image:\n  tag: "1.4.3"\nreplcas: 3\n' },
    args: ['render', ...DEV_A],
    where: `${OVERLAY}:3: replcas: `,
    problem: /is not a value charts\/service-a knows; did you mean replicas\?/,
    fix: /rename replcas to replicas on line 3/,
  },
  {
    what: 'a word where a number belongs (replicas: "three"), found by validate',
    files: { [OVERLAY]: 'image:\n  tag: "1.4.3"\nreplicas: "three"\n' },
    args: ['validate', ...DEV_A],
    where: `${OVERLAY}:3: replicas: `,
    problem: /must be a whole number \(found the string "three"\)/,
    fix: /write a whole number, e.g. replicas: \d+/,
  },
  {
    what: 'a version YAML reads as a number (tag: 1.10)',
    files: { [OVERLAY]: 'image:\n  tag: 1.10\n' },
    args: ['render', ...DEV_A],
    where: `${OVERLAY}:2: image.tag: `,
    problem: /YAML reads `tag: 1.10` as the number 1.1/,
    fix: /quote it as "1.10": write tag: "1.10"/,
  },
  {
    what: 'a boolean where a tag belongs (tag: true)',
    files: { [OVERLAY]: 'image:\n  tag: true\n' },
    args: ['render', ...DEV_A],
    where: `${OVERLAY}:2: image.tag: `,
    problem: /as the boolean true/,
    fix: /quote it as "true"/,
  },
  {
    what: 'a quoted number (replicas: "3")',
    files: { [OVERLAY]: 'image:\n  tag: "1.4.3"\nreplicas: "3"\n' },
    args: ['render', ...DEV_A],
    where: `${OVERLAY}:3: replicas: `,
    problem: /found the string "3"/,
    fix: /remove the quotes: write replicas: 3/,
  },
  {
    what: 'a misspelt key inside a block (ingress.hots)',
    files: { [OVERLAY]: 'image:\n  tag: "1.4.3"\ningress:\n  hots: api\n' },
    args: ['render', ...DEV_A],
    where: `${OVERLAY}:4: ingress.hots: `,
    problem: /did you mean ingress.host\?/,
    fix: /rename hots to host/,
  },
  {
    what: 'an allowed value in the wrong case (service.type: ClusterIp)',
    files: { [OVERLAY]: 'image:\n  tag: "1.4.3"\nservice:\n  type: ClusterIp\n' },
    args: ['render', ...DEV_A],
    where: `${OVERLAY}:4: service.type: `,
    problem: /must be one of ClusterIP, NodePort, LoadBalancer \(found ClusterIp\); did you mean ClusterIP\?/,
    fix: /write type: ClusterIP/,
  },
  {
    what: 'a misspelt key in the environment values every service gets',
    files: { 'environments/dev/values.yaml': (text) => `${text}resorces: {}\n` },
    args: ['render', ...DEV_A],
    where: 'environments/dev/values.yaml:',
    problem: /resorces: is not a value charts\/service-a knows; did you mean resources\?/,
    fix: /rename resorces to resources/,
  },
  {
    what: "a misspelt key in the chart's defaults",
    files: { 'charts/service-a/values.yaml': (text) => text.replace('containerPort: 8080', 'containerPrt: 8080') },
    args: ['render', ...DEV_A],
    where: 'charts/service-a/values.yaml:',
    problem: /containerPrt: is not a value charts\/service-a knows; did you mean containerPort\?/,
    fix: /rename containerPrt to containerPort/,
  },
  {
    what: 'an empty image tag, which the chart refuses',
    files: { [OVERLAY]: 'image:\n  tag: ""\n' },
    args: ['render', ...DEV_A],
    where: `${OVERLAY}:2: image.tag: `,
    problem:
      /is empty\nthe chart stopped \(charts\/service-a\/templates\/berth.yaml line 1\) when rendering argocd\/apps\/dev\/service-a.yaml \(Application dev-service-a\)/,
    fix: /set it in environments\/dev\/service-a.yaml/,
  },
  {
    what: "a null that removes the chart's image repository",
    files: { [OVERLAY]: 'image:\n  tag: "1.4.3"\n  repository: null\n' },
    args: ['render', ...DEV_A],
    where: `${OVERLAY}:3: image.repository: `,
    problem: /is null here, which removes the value charts\/service-a requires/,
    fix: /set image.repository to a value, or delete the null/,
  },
  {
    what: 'a memory request that is no Kubernetes quantity (512mb)',
    files: { [OVERLAY]: 'image:\n  tag: "1.4.3"\nresources:\n  requests:\n    memory: 512mb\n' },
    args: ['render', ...DEV_A],
    where: `${OVERLAY}:5: resources.requests.memory: `,
    problem: /512mb is not of the form the chart expects/,
    fix: /write it in that form/,
  },
  {
    what: 'a template of the service chart that uses a value no file sets',
    files: {
      'charts/service-a/templates/greeting.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: greeting\ndata:\n  text: {{ .Values.config.greeting.text | quote }}\n',
    },
    args: ['render', ...DEV_A],
    where: `${OVERLAY}: config.greeting.text: `,
    problem: /the template charts\/service-a\/templates\/greeting.yaml line 6 cannot use it, as no value file sets it/,
    fix: /set config.greeting.text in environments\/dev\/service-a.yaml, or make the template/,
  },
  {
    what: 'a template that renders invalid YAML',
    files: { 'charts/service-a/templates/broken.yaml': 'a: {{ .Values.ingress.host }}: b\n' },
    args: ['render', ...DEV_A],
    where: 'charts/service-a/templates/broken.yaml: ',
    problem: /renders invalid YAML \(yaml: .*mapping values are not allowed/,
    fix: /\| quote/,
  },
  {
    what: 'a template that does not parse',
    files: { 'charts/service-a/templates/broken.yaml': 'a: 1\n{{ .Values.replicas \n' },
    args: ['render', ...DEV_A],
    where: 'charts/service-a/templates/broken.yaml:',
    problem: /is not a valid template at line \d+: unclosed action/,
    fix: /correct the template at that line/,
  },
  {
    what: 'a misspelt key, run from environments/dev (berth finds the workspace upwards)',
    files: { [OVERLAY]: 'image:\n  tag: "1.4.3"\nreplcas: 3\n' },
    args: ['render', '--env', 'dev'],
    cwd: 'environments/dev',
    where: `${OVERLAY}:3: replcas: `,
    problem: /did you mean replicas\?/,
    fix: /rename replcas to replicas/,
  },
  {
    what: 'several mistakes in one file, each named',
    files: { [OVERLAY]: 'image:\n  tag: 1.10\nreplicas: "three"\n' },
    args: ['validate', '--env', 'dev'],
    cwd: 'charts/service-a/templates',
    where: `${OVERLAY}:2: image.tag: `,
    problem: /as the number 1.1[\s\S]*also environments\/dev\/service-a.yaml:3: replicas: must be a whole number/,
    fix: /quote it as "1.10"/,
  },
];

describe('mistakes in the files a person edits', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it.each(MISTAKES.map((mistake) => [mistake.what, mistake] as const))('%s', async (_what, mistake) => {
    const dir = copyExample();
    dirs.push(dir);
    for (const [path, content] of Object.entries(mistake.files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      if (typeof content === 'string') writeFileSync(join(dir, path), content);
      else edit(dir, path, content);
    }
    const before = snapshot(dir);
    const run = await berthAsync(join(dir, mistake.cwd ?? ''), ...mistake.args);
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr.startsWith(`berth: ${mistake.where}`), run.stderr).toBe(true);
    const [message, fix] = run.stderr.split('\nFix: ');
    expect(message).toMatch(mistake.problem);
    expect(fix).toMatch(mistake.fix);
    expect(run.stderr).not.toMatch(/--debug|read helm's message|    at /);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('commands where berth cannot work', () => {
  it("status outside a git repository: a berth error, not git's", async () => {
    const dir = copyExample();
    const before = snapshot(dir);
    const run = await berthAsync(join(dir, 'environments/dev'), 'status');
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `berth: not a git repository: ${dir}; berth keeps its history in git.\nFix: run git init (and commit the workspace) or cd into the repository.\n`,
    );
    expect(snapshot(dir)).toEqual(before);
    rmSync(dir, { recursive: true, force: true });
  });

  it('render outside every workspace keeps its clear message and writes nothing', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'berth-nowhere-'));
    const run = await berthAsync(outside, 'render', '--out', 'here');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/is not a berth workspace .*\nFix: .*berth new <dir>/);
    expect(snapshot(outside).size).toBe(0);
    rmSync(outside, { recursive: true, force: true });
  });

  it('render --out onto a file: a berth error naming the path, no stack, the file untouched', async () => {
    const dir = copyExample();
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const before = snapshot(dir);
    const run = await berthAsync(dir, 'render', ...DEV_A, '--out', 'notes.txt');
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `berth: --out: ${join(dir, 'notes.txt')} is a file of the repository root; berth writes generated files only outside the sources.\nFix: choose a folder of its own, such as dist/ (the default); berth changed nothing.\n`,
    );
    expect(snapshot(dir)).toEqual(before);
    rmSync(dir, { recursive: true, force: true });
  });

  it('the same mistake with --json is one JSON object on stdout naming file, line, field and fix', async () => {
    const dir = committedExample();
    writeFileSync(join(dir, OVERLAY), 'image:\n  tag: "1.4.3"\nreplcas: 3\n');
    const before = snapshot(dir);
    const run = await berthAsync(join(dir, 'charts/service-a'), 'validate', '--env', 'dev', '--json');
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({
      file: OVERLAY,
      line: 3,
      field: 'replcas',
      error: expect.stringMatching(/did you mean replicas\?/),
      fix: 'rename replcas to replicas on line 3.',
    });
    expect(snapshot(dir)).toEqual(before);
    rmSync(dir, { recursive: true, force: true });
  });
});
