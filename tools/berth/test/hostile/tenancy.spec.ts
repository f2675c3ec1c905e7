// Hostile workspaces that would reach beyond an environment's room: refused by every command, nothing written.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { berth, copyExample, edit } from '../cli/workspace';
import { snapshot } from './snapshot';

const devEnv = (dir: string) => readFileSync(join(dir, 'environments/dev/env.yaml'), 'utf8');

/** Adds an environment that is dev's env.yaml with `change` applied. */
function addEnvironment(dir: string, name: string, change: (text: string) => string = (text) => text) {
  mkdirSync(join(dir, 'environments', name), { recursive: true });
  writeFileSync(
    join(dir, 'environments', name, 'env.yaml'),
    change(devEnv(dir).replace('name: dev', `name: ${name}`).replace('namespace: dev', `namespace: ${name}`)),
  );
}

const cases: [string, (dir: string) => void, RegExp, RegExp][] = [
  [
    'namespace kube-system',
    (dir) => edit(dir, 'environments/dev/env.yaml', (t) => t.replace('namespace: dev', 'namespace: kube-system')),
    /environments\/dev\/env.yaml: namespace: "kube-system" is a Kubernetes system namespace/,
    /Fix: set namespace: dev/,
  ],
  [
    'namespace default',
    (dir) => edit(dir, 'environments/dev/env.yaml', (t) => t.replace('namespace: dev', 'namespace: default')),
    /namespace: "default" is a Kubernetes system namespace/,
    /Fix:/,
  ],
  [
    'namespace kube-node-lease',
    (dir) =>
      edit(dir, 'environments/stage/env.yaml', (t) => t.replace('namespace: stage', 'namespace: kube-node-lease')),
    /environments\/stage\/env.yaml: namespace:/,
    /Fix:/,
  ],
  [
    "Argo CD's own namespace",
    (dir) => edit(dir, 'environments/dev/env.yaml', (t) => t.replace('namespace: dev', 'namespace: argocd')),
    /namespace: "argocd" is the namespace Argo CD runs in/,
    /Fix:/,
  ],
  [
    "another environment's namespace on its cluster",
    (dir) =>
      edit(dir, 'environments/stage/env.yaml', (t) =>
        t
          .replace('namespace: stage', 'namespace: dev')
          .replace(/server: .*/, 'server: https://dev.eks.eu-west-1.example.internal'),
      ),
    /environments\/stage\/env.yaml: namespace: "dev" on the same cluster is environment dev's namespace/,
    /Fix: give stage a namespace of its own/,
  ],
  [
    'server "*"',
    (dir) => edit(dir, 'environments/dev/env.yaml', (t) => t.replace(/server: .*/, 'server: "*"')),
    /cluster.server: "\*" is not a URL/,
    /Fix: use the cluster API endpoint/,
  ],
  [
    'a server pattern',
    (dir) =>
      edit(dir, 'environments/dev/env.yaml', (t) => t.replace(/server: .*/, 'server: https://*.eks.amazonaws.com')),
    /cluster.server: .* is a pattern/,
    /Fix:/,
  ],
  [
    'an http server',
    (dir) => edit(dir, 'environments/dev/env.yaml', (t) => t.replace(/server: https/, 'server: http')),
    /cluster.server: .* uses http; Argo CD must reach a cluster over https/,
    /Fix:/,
  ],
  [
    'a file: server',
    (dir) =>
      edit(dir, 'environments/dev/env.yaml', (t) => t.replace(/server: .*/, 'server: file:///root/.kube/config')),
    /cluster.server: .* uses file/,
    /Fix:/,
  ],
  [
    'the instance metadata address',
    (dir) =>
      edit(dir, 'environments/dev/env.yaml', (t) => t.replace(/server: .*/, 'server: https://169.254.169.254/latest')),
    /cluster.server: .* is a link-local/,
    /Fix:/,
  ],
  [
    'a server with credentials',
    (dir) =>
      edit(dir, 'environments/dev/env.yaml', (t) => t.replace(/server: https:\/\//, 'server: https://admin:hunter2@')),
    /cluster.server: carries credentials/,
    /Fix: remove them/,
  ],
  [
    'a cluster name pattern',
    (dir) => edit(dir, 'environments/dev/env.yaml', (t) => t.replace(/server: .*/, 'name: "prod-*"')),
    /cluster.name: "prod-\*" is a pattern/,
    /Fix: name exactly one cluster/,
  ],
  [
    'an environment named dev-cluster',
    (dir) =>
      addEnvironment(dir, 'dev-cluster', (t) => t.replace(/server: .*/, 'server: https://other.example.internal')),
    /environments\/dev-cluster\/env.yaml: name: makes the Argo CD AppProject "dev-cluster", which environment dev \(cluster project\) already makes/,
    /Fix: rename the environment/,
  ],
  [
    'an environment named dev-root',
    (dir) => addEnvironment(dir, 'dev-root', (t) => t.replace(/server: .*/, 'server: https://other.example.internal')),
    /AppProject "dev-root"/,
    /Fix:/,
  ],
  [
    'an environment dev-service beside a service a',
    (dir) => {
      addEnvironment(dir, 'dev-service', (t) => t.replace(/server: .*/, 'server: https://other.example.internal'));
      mkdirSync(join(dir, 'apps/a'));
      writeFileSync(join(dir, 'apps/a/app.yaml'), 'name: a\nkind: stateless\nenvironments: [dev-service]\n');
      mkdirSync(join(dir, 'apps/service-a-copy'), { recursive: true });
    },
    /Application "dev-service-a"/,
    /Fix: rename the environment or the service/,
  ],
];

describe('tenancy: every command refuses a workspace that leaves its room', () => {
  it.each(cases)('%s', (_name, plant, message, fix) => {
    const dir = copyExample();
    plant(dir);
    const before = snapshot(dir);
    for (const command of [['render'], ['validate'], ['status', '--json']]) {
      const run = berth(dir, ...command);
      expect(run.status, `${command.join(' ')}: ${run.stdout}${run.stderr}`).not.toBe(0);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).toMatch(fix);
    }
    expect(snapshot(dir)).toEqual(before);
    rmSync(dir, { recursive: true, force: true });
  });

  it('validate refuses a nameOverride that makes two services render the same objects', () => {
    const dir = copyExample();
    edit(dir, 'environments/dev/service-c.yaml', (text) => `${text}\nnameOverride: service-a\n`);
    const run = berth(dir, 'validate', '--env', 'dev');
    expect(run.status).not.toBe(0);
    expect(run.stdout + run.stderr).toMatch(
      /\[object-collision\] dev > dev-service-\w > Deployment\/service-a > metadata.name: is also rendered by dev-service-\w/,
    );
    expect(run.stdout + run.stderr).toMatch(/fix: remove the nameOverride\/fullnameOverride/);
    rmSync(dir, { recursive: true, force: true });
  });
});
